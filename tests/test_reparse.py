"""Runs keep their source documents; `trials reparse` derives every version's tables from them again,
all or nothing; the content hash covers the whole record; sql/documents reads only the modules it names."""
import hashlib
import json
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import query, run_trials
from trials.etl import document_sql

V2_IDS = ("NCT00000410", "NCT00042536")  # both cite publications


@pytest.fixture
def study_dir(tmp_path, shared_data):
    """A folder of a few real records: two API v2 ones and two legacy XML ones."""
    folder = tmp_path / "in"
    folder.mkdir()
    for nct_id in V2_IDS:
        (folder / f"{nct_id}.json").write_bytes((shared_data / "ctgov_v2_json" / f"{nct_id}.json").read_bytes())
    for path in sorted((shared_data / "ctgov_xml").glob("*.xml"))[:2]:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def _files(data):
    """Every file of the runs and its SHA-256: what a failed reparse must leave as it was."""
    return {str(path.relative_to(data)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted((data / "runs").rglob("*")) if path.is_file()}


def _run_dir(data):
    [run] = [path for path in (data / "runs").iterdir()]
    return run


def test_a_run_keeps_its_documents_compressed_with_their_version(tmp_path, study_dir):
    data = tmp_path / "data"
    run_trials("import", study_dir, "--data", data)
    documents = pq.read_table(_run_dir(data) / "documents.parquet")
    trials = pq.read_table(_run_dir(data) / "trials.parquet")
    assert sorted(documents["record_id"].to_pylist()) == sorted(trials["record_id"].to_pylist())
    by_id = dict(zip(documents["nct_id"].to_pylist(), zip(documents["format"].to_pylist(), documents["body"].to_pylist())))
    assert by_id[V2_IDS[0]] == ("json", (study_dir / f"{V2_IDS[0]}.json").read_text())
    assert sum(kind == "xml" for kind, _ in by_id.values()) == 2
    column = pq.ParquetFile(_run_dir(data) / "documents.parquet").metadata.row_group(0).column(3)
    assert column.compression != "UNCOMPRESSED" and column.total_compressed_size < column.total_uncompressed_size


def test_reparse_derives_every_table_again_from_the_documents_and_keeps_the_versions(tmp_path, study_dir):
    data = tmp_path / "data"
    run_trials("import", study_dir, "--data", data)
    run_dir = _run_dir(data)
    before = {table: pq.read_table(run_dir / f"{table}.parquet") for table in ("trials", "study_references", "sites")}
    # What a parser of yesterday would have left: no references at all, no site keys.
    (run_dir / "study_references.parquet").unlink()
    pq.write_table(before["sites"].drop_columns(["site_id"]), run_dir / "sites.parquet")

    result = run_trials("reparse", "--data", data, env={"http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"})
    assert "reparsed 1 run(s): 4 version(s) derived again" in result.stdout, result.stdout
    assert "0 with a new content hash" in result.stdout
    assert "study_references" in result.stdout and "-> " in result.stdout
    assert pq.read_table(run_dir / "study_references.parquet").equals(before["study_references"])
    assert pq.read_table(run_dir / "sites.parquet").equals(before["sites"])
    assert pq.read_table(run_dir / "trials.parquet").equals(before["trials"])
    assert not (data / "runs.reparse").exists()
    run_trials("build", "--data", data)
    assert query(data, "select count(*) from study_references where nct_id = ?", [V2_IDS[0]])[0][0] > 0


def test_reparse_of_a_data_directory_from_before_documents_keeps_its_tables(tmp_path, study_dir):
    data = tmp_path / "data"
    run_trials("import", study_dir, "--data", data)
    (_run_dir(data) / "documents.parquet").unlink()
    files = _files(data)
    result = run_trials("reparse", "--data", data)
    assert "reparsed 0 run(s)" in result.stdout
    assert "4 version(s) have no stored documents (runs from before documents were kept: 1)" in result.stdout
    assert _files(data) == files


def test_reparse_is_all_or_nothing(tmp_path, study_dir):
    data = tmp_path / "data"
    run_trials("import", study_dir, "--data", data)
    run_trials("import", study_dir, "--data", data)  # a second run: nothing changed, nothing stored
    path = _run_dir_of(data, 0) / "documents.parquet"
    documents = pq.read_table(path)
    bodies = documents["body"].to_pylist()
    bodies[-1] = "{not json"
    pq.write_table(documents.set_column(3, "body", pa.array(bodies, pa.string())), path)
    files = _files(data)
    result = run_trials("reparse", "--data", data, check=False)
    assert result.returncode == 1
    assert "no longer parse" in result.stderr and "nothing was changed" in result.stderr
    assert _files(data) == files
    assert not (data / "runs.reparse").exists()


def _run_dir_of(data, index):
    return sorted((data / "runs").iterdir())[index]


def _changed(tmp_path, shared_data, change):
    """Import a study, then the same study with `change` made to its JSON: the second run's line."""
    study = json.loads((shared_data / "ctgov_v2_json" / f"{V2_IDS[0]}.json").read_bytes())
    data = tmp_path / "data"
    for at, body in enumerate((study, change(json.loads(json.dumps(study))))):
        bulk = tmp_path / f"bulk{at}.zip"
        with zipfile.ZipFile(bulk, "w") as archive:
            archive.writestr(f"{V2_IDS[0]}.json", json.dumps(body, indent=at))
        result = run_trials("import", bulk, "--data", data)
    return result.stdout


def test_a_change_only_in_the_references_is_a_new_version(tmp_path, shared_data):
    def cite(study):
        study["protocolSection"]["referencesModule"]["references"].append(
            {"pmid": "99999999", "type": "RESULT", "citation": "A paper."})
        return study
    assert "changed 1, unchanged 0" in _changed(tmp_path, shared_data, cite)


def test_a_change_only_in_the_results_section_is_a_new_version(tmp_path, shared_data):
    def caveat(study):
        study.setdefault("resultsSection", {})["moreInfoModule"] = {"limitationsAndCaveats": {"description": "Small."}}
        return study
    assert "changed 1, unchanged 0" in _changed(tmp_path, shared_data, caveat)


def test_the_same_study_spelled_otherwise_is_no_new_version(tmp_path, shared_data):
    assert "changed 0, unchanged 1" in _changed(tmp_path, shared_data, lambda study: study)


def test_each_file_reads_the_same_rows_from_the_modules_it_names_as_from_whole_documents(shared_data):
    bodies = [path.read_text() for path in sorted((shared_data / "ctgov_v2_json").glob("*.json"))]
    documents = pa.table({"record_id": [str(at) for at in range(len(bodies))],
                          "nct_id": [json.loads(body)["protocolSection"]["identificationModule"]["nctId"] for body in bodies],
                          "doc": pa.array(bodies, pa.string())})
    derived = document_sql.derive(documents)
    con = document_sql._connection()
    con.register("documents", documents.cast(document_sql.DOCUMENT))
    try:
        for table, sql in document_sql.statements().items():
            whole = con.sql(sql).to_arrow_table().cast(document_sql.schemas()[table])
            assert derived[table].equals(whole), table
    finally:
        con.unregister("documents")
    assert sum(table.num_rows for table in derived.values()) > 10_000
