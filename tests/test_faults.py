"""The real ctgov spider against a misbehaving server: every fault ends as a record stored, a record
quarantined with its payload, or a fetch given up and named in the manifest; the run never dies."""
import json
import shutil

import pytest

from conftest import query, run_trials
from fault_server import (FAST_ARGS, FAST_SETTINGS, FaultApi, body, gzip_bomb, hang, redirect, reset, stall,
                          status)
from trials.api_server import LocalApi, serve

STUDIES = "/api/v2/studies/"
LATIN1, UTF16 = "NCT06171568", "NCT04185441"  # real records with "Lariboisière" and "Tanzânia"


def edited(raw, edit):
    study = json.loads(raw)
    edit(study["protocolSection"])
    return json.dumps(study).encode()


def set_in(path, value):
    def edit(section):
        *parents, last = path
        for key in parents:
            section = section[key]
        if value is None:
            section.pop(last)
        else:
            section[last] = value
    return edit


def implausible(section):
    """Values that fit the schema but not the world: kept, flagged."""
    section["statusModule"]["overallStatus"] = "ON_HOLD"
    section["statusModule"]["completionDateStruct"] = {"date": "2190-01-01", "type": "ESTIMATED"}
    section["designModule"]["enrollmentInfo"] = {"count": -5, "type": "ACTUAL"}
    section["eligibilityModule"].update(minimumAge="80 Years", maximumAge="18 Years")
    section["contactsLocationsModule"]["locations"][0]["status"] = "PAUSED"


