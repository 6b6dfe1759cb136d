"""`trials import` of the registry's bulk download, and the build's assertions and atomic swap."""
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest
import pyarrow.parquet as pq

from conftest import query, run_trials
from trials.etl.bulk import BulkFiles
from trials.etl.record import Unreadable
from trials.samples import CTGOV_XML_SAMPLE
from trials.warehouse.build import run_assertions


def test_import_bulk_zip_loads_all_635_studies(tmp_path, shared_data):
    bulk = shared_data / "ctg-studies.json.zip"
    names = [n for n in zipfile.ZipFile(bulk).namelist() if n.endswith(".json")]
    result = run_trials("import", bulk, "--data", tmp_path)
    assert f"fetched {len(names)}, new {len(names)}" in result.stdout
    run_trials("build", "--data", tmp_path)
    assert query(tmp_path, "select count(*), min(source), max(source) from trials") == [
        (635, "ctgov_bulk", "ctgov_bulk")]
    with zipfile.ZipFile(bulk) as archive:
        study = json.loads(archive.read(names[0]))
    nct_id = study["protocolSection"]["identificationModule"]["nctId"]
    assert query(tmp_path, "select brief_title from trials where nct_id = ?", [nct_id]) == [
        (study["protocolSection"]["identificationModule"]["briefTitle"],)]


def test_import_folder_quarantines_what_it_cannot_parse(tmp_path, sample_studies):
    folder = tmp_path / "studies"
    folder.mkdir()
    for nct_id in list(sample_studies)[:5]:
        (folder / f"{nct_id}.json").write_bytes(sample_studies[nct_id])
    (folder / "NCT00000000.json").write_bytes(b'{"protocolSection": {"identificationModule": ')
    result = run_trials("import", folder, "--data", tmp_path / "data")
    assert "fetched 6, new 5, changed 0, unchanged 0, quarantined 1" in result.stdout
    run_trials("build", "--data", tmp_path / "data")
    (url, stage, reason, payload), = query(tmp_path / "data", "select url, stage, reason, payload from quarantine")
    assert url.endswith("NCT00000000.json") and stage == "parse" and reason.startswith("invalid JSON")
    assert payload == '{"protocolSection": {"identificationModule": '


@pytest.mark.parametrize("workers", ["1", "2"])
def test_import_quarantines_zip_members_that_cannot_be_read(tmp_path, sample_xml, workers):
    """A corrupt member is one record lost, with what could be read of it, not the whole import."""
    studies = list(sample_xml.items())[:12]
    path = tmp_path / "studies.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for at, (nct_id, body) in enumerate(studies):
            method = [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2][at % 3]
            archive.writestr(f"{nct_id}.xml", body, method)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    for info in members[:3]:  # one of each method: data that does not inflate, a changed byte, bzip2 garbage
        at = info.header_offset + zipfile.sizeFileHeader + len(info.filename.encode()) + len(info.extra)
        data[at:at + 8] = b"\xff" * 8 if info.compress_type == zipfile.ZIP_DEFLATED else b"<changed"
    # The fourth marked encrypted in the central directory (its entry: 46 bytes, then the name).
    entry = data.rindex(members[3].filename.encode()) - 46
    data[entry + 8] |= 0x1
    path.write_bytes(data)
    out = run_trials("import", path, "--data", tmp_path / "data", "--workers", workers).stdout
    assert "fetched 12, new 8, changed 0, unchanged 0, quarantined 4" in out
    run_trials("build", "--data", tmp_path / "data")
    assert query(tmp_path / "data", "select nct_id from trials order by 1") == sorted((n,) for n, _ in studies[4:])
    rows = query(tmp_path / "data", "select url, stage, reason, payload from quarantine order by url")
    assert [url.rpartition("!/")[2] for url, *_ in rows] == sorted(f"{n}.xml" for n, _ in studies[:4])
    reasons = {url.rpartition("!/")[2][:-4]: (stage, reason, payload) for url, stage, reason, payload in rows}
    deflated, stored, bzip2, encrypted = (reasons[nct_id] for nct_id, _ in studies[:4])
    assert {stage for stage, *_ in reasons.values()} == {"read"}
    assert "does not inflate" in deflated[1] and deflated[2].startswith("\\xff" * 8)
    assert "is corrupt: CRC-32" in stored[1]  # the changed body is kept as read
    assert stored[2] == "<changed" + studies[1][1].decode()[8:]
    assert bzip2[1].startswith(f"zip member '{studies[2][0]}.xml' cannot be read: OSError")
    assert "cannot be read: RuntimeError" in encrypted[1] and "encrypted" in encrypted[1]


