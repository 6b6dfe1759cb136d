"""Registry-scale inputs made from the shipped sample: the same real records under fresh NCT ids.

Nothing here is committed output: `make bench` generates what it needs under bench/out/.
"""
import itertools
import json
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from trials.etl.record import content_hashes
from trials.etl.batch import parse_batch
from trials.etl.store import utc_now
from trials.samples import ctgov_v2_studies, ctgov_xml_studies

FIRST_ID = 90_000_000  # NCT9xxxxxxx: above any id the registry has issued, so copies never collide


def fresh_id(i):
    return f"NCT{FIRST_ID + i:08d}"


def replicated_studies(n, sample=None):
    """Yields n (nct_id, bytes): the sample (default: the v2 JSON one) cycled, each copy's own id
    written in its body."""
    sample = sample or ctgov_v2_studies()
    for i, (old_id, body) in zip(range(n), itertools.cycle(sample.items())):
        new_id = fresh_id(i)
        yield new_id, body.replace(old_id.encode(), new_id.encode())


def replicated_xml(n):
    """Yields n (nct_id, legacy XML bytes) from the shipped XML sample, as `replicated_studies`."""
    return replicated_studies(n, ctgov_xml_studies())


def write_zip(path, n, compress=True, xml=False):
    """A `ctg-studies.json.zip`-like bulk file of n studies (legacy XML ones with `xml`); returns its
    uncompressed size in bytes."""
    size = 0
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", method, compresslevel=1) as archive:
        for nct_id, body in (replicated_xml(n) if xml else replicated_studies(n)):
            archive.writestr(f"{nct_id}.{'xml' if xml else 'json'}", body)
            size += len(body)
    return size


def write_store(data_dir, n, runs=6):
    """A data directory holding n trials in `runs` committed runs, as `trials import` would leave it.

    The sample is parsed once; each copy's tables are the sample's with the ids swapped, and each
    trial's content hash is computed from the copy's rows, as a parse of its replicated JSON gives it
    (the sample's texts never name their own trial, so the id columns are all a copy changes).
    """
    sample = list(ctgov_v2_studies().items())
    parsed = parse_batch([("ctgov_bulk", f"file:///{i}.json", utc_now(), body) for i, body in sample],
                         "sample", 1)
    position = {nct_id: i for i, (nct_id, _) in enumerate(sample)}
    index = {table: pa.array([position[i] for i in rows.column("nct_id").to_pylist()], pa.int64())
             for table, rows in parsed.tables.items()}
    per_run = -(-n // runs)
    for run in range(runs):
        run_id = f"20260101T{run:02d}0000Z-bench{run}"
        run_dir = Path(data_dir) / "runs" / run_id
        run_dir.mkdir(parents=True)
        first, last = run * per_run, min(n, (run + 1) * per_run)
        writers = {table: pq.ParquetWriter(run_dir / f"{table}.parquet", rows.schema)
                   for table, rows in parsed.tables.items()}
        for start in range(first, last, len(sample)):
            count = min(len(sample), last - start)
            ids = pa.array([fresh_id(start + i) for i in range(count)])
            record_ids = pa.array([f"{run_id}/{start + i + 1}" for i in range(count)])
            copies = {}
            for table, rows in parsed.tables.items():
                kept = pc.less(index[table], count)
                taken = index[table].filter(kept)
                copy = rows.filter(kept)
                copy = copy.set_column(copy.schema.get_field_index("nct_id"), "nct_id", ids.take(taken))
                copies[table] = copy.set_column(0, "record_id", record_ids.take(taken)).append_column("_record", taken)
            hashes = pa.array(content_hashes(copies, count))
            trials = copies["trials"]
            copies["trials"] = trials.set_column(trials.schema.get_field_index("content_hash"), "content_hash", hashes)
            for table, copy in copies.items():
                writers[table].write_table(copy.drop_columns(["_record"]))
        for writer in writers.values():
            writer.close()
        manifest = {"run_id": run_id, "source": "import", "since": None, "options": {"bench": True},
                    "started_at": "2026-01-01T00:00:00+00:00", "finished_at": "2026-01-01T00:00:00+00:00",
                    "counts": {"fetched": last - first, "new": last - first, "changed": 0, "unchanged": 0,
                               "quarantined": 0}, "errors": []}
        (run_dir / "manifest.json").write_text(json.dumps(manifest))
