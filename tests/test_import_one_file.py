"""`trials import` of one study file, and `trials quarantine` printing hostile payloads safely."""
from conftest import query, run_trials


def test_a_single_json_or_xml_study_file_is_imported(tmp_path, sample_studies, sample_xml):
    nct_id, body = sorted(sample_studies.items())[0]
    study = tmp_path / f"{nct_id}.json"
    study.write_bytes(body)
    xml_id, xml = sorted(sample_xml.items())[0]
    (tmp_path / f"{xml_id}.xml").write_bytes(xml)
    data = tmp_path / "data"
    assert "fetched 1, new 1," in run_trials("import", study, "--data", data).stdout
    assert "fetched 1, new 1," in run_trials("import", tmp_path / f"{xml_id}.xml", "--data", data).stdout
    run_trials("build", "--data", data)
    assert query(data, "select nct_id from trials order by 1") == sorted([(nct_id,), (xml_id,)])
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    refused = run_trials("import", other, "--data", data, check=False)
    assert refused.returncode == 1 and "nor a study file" in refused.stderr


def test_quarantine_prints_terminal_escapes_as_text(tmp_path):
    hostile = tmp_path / "NCT00000001.json"
    hostile.write_bytes(b'{"title": "\x1b]0;owned\x07\x1b[2J\x9b", ')  # not JSON: quarantined with its payload
    data = tmp_path / "data"
    assert "quarantined 1" in run_trials("import", hostile, "--data", data).stdout
    out = run_trials("quarantine", "--data", data, "--width", "200").stdout
    assert "\x1b" not in out and "\x07" not in out
    assert r"\x1b]0;owned\x07\x1b[2J" in out.splitlines()[1].split("\t")[-1]


def test_runs_prints_run_errors_with_escapes_as_text(tmp_path):
    from trials.etl.store import RunWriter

    with RunWriter(tmp_path, source="ctgov") as writer:
        writer.error("http://127.0.0.1/x: server said \x1b]0;owned\x07\x1b[2J")
    out = run_trials("runs", "--data", tmp_path).stdout
    assert "\x1b" not in out and r"server said \x1b]0;owned\x07\x1b[2J" in out
