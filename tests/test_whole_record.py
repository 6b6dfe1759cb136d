"""No field lost: every leaf of every shared record lands in a column, or is left out on purpose.

Every shared API v2 record (the 751 files and the 635 in the bulk zip) and every legacy XML record
(2,065) is parsed, in batches, the way a run parses it (etl/batch.py: the columnar parsers and the SQL
in sql/documents/). A leaf's value must then be among the values of the record's rows, in any table;
else its path must be in LEFT_OUT, with the reason. `resultsSection` (and legacy `<clinical_results>`)
belong to the results tables, checked by their own tests.

Then facts computed here straight from the JSON and XML, without the project's code, must equal the
tables': rows per trial of each new table, PMIDs, official names, arm <-> intervention pairs, MeSH ancestors.
"""
import datetime as dt
import functools
import json
import re
import zipfile
from collections import Counter, defaultdict

import pyarrow as pa
import pytest
from lxml import etree

from trials.etl.batch import parse_batch
from trials.etl.store import utc_now

RESULTS = "covered by the results tables of sql/documents/ (their own tests)"
LEFT_OUT = {
    # API v2
    "derivedSection.miscInfoModule.versionHolder": "the date of the registry's data snapshot: it changes every "
                                                   "day for every trial and says nothing about the trial",
    "derivedSection.miscInfoModule.submissionTracking": "the registry's own processing of results submissions",
    "derivedSection.miscInfoModule.modelPredictions": "the registry's machine-learned guesses (BMI limits), "
                                                      "not what the sponsor registered",
    "annotationSection.annotationModule.violationAnnotation": "FDAAA 801 violation notices: 2 of 1,386 shared "
                                                             "records; kept in the stored document",
    "protocolSection.armsInterventionsModule.armGroups[].interventionNames[]":
        "the arm <-> intervention pairs of interventions[].armGroupLabels (design_group_interventions), "
        "spelled `Type: Name`",
    "protocolSection.identificationModule.secondaryIdInfos[].link": "a URL the registry builds from the id",
    "resultsSection": RESULTS,
    # legacy XML
    "clinical_results": RESULTS,
    "@rank": "the record's rank in the search that made the download",
    "required_header": "the download's header (when and from where), not the trial",
    "is_fda_regulated": "retired in 2017, replaced by oversight_info/is_fda_regulated_drug and _device",
    "is_section_801": "retired in 2017 with FDAAA 801 'applicable clinical trial' flags; not in API v2",
    "oversight_info/authority": "retired in 2017 (the regulators' names); not in API v2",
    "study_design": "the pre-2007 free-text design, whose parts study_design_info holds",
    "primary_outcome/safety_issue": "retired in 2017; not in API v2",
    "secondary_outcome/safety_issue": "retired in 2017; not in API v2",
    "other_outcome/safety_issue": "retired in 2017; not in API v2",
    "number_of_arms": "the count of arm_group (arm_groups), not a fact of its own",
    "number_of_groups": "the count of arm_group (arm_groups), not a fact of its own",
    "location_countries/country": "the countries of the locations (sites.country)",
    "provided_document_section/provided_document/document_url": "the registry's URL of the file, built from the "
                                                                "trial's id and file_name (provided_documents.url)",
}


@functools.lru_cache(maxsize=None)
def _left_out(path):
    return next((reason for prefix, reason in LEFT_OUT.items()
                 if path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "/")
                 or path.startswith(prefix + "[")), None)


_RENAMED = {"ANTICIPATED": "ESTIMATED", "ESTIMATE": "ESTIMATED", "BOTH": "ALL", "USFED": "FED",
            "EDUCATIONALCOUNSELINGTRAINING": "ECT", "UNKNOWNSTATUS": "UNKNOWN", "YES": "TRUE", "NO": "FALSE",
            "ACCEPTSHEALTHYVOLUNTEERS": "TRUE", "OBSERVATIONALPATIENTREGISTRY": "OBSERVATIONAL",
            "STATISTICALANALYSISPLANSAP": "SAP", "OPENLABEL": "NONE", "NOMASKING": "NONE", "DOUBLEBLIND": "DOUBLE", "SINGLEBLIND": "SINGLE", "INFORMEDCONSENTFORMICF": "ICF", "CLINICALSTUDYREPORTCSR": "CSR"}
_DATE_FORMATS = ("%B %d, %Y", "%B %Y", "%Y-%m-%d", "%Y-%m", "%Y-%m-%dT%H:%M")
_DATE_LIKE = re.compile(r"^(\d{4}-\d\d|[A-Z][a-z]+ (\d\d?, )?\d{4}$)")


