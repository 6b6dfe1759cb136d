"""Other registries in the warehouse: the WHO ICTRP exports (XML and CSV) and the EU register's full
text land once per registration with the values the files hold (read here independently, with the
standard library); registrations of one trial share a trial_key, distinct trials never do."""
import csv
import html
import json
import re
import xml.etree.ElementTree as ET

import duckdb
import pytest

from conftest import REPO, SHARED_DATA, query, run_trials
from trials.etl.bulk import import_path
from trials.etl.registry import STATUS_VOCABULARY, STATUSES, status
from trials.etl.vocab import VOCABULARIES
from trials.warehouse.build import build

REGISTRIES = SHARED_DATA / "registries"
ICTRP_XML = REGISTRIES / "ictrp" / "ICTRP-Results_18Mar2020.xml"
ICTRP_CSVS = [REGISTRIES / "ictrp" / "COVID19-1135-trials.csv", REGISTRIES / "ictrp" / "COVID19-927-trials_7Apr2020.csv"]
EUCTR_TEXT = REGISTRIES / "euctr" / "euctr-full-text-2-trials.txt"
# ICTRP's `Source Register` as the registries' codes, written out here rather than read from the product.
REGISTER_CODES = {"ClinicalTrials.gov": "CTGOV", "EU Clinical Trials Register": "EUCTR", "ChiCTR": "ChiCTR",
                  "ANZCTR": "ANZCTR", "ISRCTN": "ISRCTN", "Netherlands Trial Register": "NTR", "IRCT": "IRCT",
                  "JPRN": "JPRN", "TCTR": "TCTR", "German Clinical Trials Register": "DRKS"}


def flat(text):
    """A portal value on one line: `<br>` and entities decoded, white space runs one space."""
    return " ".join(re.sub(r"<br\s*/?>", " ", html.unescape(text or ""), flags=re.I).split()) or None


def xml_trials():
    return [{child.tag.replace("_", " ").lower(): child.text or "" for child in trial}
            for trial in ET.parse(ICTRP_XML).getroot()]


def csv_trials(path):
    with open(path, encoding="utf-8-sig", newline="") as file:
        return [{name.lower(): value for name, value in row.items()} for row in csv.DictReader(file)]


def imported(tmp_path_factory, name, *paths):
    data = tmp_path_factory.mktemp(name)
    manifests = [import_path(path, data) for path in paths]
    build(data)
    return data, manifests


@pytest.fixture(scope="module")
def ictrp_xml(tmp_path_factory):
    """The XML export imported and built with the `trials` command, as a user does."""
    data = tmp_path_factory.mktemp("ictrp_xml")
    out = run_trials("import", ICTRP_XML, "--data", data).stdout
    build(data)
    return data, out


CTGOV_RECORDS = sorted((SHARED_DATA / "ctgov_v2_json").glob("NCT*.json"))[::10]


@pytest.fixture(scope="module")
def everything(tmp_path_factory):
    """The XML, both CSVs, the EU full text and CT.gov records of the shared data, in one warehouse."""
    folder = tmp_path_factory.mktemp("ctgov")
    for path in CTGOV_RECORDS:
        (folder / path.name).write_bytes(path.read_bytes())
    return imported(tmp_path_factory, "everything", ICTRP_XML, *ICTRP_CSVS, EUCTR_TEXT, folder)


def check_lands_once_as_exported(rows, trials):
    """`rows`: (registry, trial_id, public_title, primary_sponsor, registry_status, countries, url)."""
    ids = [flat(trial["trialid"]) for trial in trials]
    assert len(ids) == len(set(ids))
    got = {(registry, trial_id): row for registry, trial_id, *row in rows}
    assert len(got) == len(ids)
    for trial in trials:
        trial_id = flat(trial["trialid"])
        registry = REGISTER_CODES[flat(trial["source register"])]
        own_id = trial_id[5:] if registry == "EUCTR" else trial_id
        countries = list(dict.fromkeys(c for c in (flat(c) for c in (trial.get("countries") or "").split(";")) if c))
        assert got[(registry, own_id)] == [
            flat(trial.get("public title")), flat(trial.get("primary sponsor")),
            flat(trial.get("recruitment status")), countries, flat(trial.get("web address"))], trial_id