@pytest.fixture(scope="module")
def fault_crawl(tmp_path_factory, sample_studies):
    """One crawl of 21 ids, each meeting its own fault; returns (data dir, result, server, canary)."""
    ids = sorted(sample_studies)
    ok = [i for i in ids if i not in (LATIN1, UTF16)]
    with_sites = next(i for i in ok[8:] if b'"locations"' in sample_studies[i] and b'"minimumAge"' in sample_studies[i])
    study = sample_studies[ok[0]]
    cases = {
        # given up after the retries: counted as fetch errors, named in the manifest
        "timeout": ("NCT99000001", [hang(3)]),
        "reset": ("NCT99000002", [reset]),
        "429 forever": ("NCT99000003", [status(429)]),
        "503 forever": ("NCT99000004", [status(503)]),
        "other host": ("NCT99000005", None),  # set below, once the canary's port is known
        "stall": ("NCT99000006", [stall(study, 3)]),
        "too large": ("NCT99000007", [body(b" " * (2 << 20) + study)]),
        "gzip bomb": ("NCT99000008", [gzip_bomb(64)]),
        # recovered: stored
        "429 then ok": (ok[1], [status(429, [("Retry-After", "1")]), None]),
        "5xx burst": (ok[2], [status(500), status(502), status(503), None]),
        "reset once": (ok[3], [reset, None]),
        "same-host redirect": (ok[4], [redirect(f"{STUDIES}{ok[4]}?format=json&moved=1"), None]),
        "latin-1": (LATIN1, [body(sample_studies[LATIN1].decode().encode("latin-1"),
                                   "application/json; charset=iso-8859-1")]),
        "utf-16": (UTF16, [body(sample_studies[UTF16].decode().encode("utf-16"))]),
        "flagged": (with_sites, [body(edited(sample_studies[with_sites], implausible))]),
        # quarantined with the payload
        "malformed json": ("NCT99000009", [body(b'{"protocolSection": {"identificationModule": ')]),
        "truncated json": ("NCT99000010", [body(study[: len(study) // 2])]),
        "broken html": ("NCT99000011", [body(b"<html><body><div><p>Service <b>unavail</div></table>",
                                             "text/html")]),
        "no nct id": ("NCT99000012", [body(edited(study, set_in(["identificationModule", "nctId"], None)))]),
        "bad nct id": ("NCT99000013", [body(edited(study, set_in(["identificationModule", "nctId"], "NCT123")))]),
        "wrong type": ("NCT99000014", [body(edited(study, set_in(["designModule", "enrollmentInfo"],
                                                                  {"count": "many"})))]),
    }
    data = tmp_path_factory.mktemp("faults")
    with serve({}, host="127.0.0.2") as canary, serve(sample_studies, FaultApi) as api:
        other = f"http://127.0.0.2:{canary.server_address[1]}{STUDIES}{ok[0]}"
        cases["other host"] = ("NCT99000005", [redirect(other)])
        api.faults = {STUDIES + nct_id: script for nct_id, script in cases.values()}
        result = run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", data, "--delay", "0",
                            "--ids", ",".join(nct_id for nct_id, _ in cases.values()), *FAST_ARGS, check=False)
        run_trials("build", "--data", data)
        yield data, result, api, canary, {name: nct_id for name, (nct_id, _) in cases.items()}


def manifest_of(data):
    (manifest,), = query(data, "select manifest from runs")
    return json.loads(manifest)


def test_run_goes_on_and_says_what_it_gave_up(fault_crawl):
    data, result, api, canary, ids = fault_crawl
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("trials: crawl finished with 8 fetch errors (first: http://")
    assert result.stderr.splitlines()[-1].endswith("-ctgov.log") and "Traceback" not in result.stderr
    assert "fetched 13, new 7, changed 0, unchanged 0, quarantined 6, errors 8" in result.stdout
    counts = manifest_of(data)["counts"]
    assert counts == {"fetched": 13, "new": 7, "changed": 0, "unchanged": 0, "quarantined": 6,
                      "flagged": 1, "fetch_errors": 8}
    given_up = {g["url"].split("/")[-1].split("?")[0]: g["reason"] for g in manifest_of(data)["given_up"]}
    assert set(given_up) == {ids[k] for k in ("timeout", "reset", "429 forever", "503 forever", "other host",
                                              "stall", "too large", "gzip bomb")}
    assert "TimeoutError" in given_up[ids["timeout"]] and "TimeoutError" in given_up[ids["stall"]]
    assert given_up[ids["429 forever"]] == given_up[ids["503 forever"]].replace("503", "429") == "HTTP 429 (retries: 3)"
    assert "redirect to another host not followed: http://127.0.0.2:" in given_up[ids["other host"]]
    assert "ConnectionLost" in given_up[ids["reset"]] or "ConnectionDone" in given_up[ids["reset"]]


def test_retries_then_gives_up_and_honours_retry_after(fault_crawl):
    _, _, api, canary, ids = fault_crawl
    attempts = FAST_SETTINGS["RETRY_TIMES"] + 1
    for case in ("timeout", "reset", "429 forever", "503 forever", "stall"):
        assert len(api.hits_of(STUDIES + ids[case])) == attempts, case
    first, second = api.hits_of(STUDIES + ids["429 then ok"])
    assert second - first >= 1.0  # Retry-After: 1, far above the 0.05 s backoff base
    assert len(api.hits_of(STUDIES + ids["5xx burst"])) == 4
    assert len(api.hits_of(STUDIES + ids["too large"])) == 1  # a size limit is not worth a retry
    assert canary.requests == []  # the redirect to another host was never followed


def test_recovered_and_reencoded_records_are_stored_exactly(fault_crawl, sample_studies):
    data, _, _, _, ids = fault_crawl
    stored = {nct_id: title for nct_id, title in query(data, "select nct_id, brief_title from trials")}
    recovered = [ids[k] for k in ("429 then ok", "5xx burst", "reset once", "same-host redirect",
                                  "latin-1", "utf-16", "flagged")]
    assert sorted(stored) == sorted(recovered)
    assert stored[LATIN1] == "Lariboisière Cognitive Assessment: Evaluation of the 1-year Outcomes"
    assert stored[UTF16].startswith("Efficacy and Safety of Tanzânia Association")
    for nct_id in recovered:
        brief = json.loads(sample_studies[nct_id])["protocolSection"]["identificationModule"]["briefTitle"]
        assert stored[nct_id] == brief


def test_flagged_record_keeps_raw_values(fault_crawl):
    data, _, _, _, ids = fault_crawl
    row, = query(data, "select overall_status, completion_date::varchar, enrollment, minimum_age_years, "
                       "maximum_age_years, validation_flags from trials where nct_id = ?", [ids["flagged"]])
    assert row == ("ON_HOLD", "2190-01-01", -5, 80.0, 18.0, [
        "age_range:minimum_age_years", "future_date:completion_date", "negative:enrollment",
        "unknown_value:overall_status", "unknown_value:sites.status"])
    assert query(data, "select count(*) from trials where validation_flags <> []") == [(1,)]
    assert ("PAUSED",) in query(data, "select status from sites where nct_id = ?", [ids["flagged"]])


def test_quarantine_keeps_payload_and_reason(fault_crawl, sample_studies):
    data, _, _, _, ids = fault_crawl
    rows = {url.split("/")[-1].split("?")[0]: (stage, reason, payload) for url, stage, reason, payload in
            query(data, "select url, stage, reason, payload from quarantine")}
    expected = {"malformed json": "invalid JSON", "truncated json": "invalid JSON", "broken html": "invalid JSON",
                "no nct id": "missing or malformed NCT id: None",
                "bad nct id": "missing or malformed NCT id: 'NCT123'",
                "wrong type": "protocolSection/designModule/enrollmentInfo/count: a string where the schema has a number"}
    assert set(rows) == {ids[k] for k in expected}
    for case, reason in expected.items():
        stage, stored_reason, payload = rows[ids[case]]
        assert reason in stored_reason, case
        assert stage == ("validate" if case == "wrong type" else "parse")
    study = sample_studies[sorted(sample_studies)[0]]
    assert rows[ids["truncated json"]][2] == study[: len(study) // 2].decode()
    assert "Service <b>unavail" in rows[ids["broken html"]][2]
    (run_id,), = query(data, "select distinct run_id from quarantine")
    assert run_id == manifest_of(data)["run_id"]


def test_repeating_token_and_unreadable_page(tmp_path, sample_studies):
    """Paging stops on a token it has seen; an unreadable page is quarantined whole; then the invariant."""
    five = dict(sorted(sample_studies.items())[:5])
    with serve(five, FaultApi, page_size=2, repeat_tokens=True) as api:
        looped = run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", tmp_path, "--delay", "0",
                            *FAST_ARGS, check=False)
        assert len(api.hits_of("/api/v2/studies")) == 2
    assert looped.returncode == 1 and "fetched 4, new 4" in looped.stdout and "repeats" in looped.stdout
    with serve(five, FaultApi, page_size=2) as api:
        truncated = json.dumps({"studies": [json.loads(five[i]) for i in sorted(five)[2:4]]}).encode()[:5000]
        api.faults = {"/api/v2/studies": [None, body(truncated)]}
        broken = run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", tmp_path, "--delay", "0",
                            *FAST_ARGS, check=False)
    # The paging ended at the unreadable page, short of the registry's totalCount: not a success.
    assert broken.returncode == 1 and "paging stopped there" in broken.stderr, broken.stderr
    assert "fetched 3, new 0, changed 0, unchanged 2, quarantined 1" in broken.stdout
    run_trials("build", "--data", tmp_path)
    (errors,), = query(tmp_path, "select errors from runs order by run_id desc limit 1")
    assert errors[-1] == "the crawl got 2 of the 5 records the registry counted (totalCount): the run is incomplete"
    (stage, reason, payload), = query(tmp_path, "select stage, reason, payload from quarantine")
    assert stage == "page" and reason.startswith("unreadable page of studies: JSONDecodeError")
    assert payload == truncated.decode()
    assert query(tmp_path, "select count(*) from trials") == [(4,)]


def test_fetched_is_stored_plus_unchanged_plus_quarantined(fault_crawl, tmp_path, sample_studies):
    """The invariant over every run here: a fetched payload is stored, unchanged or quarantined."""
    data, ids = tmp_path / "data", fault_crawl[4]
    shutil.copytree(fault_crawl[0], data)
    first20 = sorted(sample_studies)[:20]
    with serve({i: sample_studies[i] for i in first20}) as api:  # a second run: new, unchanged, changed
        run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", data, "--delay", "0", *FAST_ARGS)
    run_trials("build", "--data", data)
    as_served = {ids[k] for k in ("429 then ok", "5xx burst", "reset once", "same-host redirect", "latin-1", "utf-16")}
    unchanged = len(as_served & set(first20))
    changed = int(ids["flagged"] in first20)
    runs = query(data, "select r.fetched, r.new, r.changed, r.unchanged, r.quarantined, "
                       "(select count(*) from quarantine q where q.run_id = r.run_id), "
                       "json_array_length(r.manifest->'given_up'), (r.manifest->'counts'->>'fetch_errors')::int "
                       "from runs r order by r.run_id")
    assert [r[:5] for r in runs] == [(13, 7, 0, 0, 6), (20, 20 - unchanged - changed, changed, unchanged, 0)]
    assert unchanged > 0
    for fetched, new, changed, unchanged, quarantined, quarantine_rows, given_up, fetch_errors in runs:
        assert fetched == new + changed + unchanged + quarantined
        assert quarantined == quarantine_rows and given_up == fetch_errors


def test_servers_bind_to_loopback_only(sample_studies):
    with serve(sample_studies) as api, serve({}, FaultApi) as faulty:
        assert api.server_address[0] == faulty.server_address[0] == "127.0.0.1"
    with pytest.raises(ValueError, match="loopback"):
        LocalApi({}, host="0.0.0.0")


def test_quarantine_command_lists_them(fault_crawl):
    data, _, _, _, ids = fault_crawl
    header, *lines = run_trials("quarantine", "--data", data, "--width", "30").stdout.splitlines()
    assert header.split("\t") == ["run_id", "source", "stage", "url", "reason", "payload"]
    rows = {line.split("\t")[3].split("/")[-1].split("?")[0]: line.split("\t") for line in lines}
    assert len(lines) == 6 and ids["bad nct id"] in rows
    run_id, source, stage, url, reason, payload = rows[ids["bad nct id"]]
    assert (run_id, source, stage, reason) == (manifest_of(data)["run_id"], "ctgov_api", "parse",
                                               "missing or malformed NCT id: 'NCT123'")
    assert len(payload) == 30 and payload.startswith('{"protocolSection": {') and payload.endswith("…")
    assert len(run_trials("quarantine", "--data", data, "--limit", "2").stdout.splitlines()) == 3
