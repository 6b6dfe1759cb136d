"""The columnar parsers read a batch at once: a body they cannot keep is found and quarantined with
the reason it gets alone, and the bodies around it are kept as they are alone."""
import datetime as dt
import json

import pytest

from trials.etl.batch import parse_batch
from trials.etl.record import read_halving

FETCHED = dt.datetime(2026, 11, 24, tzinfo=dt.timezone.utc)


def edited(body, edit):
    study = json.loads(body)
    edit(study["protocolSection"])
    return json.dumps(study).encode()


def bad_bodies(body):
    """Bodies the store must not keep, each wrong in its own way, made from a real study."""
    return {
        "truncated": body[: len(body) // 2],
        "not UTF-8": body.replace(b'"briefTitle": "', b'"briefTitle": "\xd5'),
        "two values": body + b" " + body,
        "a key after the value": body.rstrip() + b', "extra": 1',
        "empty": b"",
        "UTF-16": body.decode().encode("utf-16"),
        "wrong type": edited(body, lambda p: p["designModule"].update(enrollmentInfo={"count": "many"})),
        "bad date": edited(body, lambda p: p["statusModule"].update(startDateStruct={"date": "sometime"})),
        "bad id": edited(body, lambda p: p["identificationModule"].update(nctId="NCT123")),
        "null row": edited(body, lambda p: p["armsInterventionsModule"].update(interventions=[None])),
        "null phase": edited(body, lambda p: p["designModule"].update(phases=["PHASE1", None])),
        "NaN latitude": edited(body, lambda p: p["contactsLocationsModule"]["locations"][0]["geoPoint"]
                               .update(lat=float("nan"))),
        "no protocolSection": b'{"derivedSection": {}}',
    }


STUDY = b"<clinical_study><id_info><nct_id>NCT0000000%d</nct_id></id_info><brief_title>T</brief_title>%s</clinical_study>"


def bad_xml_documents(body):
    """Legacy XML documents the store must not keep, made from a real one. Together in a batch, the
    last three would give a reader that only counted the studies one each: the first leaves its study
    open, the second closes it, the third holds two."""
    return {
        "truncated": body[: len(body) // 2],
        "not UTF-8": body.replace(b"<brief_title>", b"<brief_title>\xd5"),
        "a control character": body.replace(b"<brief_title>", b"<brief_title>\x01"),
        "mismatched tag": body.replace(b"</brief_title>", b"</brief_titel>"),
        "undefined entity": body.replace(b"<brief_title>", b"<brief_title>&nbsp;"),
        "a DOCTYPE": b"<!DOCTYPE clinical_study>" + body,
        "another root": b"<html><body>not a study</body></html>",
        "empty": b"",
        "bad date": body.replace(b"<start_date>", b"<start_date>sometime ", 1),
        "bad id": body.replace(b"<nct_id>NCT", b"<nct_id>XYZ"),
        "text in a group": STUDY % (1, b"<eligibility>All</eligibility>"),
        "left open": STUDY % (2, b"<clinical_study>"),
        "closing another": b"<clinical_study/>" + b"</clinical_study>",
        "two studies": b"<clinical_study/>" + STUDY % (3, b""),
    }


def stored(bodies, source="ctgov_bulk"):
    return parse_batch([(source, f"file:///{i}", FETCHED, body) for i, body in enumerate(bodies)], "r", 1)


@pytest.mark.parametrize("source", ["ctgov_bulk", "ctgov_xml"])
def test_a_batch_quarantines_what_each_body_alone_is_quarantined_for(source, sample_studies, sample_xml):
    if source == "ctgov_bulk":
        body = next(b for b in sample_studies.values() if b'"geoPoint"' in b and b'"interventions"' in b)
        good, bad = list(sample_studies.values())[:14], bad_bodies(body)
    else:
        body = next(b for b in sample_xml.values() if b"<start_date>" in b)
        good, bad = list(sample_xml.values())[:14], bad_xml_documents(body)
    bodies = [b for pair in zip(good, bad.values()) for b in pair] + good[len(bad):]
    batch = stored(bodies, source)
    reasons = {row["url"]: (row["stage"], row["reason"]) for row in batch.quarantine}
    assert len(reasons) == len(bad)
    for case, bad_body in bad.items():
        [alone] = stored([bad_body], source).quarantine
        url = f"file:///{bodies.index(bad_body)}"
        assert reasons[url] == (alone["stage"], alone["reason"]), case
        assert alone["payload"] == bad_body
    kept, alone = batch.tables["trials"], stored(good, source).tables["trials"]
    assert dict(zip(kept["nct_id"].to_pylist(), kept["content_hash"].to_pylist())) == \
        dict(zip(alone["nct_id"].to_pylist(), alone["content_hash"].to_pylist()))


def test_xml_documents_that_mislead_only_together_are_found(sample_xml):
    bad = bad_xml_documents(next(iter(sample_xml.values())))
    trio = [bad["left open"], bad["closing another"], bad["two studies"]]
    batch = stored([*list(sample_xml.values())[:2], *trio], "ctgov_xml")
    assert [row["url"] for row in batch.quarantine] == ["file:///2", "file:///3", "file:///4"]
    assert batch.tables["trials"].num_rows == 2


def test_a_batch_of_several_sources_keeps_each_record_where_it_was(sample_studies, sample_xml):
    bodies = [(source, body) for pair in zip(sample_studies.values(), sample_xml.values())
              for source, body in zip(("ctgov_bulk", "ctgov_xml"), pair)][:20]
    batch = parse_batch([(source, f"file:///{i}", FETCHED, body) for i, (source, body) in enumerate(bodies)], "r", 1)
    alone = [parse_batch([(source, "u", FETCHED, body)], "r", 1).tables for source, body in bodies]
    assert batch.tables["trials"]["nct_id"].to_pylist() == [t["trials"]["nct_id"][0].as_py() for t in alone]
    for table in ("conditions", "sites", "outcomes"):
        assert batch.tables[table].drop_columns(["record_id"]).to_pylist() == \
            [row for t in alone for row in t[table].drop_columns(["record_id"]).to_pylist()], table


def test_reasons_name_what_is_wrong(sample_studies):
    body = next(b for b in sample_studies.values() if b'"geoPoint"' in b and b'"interventions"' in b)
    reasons = {case: stored([bad]).quarantine[0]["reason"] for case, bad in bad_bodies(body).items()}
    assert reasons["wrong type"] == \
        "protocolSection/designModule/enrollmentInfo/count: a string where the schema has a number"
    assert reasons["not UTF-8"] == "invalid JSON: a string that is not UTF-8"
    assert reasons["empty"] == "invalid JSON: not one JSON value"
    assert reasons["two values"].startswith("invalid JSON: ")
    assert reasons["bad date"] == "invalid study: ValueError: unrecognized date 'sometime'"
    assert reasons["bad id"] == "missing or malformed NCT id: 'NCT123'"
    assert reasons["no protocolSection"] == "not an API v2 study object: no protocolSection"
    assert all(reason for reason in reasons.values())


def test_xml_reasons_name_what_is_wrong(sample_xml):
    body = next(b for b in sample_xml.values() if b"<start_date>" in b)
    reasons = {case: stored([bad], "ctgov_xml").quarantine[0]["reason"] for case, bad in bad_xml_documents(body).items()}
    assert reasons["truncated"].startswith("invalid XML: ")
    assert reasons["not UTF-8"].startswith("invalid XML: 'utf-8' codec can't decode")
    assert reasons["a control character"] == "invalid XML: a control character, which XML does not allow"
    assert "brief_titel" in reasons["mismatched tag"] and "nbsp" in reasons["undefined entity"]
    assert "DOCTYPE" in reasons["a DOCTYPE"] and "root element 'html'" in reasons["another root"]
    assert reasons["bad date"].startswith("invalid study: ValueError: unrecognized date 'sometime ")
    assert reasons["bad id"].startswith("missing or malformed NCT id: 'XYZ")
    assert reasons["text in a group"] == "invalid study: text where elements are expected: <eligibility>"


def test_read_halving_finds_the_refused_items_alone_in_few_reads():
    reads = []

    def read(items):
        reads.append(len(items))
        if any(item.startswith("bad") for item in items):
            raise ValueError(f"refused {items}")
        return items

    items = [f"good {i}" for i in range(64)]
    items[5], items[40] = "bad 5", "bad 40"
    parts = read_halving(read, items, lambda at, exc: (at, str(exc)), ValueError)
    assert [part for _, part in parts if isinstance(part, tuple)] == [(5, "refused ['bad 5']"), (40, "refused ['bad 40']")]
    assert [item for _, part in parts if isinstance(part, list) for item in part] == [i for i in items if i.startswith("good")]
    assert all(items[first:first + len(part)] == part for first, part in parts if isinstance(part, list))
    assert len(reads) <= 1 + 2 * 2 * 6  # two refused items of 64: about 2 log2(64) reads each
    assert read_halving(read, items[:5], None, ValueError) == [(0, items[:5])]