def test_every_trial_of_the_xml_export_lands_once_with_its_values(ictrp_xml):
    data, out = ictrp_xml
    trials = xml_trials()
    assert len(trials) == 578 and "fetched 578, new 578, changed 0, unchanged 0, quarantined 0" in out
    check_lands_once_as_exported(query(data, """
        select registry, trial_id, public_title, primary_sponsor, registry_status, countries, url
        from registry_trials"""), trials)
    assert query(data, "select registry, count(*) from registry_trials group by 1 order by 1") == [
        ("CTGOV", 102), ("ChiCTR", 476)]
    assert query(data, "select count(*) from trials") == [(0,)]  # CT.gov's own table stays CT.gov's


@pytest.mark.parametrize("path", ICTRP_CSVS, ids=lambda p: p.stem)
def test_every_trial_of_a_csv_export_lands_once_with_its_values(tmp_path, path):
    """Read from the run's own Parquet files: what the store kept of this one file."""
    manifest = import_path(path, tmp_path)
    trials = csv_trials(path)
    assert manifest["counts"]["fetched"] == manifest["counts"]["new"] == len(trials)
    run = tmp_path / "runs" / manifest["run_id"]
    con = duckdb.connect()
    rows = con.execute(f"""
        select r.registry, r.trial_id, r.public_title, r.primary_sponsor, r.registry_status,
               coalesce(list(v.value order by v.value_at) filter (where v.field = 'country'), []), r.url
        from read_parquet('{run}/registry_records.parquet') as r
        left join (select *, row_number() over () as value_at
                   from read_parquet('{run}/registry_values.parquet')) as v using (record_id)
        group by all""").fetchall()
    check_lands_once_as_exported(rows, trials)
    registers = {REGISTER_CODES[flat(t["source register"])] for t in trials}
    assert len(registers) == 10


def test_the_portals_white_space_and_br_reach_no_field(everything):
    data, _ = everything
    columns = query(data, """select column_name, data_type from information_schema.columns
                             where table_name = 'registry_trials' and data_type in ('VARCHAR', 'VARCHAR[]')""")
    assert len(columns) > 15
    for column, kind in columns:
        value = f"unnest({column})" if kind == "VARCHAR[]" else column
        bad = query(data, f"""
            select value from (select {value} as value from registry_trials where source not like 'ctgov%')
            where regexp_matches(value, '(?i)<br|&lt;|&gt;|&amp;|^\\s|\\s$|  |\\t|\\r| \\n|\\n |\\n\\n')""")
        assert bad == [], column


def test_statuses_and_phases_map_to_one_vocabulary_keeping_the_registrys_value(everything):
    data, _ = everything
    rows = query(data, "select distinct registry_status, status from registry_trials where registry <> 'CTGOV'")
    assert ("Authorised", "PENDING") in rows and ("Not Recruiting", "NOT_RECRUITING") in rows
    assert ("Ongoing", "ONGOING") in rows
    phases = dict(query(data, "select registry_phase, phase from registry_trials where registry = 'ChiCTR'"))
    assert phases["4"] == "PHASE4" and phases["Retrospective study"] == "NA"
    assert set(STATUSES.values()) | {"OTHER"} == set(STATUS_VOCABULARY)
    assert {s for (s,) in query(data, "select distinct status from registry_trials where status is not null")} <= set(
        STATUS_VOCABULARY)
    assert set(query(data, "select distinct phase from registry_trials where phase is not null")) <= {
        (p,) for p in ("NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4", "PHASE1/PHASE2",
                       "PHASE2/PHASE3", "PHASE3/PHASE4")}


