"""Every reader in READERS, on any bytes: a record that fits the schemas, or ParseError; never another
exception, never a hang. Inputs: random bytes, mutated real records, real JSON with random subtrees."""
import datetime as dt
import json
import signal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import SHARED_DATA
from schema_fit import conform
from trials.etl import euctr, ictrp
from trials.etl.batch import parse_batch
from trials.etl.parsers import READERS, parse_record
from trials.etl.record import ParseError
from trials.samples import ctgov_v2_studies

HANG_SECONDS = 10
STUDIES = ctgov_v2_studies()
SEEDS = [STUDIES[i] for i in sorted(STUDIES)[:: len(STUDIES) // 6]]
SEEDS += [p.read_bytes() for p in sorted((SHARED_DATA / "ctgov_xml").glob("NCT*.xml"))[:3]]
if (SHARED_DATA / "seed_trial_page.txt").is_file():
    page = (SHARED_DATA / "seed_trial_page.txt").read_text()
    SEEDS.append(f"<html><body><p>{page.replace(chr(10), '<br>')}</p></body></html>".encode())
# Records each parser keeps, to put in a batch on either side of the fuzzed body.
NEIGHBOURS = {"ctgov_api": SEEDS[:2], "ctgov_bulk": SEEDS[:2], "ctgov_xml": SEEDS[6:8], "mirror_page": SEEDS[-1:] * 2}
REGISTRIES = SHARED_DATA / "registries"
NEIGHBOURS["ictrp_xml"] = ictrp.split_xml((REGISTRIES / "ictrp" / "ICTRP-Results_18Mar2020.xml").read_bytes())[:2]
NEIGHBOURS["ictrp_csv"] = ictrp.split_csv((REGISTRIES / "ictrp" / "COVID19-927-trials_7Apr2020.csv").read_bytes())[:2]
NEIGHBOURS["euctr_text"] = euctr.split_text((REGISTRIES / "euctr" / "euctr-full-text-2-trials.txt").read_bytes())[:2]
NEIGHBOURS["euctr_page"] = [p.read_bytes() for p in sorted((REGISTRIES / "euctr" / "pages").glob("*.html"))[:2]]
SEEDS += [NEIGHBOURS[source][0] for source in ("ictrp_xml", "ictrp_csv", "euctr_text", "euctr_page")]
# Each example parses a batch too, whose derived tables cost ~0.2 s of SQL planning: 40 examples a
# case keep the suite within its 10 minutes.
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang(f"a parser ran for more than {HANG_SECONDS} s")


def parse_checked(source, body):
    """Parse alone, then as the store does, in a batch between two real records: the only exception
    allowed out of the parser is ParseError, and the batch keeps or quarantines the body as the
    parser alone does, and keeps its neighbours whatever the body is."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    try:
        try:
            record = parse_record(source, body)
            conform(record)
        except ParseError:
            record = None
        now = dt.datetime.now(dt.timezone.utc)
        first, last = NEIGHBOURS[source]
        batch = parse_batch([(source, "http://127.0.0.1/fuzz", now, raw) for raw in (first, body, last)], "r", 1)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    kept = batch.tables["trials"].column("record_id").to_pylist()
    assert ("r/2" in kept) == (record is not None) and len(batch.quarantine) == (record is None)
    assert {"r/1", "r/3"} <= set(kept)
    return record


def mutate(seed, ops):
    data = bytearray(seed)
    for kind, position, chunk in ops:
        i = position % (len(data) + 1)
        if kind == "cut":
            del data[i:]
        elif kind == "flip" and data:
            data[i % len(data)] ^= chunk[0] if chunk else 0xFF
        elif kind == "insert":
            data[i:i] = chunk
        elif kind == "drop":
            del data[i:i + len(chunk) * 8]
    return bytes(data)


mutations = st.builds(
    mutate, st.sampled_from(SEEDS),
    st.lists(st.tuples(st.sampled_from(["cut", "flip", "insert", "drop"]), st.integers(0, 1 << 20),
                       st.binary(min_size=1, max_size=12)), min_size=1, max_size=6))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)


def paths(value, prefix=()):
    yield prefix
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from paths(child, (*prefix, key))


@st.composite
def json_with_random_subtree(draw):
    study = json.loads(draw(st.sampled_from(SEEDS[:6])))
    path = draw(st.sampled_from(list(paths(study))[1:]))
    parent = study
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = draw(json_values)
    return json.dumps(study).encode()


# Other registries' parsers share etl/registry.py: fewer examples each keep their fuzzing cheap.
REGISTRY_SOURCES = ("ictrp_xml", "ictrp_csv", "euctr_text", "euctr_page")
CTGOV_SOURCES = sorted(set(READERS) - set(REGISTRY_SOURCES))
REGISTRY_FUZZ = settings(FUZZ, max_examples=40)


@pytest.mark.parametrize("source", CTGOV_SOURCES)
@FUZZ
@given(body=st.binary(max_size=4096))
@example(body=b"")
@example(body=b"[" * 100_000)
@example(body=b'{"protocolSection": ' * 50_000)
@example(body="\ufeff<clinical_study><id_info><nct_id>NCT01234567</nct_id></id_info></clinical_study>".encode("utf-16"))
def test_random_bytes(source, body):
    parse_checked(source, body)


@pytest.mark.parametrize("source", REGISTRY_SOURCES)
@REGISTRY_FUZZ
@given(body=st.binary(max_size=4096))
@example(body=b"")
@example(body=b"[" * 100_000)
@example(body=b"<Trial>" * 50_000)
def test_random_bytes_registries(source, body):
    parse_checked(source, body)


@pytest.mark.parametrize("source", CTGOV_SOURCES)
@FUZZ
@given(body=mutations)
def test_mutated_real_records(source, body):
    parse_checked(source, body)


@pytest.mark.parametrize("source", REGISTRY_SOURCES)
@REGISTRY_FUZZ
@given(body=mutations)
def test_mutated_real_records_registries(source, body):
    parse_checked(source, body)


@pytest.mark.parametrize("source", CTGOV_SOURCES)
@FUZZ
@given(body=json_with_random_subtree())
def test_real_json_with_a_random_subtree(source, body):
    parse_checked(source, body)


def test_the_seeds_themselves_parse():
    """The mutations start from records the JSON parser accepts whole."""
    for seed in SEEDS[:6]:
        assert parse_checked("ctgov_api", seed)["trials"][0]["nct_id"].startswith("NCT")
