"""therapeutic_areas and its mart, recomputed here from the raw v2 records: the registry's own browse
branches of each trial's conditions, without the catch-alls."""
import collections
import json

from conftest import query

CATCH_ALLS = {"All", "Rare"}


def expected_areas(sample_studies):
    """{(nct_id, code, name)} from each record's derivedSection.conditionBrowseModule.browseBranches."""
    found = set()
    for nct_id, body in sample_studies.items():
        study = json.loads(body)
        for branch in study.get("derivedSection", {}).get("conditionBrowseModule", {}).get("browseBranches", []):
            if branch["abbrev"] not in CATCH_ALLS:
                found.add((nct_id, branch["abbrev"], branch["name"]))
    return found


def test_every_trial_gets_the_registrys_branches_of_its_conditions(crawled_sample, sample_studies):
    expected = expected_areas(sample_studies)
    got = query(crawled_sample, "select nct_id, area_code, area from therapeutic_areas")
    assert len(got) == len(set(got)) == len(expected)
    assert set(got) == expected
    names = {name for _, _, name in expected}
    assert {"Neoplasms", "Heart and Blood Diseases"} <= names
    # intervention branches (drug classes) are not therapeutic areas
    assert "Vasodilator Agents" not in names
    # most trials have an area, some several
    per_trial = collections.Counter(nct_id for nct_id, _, _ in expected)
    assert len(per_trial) > len(sample_studies) / 2 and max(per_trial.values()) > 2


def test_the_area_mart_counts_each_trial_once_per_area_phase_and_status(crawled_sample, sample_studies):
    expected = collections.Counter()
    studies = {nct_id: json.loads(body)["protocolSection"] for nct_id, body in sample_studies.items()}
    for nct_id, code, name in expected_areas(sample_studies):
        p = studies[nct_id]
        phases = p.get("designModule", {}).get("phases")
        phase = "/".join(phases) if phases else None
        expected[(code, name, phase, p["statusModule"]["overallStatus"])] += 1
    got = query(crawled_sample, "select area_code, area, phase, overall_status, trials "
                                "from mart_trials_by_area_phase_status")
    assert {row[:4]: row[4] for row in got} == dict(expected)