@functools.lru_cache(maxsize=None)
def _keys(value):
    """The keys a value may meet a column's value by: its key, and for a legacy display value also
    the part before a parenthesis (`None (Open Label)` is masking NONE) and without `Assignment`."""
    key = _key(value)
    if not isinstance(key, str):
        return (key,)
    text = str(value)
    return (key, _key(text.split("(")[0]), key.removesuffix("ASSIGNMENT"))


@functools.lru_cache(maxsize=None)
def _key(value):
    """How a value compares here: letters and digits only, upper case (so `Active, not recruiting`
    meets ACTIVE_NOT_RECRUITING), a date as its ISO day, a number as a float."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:16] if isinstance(value, dt.datetime) else value.isoformat()
    text = " ".join(str(value).split())
    for form in _DATE_FORMATS if _DATE_LIKE.match(text) else ():
        try:
            parsed = dt.datetime.strptime(text, form)
            return parsed.isoformat()[:16] if "T" in form else parsed.date().isoformat()
        except ValueError:
            pass
    with_number = re.fullmatch(r"-?\d+(\.\d+)?", text)
    if with_number:
        return float(text)
    key = re.sub(r"[^0-9A-Z]", "", text.upper())
    return _RENAMED.get(key, key)


def _values(tables):
    """nct_id -> the keys of every value in the record's rows, lists flattened."""
    found = defaultdict(set)
    for table, rows in tables.items():
        if table == "documents":
            continue
        for row in rows.to_pylist():
            for column, value in row.items():
                for item in value if isinstance(value, list) else [value]:
                    if item is not None and column not in ("record_id", "source", "source_url", "content_hash"):
                        found[row["nct_id"]].add(_key(item))
                        if isinstance(item, str) and "/" in item:  # PHASE1/PHASE2
                            found[row["nct_id"]].update(_key(part) for part in item.split("/"))
    return found


def _parsed(source, bodies):
    """table -> rows of all the bodies, parsed in batches as a run parses them."""
    tables = defaultdict(list)
    for start in range(0, len(bodies), 500):
        batch = parse_batch([(source, f"file:///{at}", utc_now(), body)
                             for at, body in enumerate(bodies[start:start + 500], start)], "test", start + 1)
        assert not batch.quarantine, batch.quarantine[:1]
        for table, rows in batch.tables.items():
            tables[table].append(rows)
    return {table: pa.concat_tables(parts) for table, parts in tables.items()}


@pytest.fixture(scope="module")
def v2(shared_data):
    """The shared v2 studies (the 751 files, then the 635 of the bulk zip) and their tables."""
    bodies = [path.read_bytes() for path in sorted((shared_data / "ctgov_v2_json").glob("*.json"))]
    with zipfile.ZipFile(shared_data / "ctg-studies.json.zip") as bulk:
        bodies += [bulk.read(name) for name in bulk.namelist() if name.endswith(".json")]
    assert len(bodies) == 751 + 635
    return [json.loads(body) for body in bodies], _parsed("ctgov_bulk", bodies)


@pytest.fixture(scope="module")
def xml(shared_data):
    bodies = [path.read_bytes() for path in sorted((shared_data / "ctgov_xml").glob("*.xml"))]
    assert len(bodies) == 2065
    return [etree.fromstring(body) for body in bodies], _parsed("ctgov_xml", bodies)


def _leaves(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, f"{path}[]")
    elif value is not None:
        yield path, value


def _xml_leaves(element, path=""):
    for name, value in element.attrib.items():
        yield f"{path}/@{name}".lstrip("/"), value
    children = [child for child in element if isinstance(child.tag, str)]
    if not children and path:
        yield path, element.text or ""
    for child in children:
        yield from _xml_leaves(child, f"{path}/{child.tag}".lstrip("/"))


def _lost(records, values):
    """path -> (count, an example) of the leaves that land nowhere and are not left out on purpose."""
    lost = {}
    for nct_id, leaves in records:
        for path, value in leaves:
            text = " ".join(str(value).split())
            if not text or text.upper() in ("N/A", "NA") or not values[nct_id].isdisjoint(_keys(value)) \
                    or "," in text and all(_key(part) in values[nct_id] for part in text.split(",")) \
                    or _left_out(path):
                continue
            count, example = lost.get(path, (0, None))
            lost[path] = (count + 1, example or f"{nct_id}: {text[:80]!r}")
    return lost