def test_a_folder_file_gone_before_it_is_read_is_unreadable_not_fatal(tmp_path, sample_xml):
    for nct_id, body in list(sample_xml.items())[:2]:
        (tmp_path / f"{nct_id}.xml").write_bytes(body)
    files = BulkFiles(tmp_path)
    Path(files.names[0]).unlink()  # (root reads any file, so a vanished one stands for one it may not read)
    gone, kept = [body for *_, body in files.read(files.names)]
    assert isinstance(gone, Unreadable) and gone.stage == "read" and "No such file or directory" in gone.reason
    assert gone.payload == b""
    assert kept == Path(files.names[1]).read_bytes()


def test_trials_commands_do_not_import_pandas(tmp_path):
    """pyarrow would import pandas (0.3 s) only to ask whether a list is a pandas object."""
    fake = tmp_path / "site" / "pandas"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise SystemExit('pandas was imported')\n")
    env = {"PYTHONPATH": str(fake.parent)}
    arrow = subprocess.run([sys.executable, "-c", "import pyarrow; pyarrow.array([])"], env={**os.environ, **env},
                           capture_output=True, text=True)
    assert "pandas was imported" in arrow.stderr  # what the command avoids
    out = run_trials("import", CTGOV_XML_SAMPLE, "--data", tmp_path / "data", "--workers", "2", env=env).stdout
    assert "fetched 300, new 300" in out
    run_trials("build", "--data", tmp_path / "data", env=env)


def test_import_of_a_missing_path_is_a_one_line_error(tmp_path):
    result = run_trials("import", tmp_path / "nope.zip", "--data", tmp_path, check=False)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "does not exist" in result.stderr


def test_marts_are_exported_as_parquet(crawled_sample):
    marts = {p.name.removesuffix(".parquet"): pq.read_table(p).num_rows for p in (crawled_sample / "marts").iterdir()}
    assert {"mart_trials_by_condition_phase_status", "mart_sponsor_portfolio", "mart_sites_by_country",
            "mart_trials_started_by_year_phase"} <= set(marts)
    for name, rows in marts.items():
        assert rows == query(crawled_sample, f"select count(*) from {name}")[0][0]
    assert query(crawled_sample, """
        select trials, sites from mart_sites_by_country where country_code = 'KR'""") == query(crawled_sample, """
        select count(distinct nct_id), count(*) from sites where country_code = 'KR'""")


def test_assertions_catch_duplicates_orphans_and_unknown_values(crawled_sample, tmp_path):
    copy = tmp_path / "trials.warehouse.duckdb"
    shutil.copy(crawled_sample / "trials.warehouse.duckdb", copy)
    con = duckdb.connect(str(copy))
    assert run_assertions(con) == []
    con.execute("insert into trials select * from trials where nct_id = 'NCT00665496'")
    con.execute("insert into conditions values ('NCT99999999', 'Orphan')")
    con.execute("update sites set status = 'OPEN' where nct_id = 'NCT00665496'")
    failed = {line.split(":")[0] for line in run_assertions(con)}
    con.close()
    assert {"unique_trial_ids", "children_have_a_trial", "accepted_values"} <= failed


def test_failed_build_keeps_the_previous_warehouse(crawled_sample, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(crawled_sample, data)
    before = (data / "trials.warehouse.duckdb").read_bytes()
    marts_before = sorted(p.name for p in (data / "marts").iterdir())
    broken = data / "runs" / "99999999T000000Z-broken"
    shutil.copytree(next((data / "runs").iterdir()), broken)
    (broken / "trials.parquet").write_bytes(b"PAR1 this is not parquet")
    result = run_trials("build", "--data", data, check=False)
    assert result.returncode == 1 and result.stderr.startswith("trials: ")
    assert (data / "trials.warehouse.duckdb").read_bytes() == before
    assert sorted(p.name for p in (data / "marts").iterdir()) == marts_before
    assert not (data / "trials.warehouse.duckdb.tmp").exists()


def test_build_of_a_missing_data_directory_is_a_one_line_error(tmp_path):
    result = run_trials("build", "--data", tmp_path / "never-crawled", check=False)
    assert result.returncode == 1
    assert result.stderr == f"trials: no data directory {tmp_path / 'never-crawled'}: crawl or import into it first\n"
    assert not (tmp_path / "never-crawled").exists()