def test_ctgov_statuses_map_as_the_registry_vocabulary_says(everything):
    """registry_trials maps CT.gov's statuses in SQL: the same mapping as etl/registry.py's."""
    data, _ = everything
    mapped = dict(query(data, "select distinct registry_status, status from registry_trials where registry = 'CTGOV' "
                              "and source like 'ctgov%'"))
    assert mapped
    for value, code in mapped.items():
        assert code == status(value), value
    assert set(mapped) <= set(VOCABULARIES["overall_status"])


def euctr_records():
    """The download's country records as (EudraCT number, country code, {label: value}), read here."""
    text = EUCTR_TEXT.read_text()
    records = []
    for chunk in re.split(r"^Summary\n(?=EudraCT Number:)", text, flags=re.M)[1:]:
        fields = dict(re.findall(r"^([A-Z][^:\n]*?): ?(.*)$", chunk, flags=re.M))
        eudract, country = re.search(r"/trial/(\d{4}-\d{6}-\d{2})/(\w+)/", fields["Link"]).groups()
        records.append((eudract, country, fields))
    return records


def test_euctr_full_text_every_country_record_of_both_trials(everything):
    data, manifests = everything
    records = euctr_records()
    assert len(records) == 10 and {e for e, *_ in records} == {"2022-002568-62", "2021-002179-21"}
    # Sweden and Poland each send two versions of their record: the later one is the registration.
    latest = {f"{e}-{c}": fields for e, c, fields in records}
    assert len(latest) == 8
    euctr_run = manifests[3]
    assert euctr_run["counts"]["fetched"] == euctr_run["counts"]["new"] == 8
    assert euctr_run["counts"]["quarantined"] == 0
    got = {trial_id: row for trial_id, *row in query(data, """
        select trial_id, scientific_title, primary_sponsor, registry_status, registration_date::varchar,
               target_size, countries[1], url, source
        from registry_trials where source = 'euctr_text'""")}
    assert set(got) == set(latest)
    for trial_id, fields in latest.items():
        assert got[trial_id] == [
            fields["A.3 Full title of the trial"], fields["B.1.1 Name of Sponsor"], fields["Trial Status"],
            fields["Date on which this record was first entered in the EudraCT database"],
            int(fields.get("F.4.2.2 In the whole clinical trial") or fields.get("F.4.2.1 In the EEA")
                or fields["F.4.1 In the member state"]),
            fields["National Competent Authority"].split(" - ")[0], fields["Link"], "euctr_text"], trial_id
    assert query(data, """select phase, count(*) from registry_trials where trial_id like '2022-002568-62-%'
                          or trial_id like '2021-002179-21-%' group by 1 order by 1""") == [
        ("PHASE1/PHASE2", 2), ("PHASE3", 6)]


def test_json_error_here_values_are_flagged_not_fatal(everything):
    data, _ = everything
    assert query(data, """select trial_id, record_flags from registry_trials
                          where len(record_flags) > 0 and source = 'euctr_text' order by 1""") == [
        ("2021-002179-21-FR", ["bad_value:A.8"]), ("2021-002179-21-PL", ["earlier_versions:1"]),
        ("2022-002568-62-ES", ["bad_value:A.7"]), ("2022-002568-62-SE", ["earlier_versions:1"])]


def test_the_eu_registers_country_records_are_one_trial_each(everything):
    data, _ = everything
    rows = query(data, """
        select trial_key, count(*), count(*) filter (where is_preferred), list(registry order by trial_id)
        from trial_identities where trial_key in ('EUDRACT:2022-002568-62', 'EUDRACT:2021-002179-21')
        group by 1 order by 1""")
    assert rows == [("EUDRACT:2021-002179-21", 6, 1, ["EUCTR"] * 6), ("EUDRACT:2022-002568-62", 2, 1, ["EUCTR"] * 2)]
    reasons = query(data, """select distinct reason from trial_identity_links
                             where trial_key = 'EUDRACT:2021-002179-21'""")
    assert reasons == [("own id",)]