def test_every_v2_leaf_lands_in_a_column_or_is_left_out_on_purpose(v2):
    studies, tables = v2
    values = _values(tables)
    records = [(study["protocolSection"]["identificationModule"]["nctId"], list(_leaves(study))) for study in studies]
    assert _lost(records, values) == {}


def test_every_xml_element_and_attribute_lands_in_a_column_or_is_left_out_on_purpose(xml):
    roots, tables = xml
    values = _values(tables)
    records = [(root.findtext("id_info/nct_id"), list(_xml_leaves(root))) for root in roots]
    assert _lost(records, values) == {}


def _per_record(tables, table, column=None):
    """record position -> the rows' count (or the set of a column's values, or of column tuples)."""
    found = defaultdict(Counter) if column is None else defaultdict(set)
    rows = tables[table]
    positions = [int(record_id.rpartition("/")[2]) - 1 for record_id in rows["record_id"].to_pylist()]
    if column is None:
        return Counter(positions)
    columns = [rows[name].to_pylist() for name in (column if isinstance(column, tuple) else (column,))]
    for position, *values in zip(positions, *columns):
        if None not in values:
            found[position].add(tuple(values) if isinstance(column, tuple) else values[0])
    return found


def _dig(value, *path):
    for key in path:
        value = (value or {}).get(key)
    return value


V2_ROWS = {  # table -> its rows in a study, counted straight from the JSON
    "overall_officials": lambda s: len(_dig(s, "protocolSection", "contactsLocationsModule", "overallOfficials") or []),
    "central_contacts": lambda s: len(_dig(s, "protocolSection", "contactsLocationsModule", "centralContacts") or []),
    "facility_contacts": lambda s: sum((c.get("role") or "CONTACT") == "CONTACT" for site in
                                       _dig(s, "protocolSection", "contactsLocationsModule", "locations") or []
                                       for c in site.get("contacts", [])),
    "facility_investigators": lambda s: sum((c.get("role") or "CONTACT") != "CONTACT" for site in
                                            _dig(s, "protocolSection", "contactsLocationsModule", "locations") or []
                                            for c in site.get("contacts", [])),
    "responsible_parties": lambda s: int(bool(_dig(s, "protocolSection", "sponsorCollaboratorsModule", "responsibleParty"))),
    "design_group_interventions": lambda s: sum(len(i.get("armGroupLabels", [])) for i in
                                                _dig(s, "protocolSection", "armsInterventionsModule", "interventions") or []),
    "intervention_other_names": lambda s: sum(len(i.get("otherNames", [])) for i in
                                              _dig(s, "protocolSection", "armsInterventionsModule", "interventions") or []),
    "browse_conditions": lambda s: sum(len(_dig(s, "derivedSection", "conditionBrowseModule", part) or [])
                                       for part in ("meshes", "ancestors")),
    "browse_interventions": lambda s: sum(len(_dig(s, "derivedSection", "interventionBrowseModule", part) or [])
                                          for part in ("meshes", "ancestors")),
    "browse_leaves": lambda s: sum(len(_dig(s, "derivedSection", module, "browseLeaves") or [])
                                   for module in ("conditionBrowseModule", "interventionBrowseModule")),
    "browse_branches": lambda s: sum(len(_dig(s, "derivedSection", module, "browseBranches") or [])
                                     for module in ("conditionBrowseModule", "interventionBrowseModule")),
    "study_references": lambda s: len(_dig(s, "protocolSection", "referencesModule", "references") or []),
    "links": lambda s: len(_dig(s, "protocolSection", "referencesModule", "seeAlsoLinks") or []),
    "available_ipds": lambda s: len(_dig(s, "protocolSection", "referencesModule", "availIpds") or []),
    "provided_documents": lambda s: len(_dig(s, "documentSection", "largeDocumentModule", "largeDocs") or []),
    "ipd_information_types": lambda s: len(_dig(s, "protocolSection", "ipdSharingStatementModule", "infoTypes") or []),
    "pending_results": lambda s: len(_dig(s, "annotationSection", "annotationModule", "unpostedAnnotation",
                                          "unpostedEvents") or []),
    "study_details": lambda s: 1,
}


def _xml_count(*paths):
    return lambda root: sum(1 for path in paths for element in root.iterfind(path) if (element.text or "").strip())


