"""Sponsor names: spellings of one organization share a canonical name; two organizations never do."""
import json

import pytest

from conftest import query, run_trials

# lead sponsor of each made-up trial -> the group it must land in (same letter, same organization)
NAMES = {
    "ACME PHARMA, INC.": "acme", "Acme Pharma Inc": "acme", "Acme Pharma": "acme", "Acme Pharma, Incorporated": "acme",
    "Direx Systems Corporation": "direx corp", "DIREX SYSTEMS CORP.": "direx corp", "Direx Systems GmbH": "direx gmbh",
    "Hôpital Saint-Louis": "st louis", "Hopital Saint Louis": "st louis",
    "People's Hospital (Shanghai)": "shanghai", "People's Hospital (Beijing)": "beijing",
    "Genzyme, a Sanofi Company": "genzyme", "Genzyme": "genzyme", "Sanofi": "sanofi",
    "Wyeth is now a wholly owned subsidiary of Pfizer": "wyeth", "Pfizer": "pfizer",
    "Pfizer's Upjohn has merged with Mylan to form Viatris Inc.": "viatris",
    "Novartis Pharmaceuticals": "novartis", "Novartis": "novartis", "Novartis Vaccines": "novartis vaccines",
    "Merck Sharp & Dohme Corp.": "msd", "Merck Sharp & Dohme LLC": "msd", "Merck KGaA, Darmstadt, Germany": "merck kgaa",
    "Johnson & Johnson": "jnj", "Johnson and Johnson": "jnj", "Johnson": "johnson",
}


@pytest.fixture(scope="module")
def named(tmp_path_factory, sample_studies):
    root = tmp_path_factory.mktemp("sponsors")
    folder = root / "studies"
    folder.mkdir()
    bodies = iter(sorted(sample_studies.items()))
    for name in NAMES:
        nct_id, body = next(bodies)
        study = json.loads(body)
        study["protocolSection"]["sponsorCollaboratorsModule"]["leadSponsor"]["name"] = name
        (folder / f"{nct_id}.json").write_text(json.dumps(study))
    run_trials("import", folder, "--data", root / "data")
    run_trials("build", "--data", root / "data")
    return root / "data"


def test_spellings_merge_and_organizations_stay_apart(named):
    canonical = dict(query(named, "select name, canonical_name from sponsor_names"))
    groups = {}
    for name, group in NAMES.items():
        groups.setdefault(group, set()).add(canonical[name])
    assert all(len(names) == 1 for names in groups.values()), groups  # every spelling of one organization merged
    assert len({next(iter(names)) for names in groups.values()}) == len(groups)  # no two organizations merged
    assert canonical["Pfizer's Upjohn has merged with Mylan to form Viatris Inc."] == "Viatris Inc."
    assert canonical["Genzyme, a Sanofi Company"] == "Genzyme" and canonical["Sanofi"] == "Sanofi"


def test_each_merge_says_how_and_aliases_say_why(named):
    rows = {name: (by, source) for name, by, source in query(named, "select name, merged_by, alias_source from sponsor_names")}
    assert rows["Acme Pharma Inc"][0] in ("spelling", "canonical") and rows["Acme Pharma Inc"][1] is None
    assert rows["Merck Sharp & Dohme Corp."][0] == "alias" and "2022" in rows["Merck Sharp & Dohme Corp."][1]
    assert query(named, "select count(*) from sponsor_aliases where source is null or length(source) < 20") == [(0,)]


def test_sponsors_and_the_portfolio_use_the_canonical_name(named):
    assert query(named, "select count(*) from sponsors where canonical_name is null and name is not null") == [(0,)]
    acme = query(named, "select sum(trials) from mart_sponsor_portfolio where role = 'lead' and sponsor = "
                        "(select canonical_name from sponsor_names where name = 'Acme Pharma')")
    assert acme == [(4,)]