def test_copies_of_one_registration_are_one_row_and_one_trial(everything):
    """ICTRP's XML and CSVs hold the same trials: each registration is one row, one key; the count of
    trials is the count of distinct registrations across the files."""
    data, _ = everything
    ids = {flat(t["trialid"]) for t in xml_trials()} | {flat(t["trialid"]) for p in ICTRP_CSVS for t in csv_trials(p)}
    ctgov = {p.stem for p in CTGOV_RECORDS}
    eu_trials = {"2022-002568-62", "2021-002179-21"}
    assert query(data, "select count(*), count(distinct trial_key) from trial_identities") == [
        (len(ids) + len(ctgov) + 8, len(ids) + len(ctgov) + len(eu_trials))]
    assert query(data, "select count(*) from trial_identities where is_preferred") == [
        (len(ids) + len(ctgov) + len(eu_trials),)]


def test_a_trial_in_two_registries_groups_under_one_key(tmp_path):
    """No trial is in two of the shared sources, so one real CT.gov record is given the EudraCT
    number of one of the real EU records as its secondary id (as CT.gov records declare them): the
    NCT record and both EU country records become one trial; the other EU trial stays apart, and a
    second CT.gov record declaring the same number (an id two trials share) links nothing."""
    studies = sorted((SHARED_DATA / "ctgov_v2_json").glob("NCT*.json"))[:2]
    folder = tmp_path / "ctgov"
    folder.mkdir()
    nct_ids = []
    for path, declared in zip(studies, (["2022-002568-62", "N/A"], ["N/A"])):
        study = json.loads(path.read_text())
        ident = study["protocolSection"]["identificationModule"]
        ident["secondaryIdInfos"] = [{"id": value, "type": "OTHER"} for value in declared]
        ident["orgStudyIdInfo"] = {"id": "PROTOCOL-1"}  # a sponsor code two trials share
        (folder / path.name).write_text(json.dumps(study))
        nct_ids.append(ident["nctId"])
    data = tmp_path / "data"
    import_path(EUCTR_TEXT, data)
    import_path(folder, data)
    build(data)
    keys = dict(query(data, "select trial_id, trial_key from trial_identities"))
    assert keys[nct_ids[0]] == keys["2022-002568-62-ES"] == keys["2022-002568-62-SE"]
    assert keys[nct_ids[1]] == nct_ids[1] and keys["2021-002179-21-FR"] == "EUDRACT:2021-002179-21"
    assert query(data, "select count(distinct trial_key) from trial_identities") == [(3,)]
    preferred = query(data, "select registry, trial_id from trial_identities where is_preferred and trial_key = ?",
                      [keys[nct_ids[0]]])
    assert preferred == [("CTGOV", nct_ids[0])]
    (links, reason), = query(data, """select links, reason from trial_identity_links
                                      where trial_id = ? and declared_value = '2022-002568-62'""", [nct_ids[0]])
    assert links and reason == "secondary id"
    assert query(data, "select links, reason from trial_identity_links where declared_value = 'N/A' limit 1") == [
        (False, "not an id of a known registry")]

    # The same EudraCT number declared by the second CT.gov trial too: ambiguous, it links nothing.
    study = json.loads((folder / studies[1].name).read_text())
    study["protocolSection"]["identificationModule"]["secondaryIdInfos"] = [{"id": "EudraCT 2022-002568-62"}]
    (folder / studies[1].name).write_text(json.dumps(study))
    import_path(folder, data)
    build(data)
    keys = dict(query(data, "select trial_id, trial_key from trial_identities"))
    assert keys[nct_ids[0]] == nct_ids[0] and keys[nct_ids[1]] == nct_ids[1]
    assert keys["2022-002568-62-ES"] == keys["2022-002568-62-SE"] == "EUDRACT:2022-002568-62"
    assert query(data, """select distinct links, reason from trial_identity_links
                          where registry = 'EUCTR' and declared_as = 'own'""") == [(True, "own id")]
    reasons = {reason for (reason,) in query(data, "select reason from trial_identity_links where not links")}
    assert f"ambiguous: declared by {', '.join(sorted(nct_ids))}" in reasons


