"""The legacy XML parser on every real XML record we have, and its safety on hostile XML."""
import datetime as dt

import pyarrow as pa
import pytest
from lxml import etree

from trials.etl.ctgov_xml import fold
from trials.etl.parsers import parse_record
from trials.etl.legacy_vocab import legacy_enum, legacy_masking, legacy_phases
from trials.etl.record import ParseError
from trials.etl.vocab import VOCABULARIES
from trials.samples import CTGOV_XML_SAMPLE


def test_every_shared_xml_record_parses_with_its_core_fields(shared_data):
    files = sorted((shared_data / "ctgov_xml").glob("NCT*.xml"))
    assert len(files) == 2065
    for file in files:
        body = file.read_bytes()
        xml = etree.fromstring(body)
        trial = parse_record("ctgov_xml", body)["trials"][0]  # a ParseError fails the test
        assert trial["nct_id"] == file.stem
        assert trial["overall_status"], file.name
        assert trial["lead_sponsor"] == " ".join(xml.findtext("sponsors/lead_sponsor/agency").split())
        if xml.findtext("sponsors/lead_sponsor/agency_class"):
            assert trial["lead_sponsor_class"], file.name
        if xml.findtext("study_type") != "N/A":  # withheld records: no study type to fill
            assert trial["study_type"], file.name
        if xml.findtext("study_type") == "Interventional" and xml.findtext("phase"):
            assert trial["phase"] and trial["phases"], file.name
            assert (trial["phase"] == "NA") == (xml.findtext("phase") == "N/A"), file.name
        elif xml.findtext("phase") == "N/A":  # API v2 gives no phase to other studies
            assert (trial["phase"], trial["phases"]) == (None, []), file.name


def test_a_legacy_record_normalizes_to_the_v2_vocabulary(shared_data):
    record = parse_record("ctgov_xml", (shared_data / "ctgov_xml" / "NCT00000117.xml").read_bytes())
    trial = record["trials"][0]
    assert (trial["phase"], trial["overall_status"], trial["study_type"]) == ("PHASE3", "COMPLETED", "INTERVENTIONAL")
    assert (trial["lead_sponsor"], trial["lead_sponsor_class"]) == ("National Eye Institute (NEI)", "NIH")
    assert (trial["start_date"], trial["start_date_precision"]) == (dt.date(1995, 8, 1), "month")
    assert (trial["allocation"], trial["masking"], trial["sex"]) == ("RANDOMIZED", "DOUBLE", "ALL")
    assert (trial["minimum_age_years"], trial["maximum_age_years"]) == (None, 50.0)
    assert "\n" not in trial["brief_summary"] and trial["brief_summary"].startswith("To determine whether high-dose")
    assert record["interventions"][0]["intervention_type"] == "DRUG"
    site = record["sites"][0]
    assert (site["facility"], site["city"], site["country_code"]) == (
        "Mayo Clinic, Department of Neurology", "Rochester", "US")


def test_the_same_trial_from_xml_and_from_the_api_looks_the_same(shared_data):
    """NCT00499317 is in both sets: every structured field agrees; only text wrapping, the update
    date of the two snapshots and what the legacy format lacks (MeSH ids, geo points) differ."""
    xml = parse_record("ctgov_xml", (shared_data / "ctgov_xml" / "NCT00499317.xml").read_bytes())
    api = parse_record("ctgov_api", (shared_data / "ctgov_v2_json" / "NCT00499317.json").read_bytes())
    differ = {"last_update_posted", "eligibility_criteria", "brief_summary", "detailed_description"}
    assert {k: v for k, v in xml["trials"][0].items() if k not in differ} == \
        {k: v for k, v in api["trials"][0].items() if k not in differ}
    for table, ignored in [("conditions", ()), ("keywords", ()), ("sponsors", ()),
                           ("condition_mesh_terms", ("mesh_id",)), ("sites", ("latitude", "longitude")),
                           ("secondary_ids", ("id_type", "domain"))]:
        def strip(rows):
            return [{k: v for k, v in row.items() if k not in ignored} for row in rows]
        assert strip(xml[table]) == strip(api[table]), table
    assert xml["sites"][0]["country_code"] == "US" and xml["condition_mesh_terms"][0]["mesh_term"] == "Cystitis"


@pytest.mark.parametrize("field, legacy, v2", [
    ("overall_status", "Active, not recruiting", "ACTIVE_NOT_RECRUITING"),
    ("overall_status", "Unknown status", "UNKNOWN"),
    ("agency_class", "U.S. Fed", "FED"),
    ("agency_class", "Industry", "INDUSTRY"),
    ("sex", "All", "ALL"),
    ("sex", "Both", "ALL"),
    ("allocation", "Non-Randomized", "NON_RANDOMIZED"),
    ("allocation", "N/A", "NA"),
    ("intervention_model", "Parallel Assignment", "PARALLEL"),
    ("intervention_type", "Dietary Supplement", "DIETARY_SUPPLEMENT"),
    ("arm_type", "Placebo Comparator", "PLACEBO_COMPARATOR"),
    ("enrollment_type", "Anticipated", "ESTIMATED"),
    ("primary_purpose", "Educational/Counseling/Training", "ECT"),
])
def test_legacy_values_map_to_v2_enums(field, legacy, v2):
    assert legacy_enum(legacy) == v2 and v2 in VOCABULARIES[field]


