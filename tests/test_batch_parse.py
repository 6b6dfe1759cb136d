"""The columnar JSON parser reads a batch at once: a body it cannot keep is found and quarantined with
the reason it gets alone, and the bodies around it are kept as they are alone."""
import datetime as dt
import json

from etl.batch import parse_batch

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


def stored(bodies):
    return parse_batch([("ctgov_bulk", f"file:///{i}.json", FETCHED, body) for i, body in enumerate(bodies)],
                       "r", 1)


def test_a_batch_quarantines_what_each_body_alone_is_quarantined_for(sample_studies):
    body = next(b for b in sample_studies.values() if b'"geoPoint"' in b and b'"interventions"' in b)
    good = list(sample_studies.values())[:14]
    bad = bad_bodies(body)
    bodies = [b for pair in zip(good, bad.values()) for b in pair] + good[len(bad):]
    batch = stored(bodies)
    reasons = {row["url"]: (row["stage"], row["reason"]) for row in batch.quarantine}
    assert len(reasons) == len(bad)
    for case, bad_body in bad.items():
        [alone] = stored([bad_body]).quarantine
        url = f"file:///{bodies.index(bad_body)}.json"
        assert reasons[url] == (alone["stage"], alone["reason"]), case
        assert alone["payload"] == bad_body
    kept = dict(zip(batch.tables["trials"]["nct_id"].to_pylist(), batch.tables["trials"]["content_hash"].to_pylist()))
    assert kept == dict(zip(stored(good).tables["trials"]["nct_id"].to_pylist(),
                            stored(good).tables["trials"]["content_hash"].to_pylist()))


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