def test_a_broken_export_keeps_what_it_read_and_quarantines_the_file(tmp_path):
    data = ICTRP_XML.read_bytes()
    cut = tmp_path / "ICTRP-cut.xml"
    cut.write_bytes(data[:data.index(b"</Trial>", len(data) // 2) + 200])
    manifest = import_path(cut, tmp_path / "data")
    fetched, quarantined = manifest["counts"]["fetched"], manifest["counts"]["quarantined"]
    assert 250 < fetched < 578 and quarantined == 1 and manifest["counts"]["new"] == fetched - 1
    run = tmp_path / "data" / "runs" / manifest["run_id"]
    (stage, reason, payload), = duckdb.connect().execute(
        f"select stage, reason, payload from '{run}/quarantine.parquet'").fetchall()
    assert stage == "read" and "breaks off after" in reason and payload == cut.read_bytes().decode()


def test_importing_an_export_again_stores_nothing_new(tmp_path):
    first = import_path(ICTRP_CSVS[1], tmp_path)
    again = import_path(ICTRP_CSVS[1], tmp_path)
    assert first["counts"]["new"] == 927
    assert (again["counts"]["unchanged"], again["counts"]["new"], again["counts"]["changed"]) == (927, 0, 0)


REGISTRY_QUERIES = re.findall(r"^### (.+?)\n.*?^```sql\n(.*?)^```",
                              (REPO / "docs" / "queries.md").read_text().split("\n# Across registries\n")[1],
                              re.MULTILINE | re.DOTALL)


def test_the_registry_queries_answer_on_the_shared_exports(everything):
    data, _ = everything
    answers = {question.split(".")[0]: query(data, sql) for question, sql in REGISTRY_QUERIES}
    assert set(answers) == {"A", "B", "C", "D", "E"}
    assert all(answers[q] for q in ("A", "B", "D", "E"))
    by_registry = {registry: trials for registry, trials, _ in answers["A"]}
    assert by_registry["ChiCTR"] > by_registry["CTGOV"] > by_registry["EUCTR"] > 0
    assert answers["B"][0][:1] == ("CN",)
    assert answers["C"] == []  # no trial of the shared data is in both (see the test with a declared EudraCT number)
    assert [row[:2] for row in answers["D"]] == [("EUDRACT:2021-002179-21", 6), ("EUDRACT:2022-002568-62", 2)]


def test_the_eu_and_us_query_finds_a_trial_in_both(tmp_path):
    """Question C on a CT.gov record that declares an EU register trial's EudraCT number."""
    study = json.loads(sorted((SHARED_DATA / "ctgov_v2_json").glob("NCT*.json"))[0].read_text())
    ident = study["protocolSection"]["identificationModule"]
    ident["secondaryIdInfos"] = [{"id": "2021-002179-21", "type": "EUDRACT_NUMBER"}]
    folder = tmp_path / "ctgov"
    folder.mkdir()
    (folder / f"{ident['nctId']}.json").write_text(json.dumps(study))
    import_path(EUCTR_TEXT, tmp_path / "data")
    import_path(folder, tmp_path / "data")
    build(tmp_path / "data")
    sql = dict((q.split(".")[0], s) for q, s in REGISTRY_QUERIES)["C"]
    assert query(tmp_path / "data", sql) == [
        ("EUDRACT:2021-002179-21", [f"2021-002179-21-{c}" for c in ("ES", "FR", "GR", "HU", "PL", "PT")],
         [ident["nctId"]])]


def test_links_that_would_merge_two_trials_of_one_registry_are_not_followed(tmp_path):
    """NCT A declares the EU trial's EudraCT number, and the EU trial declares NCT B as its US number
    (A.5.2, added to the real record): following both would make A and B one trial, so neither
    secondary link is followed; the EU country records stay one trial by their own id."""
    studies = sorted((SHARED_DATA / "ctgov_v2_json").glob("NCT*.json"))[:2]
    folder = tmp_path / "ctgov"
    folder.mkdir()
    nct_ids = []
    for path, declared in zip(studies, (["2022-002568-62"], [])):
        study = json.loads(path.read_text())
        ident = study["protocolSection"]["identificationModule"]
        ident["secondaryIdInfos"] = [{"id": value} for value in declared]
        (folder / path.name).write_text(json.dumps(study))
        nct_ids.append(ident["nctId"])
    text = EUCTR_TEXT.read_text().replace(
        "A.4.1 Sponsor's protocol code number: AVB-PGRN-001\n",
        f"A.4.1 Sponsor's protocol code number: AVB-PGRN-001\nA.5.2 US NCT (ClinicalTrials.gov registry) number: {nct_ids[1]}\n")
    download = tmp_path / "euctr.txt"
    download.write_text(text)
    data = tmp_path / "data"
    import_path(download, data)
    import_path(folder, data)
    build(data)
    keys = dict(query(data, "select trial_id, trial_key from trial_identities"))
    assert keys[nct_ids[0]] == nct_ids[0] and keys[nct_ids[1]] == nct_ids[1]
    assert keys["2022-002568-62-ES"] == keys["2022-002568-62-SE"] == "EUDRACT:2022-002568-62"
    reasons = set(query(data, "select trial_id, reason from trial_identity_links where not links and identifier is not null"))
    merge = f"not followed: it would merge {', '.join(sorted(nct_ids))}"
    assert (nct_ids[0], merge) in reasons and ("2022-002568-62-ES", merge) in reasons


def test_every_stored_version_of_a_registry_record_is_in_its_history(everything):
    data, manifests = everything
    stored = sum(m["counts"]["new"] + m["counts"]["changed"] for m in manifests[:4])
    assert query(data, "select count(*), count(*) filter (where is_current) from registry_record_versions") == [
        (stored, sum(m["counts"]["new"] for m in manifests[:4]))]
    # A trial the portal refreshed between the XML (18 March) and the CSV exports (April): two versions.
    changed = query(data, """select trial_id, list(source order by version), list(is_current order by version)
                             from registry_record_versions group by trial_id having count(*) > 1 limit 1""")
    assert changed and changed[0][2][-1] is True and changed[0][1][0] == "ictrp_xml"


def test_an_eu_record_declaring_its_us_number_links_to_the_ctgov_record(tmp_path):
    """The EU register's A.5.2 (US NCT number; added to the real record, which leaves it empty) links
    its country records to that CT.gov record; the other EU trial stays apart."""
    study_path = sorted((SHARED_DATA / "ctgov_v2_json").glob("NCT*.json"))[0]
    nct_id = study_path.stem
    folder = tmp_path / "ctgov"
    folder.mkdir()
    (folder / study_path.name).write_bytes(study_path.read_bytes())
    download = tmp_path / "euctr.txt"
    download.write_text(EUCTR_TEXT.read_text().replace(
        "A.4.1 Sponsor's protocol code number: AB21004\n",
        f"A.4.1 Sponsor's protocol code number: AB21004\nA.5.2 US NCT (ClinicalTrials.gov registry) number: {nct_id}\n"))
    data = tmp_path / "data"
    import_path(download, data)
    import_path(folder, data)
    build(data)
    keys = dict(query(data, "select trial_id, trial_key from trial_identities"))
    eu = [k for k in keys if k.startswith("2021-002179-21-")]
    assert len(eu) == 6 and {keys[k] for k in eu} == {keys[nct_id]} == {"EUDRACT:2021-002179-21"}
    assert keys["2022-002568-62-ES"] == "EUDRACT:2022-002568-62"
    assert query(data, "select registry, trial_id from trial_identities where is_preferred and trial_key = ?",
                 ["EUDRACT:2021-002179-21"]) == [("CTGOV", nct_id)]


def test_saved_protocol_pages_of_the_eu_register_land_as_their_registrations(tmp_path):
    """`trials import` of the register's HTML protocol pages (as served in 2016-17): each page is its
    country's registration; values checked against the page's own table cells."""
    pages = sorted((REGISTRIES / "euctr" / "pages").glob("*.html"))
    for page in pages:
        assert import_path(page, tmp_path)["counts"]["new"] == 1
    build(tmp_path)
    got = {trial_id: row for trial_id, *row in query(tmp_path, """
        select trial_id, scientific_title, primary_sponsor, registration_date::varchar, source
        from registry_trials""")}
    assert set(got) == {page.stem for page in pages}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        cell = lambda code: flat(re.sub(r"<[^>]+>", " ", re.search(
            rf'<td class="first">{re.escape(code)}</td><td class="second">[^<]*</td><td class="third">(.*?)</td>\s*</tr>',
            text, re.S).group(1)))
        entered = re.search(r"first entered in the EudraCT database:\s*(?:</[^>]+>\s*)*(?:<[^>]+>\s*)*([\d-]{10})",
                            text).group(1)
        assert got[page.stem] == [cell("A.3"), cell("B.1.1"), entered, "euctr_page"], page.stem


def test_an_export_with_an_entity_bomb_is_quarantined_not_expanded(tmp_path):
    entities = '<!ENTITY a0 "dbdbdbdbdbdbdbdb">' + "".join(
        f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    bomb = tmp_path / "ICTRP-bomb.xml"
    bomb.write_text(f'<?xml version="1.0"?><!DOCTYPE Trials_downloaded_from_ICTRP [{entities}]>'
                    "<Trials_downloaded_from_ICTRP><Trial><TrialID>ChiCTR2000000001</TrialID>"
                    "<Public_title>&a9;</Public_title></Trial></Trials_downloaded_from_ICTRP>")
    manifest = import_path(bomb, tmp_path / "data")
    assert (manifest["counts"]["new"], manifest["counts"]["quarantined"]) == (0, 1)


def test_ctgovs_own_record_is_preferred_to_ictrps_copy(tmp_path):
    """ICTRP's copy of an NCT record and ClinicalTrials.gov's own record (a real record given the id
    of one in the export: none of the shared CT.gov records is in it) are one registration, read from
    the registry's own record; the copy stays in the history."""
    nct_id = next(flat(t["trialid"]) for t in xml_trials() if flat(t["trialid"]).startswith("NCT"))
    study = json.loads(sorted((SHARED_DATA / "ctgov_v2_json").glob("NCT*.json"))[0].read_text())
    study["protocolSection"]["identificationModule"]["nctId"] = nct_id
    folder = tmp_path / "ctgov"
    folder.mkdir()
    (folder / f"{nct_id}.json").write_text(json.dumps(study))
    data = tmp_path / "data"
    import_path(folder, data)
    import_path(ICTRP_XML, data)  # the copy imported last: still not preferred
    build(data)
    title = study["protocolSection"]["identificationModule"]["briefTitle"]
    assert query(data, "select source, public_title from registry_trials where trial_id = ?", [nct_id]) == [
        ("ctgov_bulk", title)]
    assert query(data, "select count(*) from trial_identities where trial_id = ?", [nct_id]) == [(1,)]
    assert query(data, "select source, is_current from registry_record_versions where trial_id = ?", [nct_id]) == [
        ("ictrp_xml", True)]  # the latest of ICTRP's record, though the registration reads CT.gov's own
    assert query(data, "select count(*) from trials where nct_id = ?", [nct_id]) == [(1,)]


def test_the_registry_mart_counts_each_trial_once(everything):
    data, _ = everything
    assert query(data, "select sum(trials), sum(registrations) from mart_registry_trials") == query(
        data, "select count(distinct trial_key), count(*) from trial_identities")
    assert (data / "marts" / "mart_registry_trials.parquet").is_file()