XML_ROWS = {
    "overall_officials": lambda root: len(root.findall("overall_official")),
    "central_contacts": lambda root: len(root.findall("overall_contact")) + len(root.findall("overall_contact_backup")),
    "facility_contacts": lambda root: len(root.findall("location/contact")) + len(root.findall("location/contact_backup")),
    "facility_investigators": lambda root: len(root.findall("location/investigator")),
    "responsible_parties": lambda root: int(any((e.text or "").strip() for e in root.iterfind("responsible_party/*"))),
    "design_group_interventions": _xml_count("intervention/arm_group_label"),
    "intervention_other_names": _xml_count("intervention/other_name"),
    "browse_conditions": _xml_count("condition_browse/mesh_term"),
    "browse_interventions": _xml_count("intervention_browse/mesh_term"),
    "browse_leaves": lambda root: 0,
    "browse_branches": lambda root: 0,
    "study_references": lambda root: len(root.findall("reference")) + len(root.findall("results_reference")),
    "links": lambda root: len(root.findall("link")),
    "available_ipds": lambda root: len(root.findall("study_docs/study_doc")),
    "provided_documents": lambda root: len(root.findall("provided_document_section/provided_document")),
    "ipd_information_types": _xml_count("patient_data/ipd_info_type"),
    "pending_results": lambda root: len(root.findall("pending_results/*")),
    "study_details": lambda root: 1,
}


def _differences(expected, found, records):
    return [(records[at], want, found.get(at, Counter() if isinstance(want, int) else set()))
            for at, want in enumerate(expected) if want != found.get(at, 0 if isinstance(want, int) else set())]


@pytest.mark.parametrize("table", sorted(V2_ROWS))
def test_v2_rows_per_trial_are_the_records(v2, table):
    studies, tables = v2
    ids = [s["protocolSection"]["identificationModule"]["nctId"] for s in studies]
    assert _differences([V2_ROWS[table](s) for s in studies], _per_record(tables, table), ids)[:3] == []


@pytest.mark.parametrize("table", sorted(XML_ROWS))
def test_xml_rows_per_trial_are_the_records(xml, table):
    roots, tables = xml
    ids = [root.findtext("id_info/nct_id") for root in roots]
    assert _differences([XML_ROWS[table](root) for root in roots], _per_record(tables, table), ids)[:3] == []


def test_v2_pmids_officials_pairs_and_mesh_ancestors_are_the_records(v2):
    studies, tables = v2
    ids = [s["protocolSection"]["identificationModule"]["nctId"] for s in studies]
    protocol = [s["protocolSection"] for s in studies]
    facts = {
        ("study_references", "pmid"): [{r["pmid"] for r in _dig(p, "referencesModule", "references") or [] if "pmid" in r}
                                       for p in protocol],
        ("overall_officials", "name"): [{o["name"] for o in _dig(p, "contactsLocationsModule", "overallOfficials") or []}
                                        for p in protocol],
        ("design_group_interventions", ("arm_group_label", "intervention_name")): [
            {(label, i["name"]) for i in _dig(p, "armsInterventionsModule", "interventions") or []
             for label in i.get("armGroupLabels", [])} for p in protocol],
    }
    ancestors = _per_record(tables, "browse_conditions", ("mesh_id", "mesh_type"))
    for (table, column), expected in facts.items():
        found = _per_record(tables, table, column)
        assert [(ids[at], want, found.get(at, set())) for at, want in enumerate(expected)
                if want != found.get(at, set())][:3] == [], table
    expected = [{a["id"] for a in _dig(s, "derivedSection", "conditionBrowseModule", "ancestors") or []} for s in studies]
    assert [ids[at] for at, want in enumerate(expected)
            if want != {mesh_id for mesh_id, kind in ancestors.get(at, ()) if kind == "mesh-ancestor"}] == []
    assert sum(map(len, expected)) > 5000  # the shared records do carry the MeSH tree


def test_xml_pmids_officials_and_pairs_are_the_records(xml):
    roots, tables = xml
    ids = [root.findtext("id_info/nct_id") for root in roots]
    facts = {
        ("study_references", "pmid"): [{e.text.strip() for e in root.iterfind("*/PMID")} for root in roots],
        ("overall_officials", "name"): [{" ".join(e.text.split()) for e in root.iterfind("overall_official/last_name")}
                                        for root in roots],
        ("design_group_interventions", ("arm_group_label", "intervention_name")): [
            {(" ".join(label.text.split()), " ".join(i.findtext("intervention_name").split()))
             for i in root.iterfind("intervention") for label in i.iterfind("arm_group_label")} for root in roots],
    }
    for (table, column), expected in facts.items():
        found = _per_record(tables, table, column)
        assert [(ids[at], want, found.get(at, set())) for at, want in enumerate(expected)
                if want != found.get(at, set())][:3] == [], table