def test_legacy_phases_and_masking():
    assert legacy_phases("Phase 1/Phase 2") == ["PHASE1", "PHASE2"]
    assert legacy_phases("N/A") == ["NA"]
    assert legacy_phases("Early Phase 1") == ["EARLY_PHASE1"]
    assert legacy_masking("Quadruple (Participant, Care Provider, Investigator, Outcomes Assessor)") == "QUADRUPLE"
    assert legacy_masking("None (Open Label)") == "NONE"
    assert legacy_masking("Participant, Investigator") == "DOUBLE"


def test_unknown_legacy_values_are_kept_raw_spelled_as_the_enums_are():
    assert legacy_enum("On Hold") == "ON_HOLD" and "ON_HOLD" not in VOCABULARIES["overall_status"]
    assert legacy_phases("Phase 1/Phase 9") == ["PHASE1", "PHASE9"]
    assert legacy_phases("Pilot") == ["PILOT"]
    assert legacy_masking("A, B, C, D, E") == "A_B_C_D_E"


def test_text_folds_as_python_splits_it():
    """fold works on the batch's bytes; Python's own folding is the reference, other whitespace
    included, and the punctuation whose UTF-8 starts like it (an en dash, a right quote) kept."""
    texts = ["  a\n\t b  ", "a\u00a0 b", "x \u2013 y\u2019s", " \u3000q\u2009r\u205f", "\u00a0", "end\u00a0",
             "\u00e9\u00a0\u1680\u2028", "one", "", None, "\r\n", "tab\x0bvertical\x0cfeed", "\u2003" * 3 + "\u00e0"]
    expected = [" ".join(text.split()) or None if text else None for text in texts]
    assert fold(pa.array(texts, pa.string())).to_pylist() == expected
    assert fold(pa.array(texts, pa.string()).slice(3)).to_pylist() == expected[3:]


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = (f'<?xml version="1.0"?><!DOCTYPE clinical_study [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
            "<clinical_study><id_info><nct_id>NCT00000117</nct_id></id_info><brief_title>&xxe;</brief_title>"
            "<overall_status>Completed</overall_status></clinical_study>").encode()
    with pytest.raises(ParseError, match="DOCTYPE") as refused:
        parse_record("ctgov_xml", body)
    assert "TOP-SECRET" not in str(refused.value)
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 9))
    bomb = f"<!DOCTYPE lolz [{entities}]><clinical_study><brief_title>&lol8;</brief_title></clinical_study>".encode()
    with pytest.raises(ParseError, match="DOCTYPE|amplification"):  # libxml2 refuses it first
        parse_record("ctgov_xml", bomb)


def test_text_where_elements_were_expected_is_a_parse_error():
    body = (b"<clinical_study><id_info><nct_id>NCT00000117</nct_id></id_info>"
            b"<eligibility>All</eligibility><overall_status>Completed</overall_status></clinical_study>")
    with pytest.raises(ParseError, match="invalid study"):
        parse_record("ctgov_xml", body)


@pytest.mark.parametrize("body, reason", [
    (b"<clinical_study><id_info><nct_id>NCT0001</nct_id></id_info>", "invalid XML"),
    (b"<html><body>not a study</body></html>", "not a legacy study"),
    (b"<clinical_study><id_info><nct_id>NCT0001</nct_id></id_info></clinical_study>", "malformed NCT id"),
])
def test_bad_xml_is_a_parse_error_with_the_reason(body, reason):
    with pytest.raises(ParseError, match=reason):
        parse_record("ctgov_xml", body)


def test_a_study_whose_text_names_its_element_is_read():
    """The one-pass check of the `<clinical_study>` tags counts the name; text naming it is not a tag."""
    body = (b"<clinical_study><id_info><nct_id>NCT00000117</nct_id></id_info><brief_title>The clinical_study "
            b"element, &lt;clinical_study&gt; and &lt;/clinical_study&gt;</brief_title>"
            b"<overall_status>Completed</overall_status></clinical_study>")
    trial = parse_record("ctgov_xml", body)["trials"][0]
    assert trial["brief_title"] == "The clinical_study element, <clinical_study> and </clinical_study>"


def test_shipped_sample_is_varied(sample_xml):
    assert len(sample_xml) == 300 and CTGOV_XML_SAMPLE.stat().st_size < 2_000_000
    trials = [parse_record("ctgov_xml", body)["trials"][0] for body in sample_xml.values()]
    assert {t["study_type"] for t in trials} >= {"INTERVENTIONAL", "OBSERVATIONAL", "EXPANDED_ACCESS"}
    assert {t["phase"] for t in trials} >= {"EARLY_PHASE1", "PHASE1/PHASE2", "PHASE2/PHASE3", "PHASE4", "NA"}
    assert {t["overall_status"] for t in trials} >= {"UNKNOWN", "ACTIVE_NOT_RECRUITING", "WITHDRAWN", "RECRUITING"}
    assert {t["lead_sponsor_class"] for t in trials} >= {"NIH", "FED", "INDUSTRY", "OTHER"}
