"""`trials sql`: read-only queries printed as a table, CSV or JSON, while builds replace the warehouse."""
import csv
import io
import json
import os
import pty
import shutil
import subprocess
import sys
import time

import duckdb
import pytest

from conftest import REPO, query, run_trials
from trials.cli import main
from trials.query import run_queries

PHASES = "select coalesce(phase, 'NULL') as phase, count(*) as trials from trials group by all order by 1"


def test_table_output_is_aligned_and_holds_the_warehouse_counts(crawled_sample):
    out = run_trials("sql", PHASES, "--data", crawled_sample).stdout.splitlines()
    expected = query(crawled_sample, PHASES)
    assert out[0].split() == ["phase", "trials"]
    assert set(out[1]) == {"-", " "}
    assert [tuple(line.split()) for line in out[2:-1]] == [(p, str(n)) for p, n in expected]
    assert out[-1] == f"({len(expected)} rows)"
    # numbers are right-aligned under their header
    assert len({len(line) for line in out[2:-1]}) == 1 and out[0].endswith("trials")


def test_csv_and_json_carry_every_value(crawled_sample):
    sql = "select nct_id, phases, start_date, enrollment from trials order by nct_id limit 5"
    expected = query(crawled_sample, sql)
    rows = list(csv.reader(io.StringIO(run_trials("sql", sql, "--csv", "--data", crawled_sample).stdout)))
    assert rows[0] == ["nct_id", "phases", "start_date", "enrollment"]
    assert rows[1:] == [[n, json.dumps(p), str(d), "" if e is None else str(e)] for n, p, d, e in expected]
    records = json.loads(run_trials("sql", sql, "--json", "--data", crawled_sample).stdout)
    assert records == [{"nct_id": n, "phases": p, "start_date": str(d), "enrollment": e} for n, p, d, e in expected]


def test_writes_are_refused_with_one_line(crawled_sample):
    result = run_trials("sql", "delete from trials", "--data", crawled_sample, check=False)
    assert result.returncode == 1
    assert "read-only" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert query(crawled_sample, "select count(*) from trials") == [(300,)]
    empty = crawled_sample / "runs"  # a directory without a warehouse
    missing = run_trials("sql", "select 1", "--data", empty, check=False)
    assert missing.returncode == 1 and "run `trials build` first" in missing.stderr


def test_readers_keep_working_while_a_build_replaces_the_warehouse(crawled_sample, sample_studies, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(crawled_sample, data)
    extra = tmp_path / "extra"
    extra.mkdir()
    nct_id, body = next(iter(sample_studies.items()))
    (extra / "NCT99999999.json").write_bytes(body.replace(nct_id.encode(), b"NCT99999999"))
    run_trials("import", extra, "--data", data)

    reader = duckdb.connect(str(data / "trials.warehouse.duckdb"), read_only=True)
    build = subprocess.Popen([sys.executable, "-m", "trials", "build", "--data", str(data)], cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reads_while_tmp_existed = 0
    while build.poll() is None:
        assert reader.execute("select count(*) from trials").fetchone() == (300,)
        reads_while_tmp_existed += (data / "trials.warehouse.duckdb.tmp").exists()
        time.sleep(0.005)
    assert build.returncode == 0, build.stderr.read()
    assert reads_while_tmp_existed > 0
    # the open reader still reads the warehouse it opened; a new reader sees the new build
    assert reader.execute("select count(*) from trials").fetchone() == (300,)
    reader.close()
    out = run_trials("sql", "select count(*) as n from trials", "--csv", "--data", data).stdout
    assert out.split() == ["n", "301"]


def test_errors_keep_duckdbs_whole_message_without_a_traceback(crawled_sample):
    typo = run_trials("sql", "select nct_idd from trials", "--data", crawled_sample, check=False)
    assert typo.returncode == 1 and "Traceback" not in typo.stderr
    lines = typo.stderr.splitlines()
    assert lines[0].startswith('trials: Binder Error: Referenced column "nct_idd" not found')
    assert any(line.startswith("Candidate bindings:") and '"nct_id"' in line for line in lines)
    assert "LINE 1: select nct_idd from trials" in lines
    caret = lines[lines.index("LINE 1: select nct_idd from trials") + 1]
    assert caret.strip() == "^^^^^^^" and caret.index("^") == len("LINE 1: select ")
    table = run_trials("sql", "select count(*) from trial", "--data", crawled_sample, check=False)
    assert 'Did you mean "trials"?' in table.stderr and "Traceback" not in table.stderr


def exit_message(*args):
    """The message `trials` exits with, run in this process (the subprocess tests show it reaches stderr)."""
    with pytest.raises(SystemExit) as exited:
        main([*map(str, args)])
    return exited.value.code


@pytest.mark.parametrize("sql", ["", "   ", ";", "-- only a comment"])
def test_an_empty_query_says_so_in_one_line(crawled_sample, sql, capsys):
    assert exit_message("sql", sql, "--data", crawled_sample) == (
        "trials: the query is empty: give SQL as an argument, with -f FILE, or on standard input")
    assert capsys.readouterr().out == ""


def run_with_stdin(text, *args):
    return subprocess.run([sys.executable, "-m", "trials", "sql", *map(str, args)], cwd=REPO, input=text,
                          capture_output=True, text=True, timeout=120)


def test_every_statement_is_printed_from_an_argument_a_file_or_standard_input(crawled_sample, tmp_path, capsys):
    sql = "select count(*) as n from trials;\nselect 'second' as which, 2 as k"
    script = tmp_path / "two.sql"
    script.write_text(sql)
    expected = ["  n", "---", "300", "(1 row)", "", "which   k", "------  -", "second  2", "(1 row)"]
    for args in ([sql], ["-f", script]):
        main(["sql", *map(str, args), "--data", str(crawled_sample)])
        assert capsys.readouterr().out.splitlines() == expected
    for args in ([], ["-"]):
        piped = run_with_stdin(sql, *args, "--data", crawled_sample)
        assert piped.returncode == 0 and piped.stdout.splitlines() == expected
    main(["sql", sql, "--csv", "--data", str(crawled_sample)])
    assert capsys.readouterr().out == "n\n300\n\nwhich,k\nsecond,2\n"
    # a failing statement: the results before it are printed, then its error
    message = exit_message("sql", "select 1 as one; select nope", "--data", crawled_sample)
    assert capsys.readouterr().out.splitlines()[2].strip() == "1"
    assert 'Referenced column "nope" was not found' in message


# Each must be refused: nothing written, no file outside the warehouse read, no extension fetched or loaded.
ATTACKS = {
    "copy a table over a run's file": "copy trials to '{run}/trials.parquet' (format parquet)",
    "copy to a new file": "copy (select 1) to '{tmp}/out.csv'",
    "export the database": "export database '{tmp}/export'",
    "read a system file": "select * from read_text('/etc/shadow')",
    "read a file as CSV": "select * from read_csv('/etc/passwd')",
    "read a file as a blob": "select * from read_blob('/etc/hostname')",
    "list files": "select * from glob('/etc/*')",
    "scan a file by name": "select * from '{run}/trials.parquet'",
    "attach another database": "attach '{tmp}/other.duckdb' as other",
    "install an extension": "install httpfs",
    "load an extension": "load httpfs",
    "turn external access back on": "set enable_external_access = true",
    "unlock the configuration": "set lock_configuration = false",
    "profile to a file": "set profiling_output = '{tmp}/profile.json'",
    "change a table": "delete from trials",
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_sql_is_read_only_and_reaches_nothing_but_the_warehouse(crawled_sample, tmp_path, attack):
    run = sorted((crawled_sample / "runs").iterdir())[-1]
    before = {p.name: p.read_bytes() for p in run.iterdir()}
    with pytest.raises(duckdb.Error):
        list(run_queries(crawled_sample, ATTACKS[attack].format(run=run, tmp=tmp_path)))
    assert {p.name: p.read_bytes() for p in run.iterdir()} == before
    assert list(tmp_path.iterdir()) == []
    assert list(run_queries(crawled_sample, "select count(*) from trials")) == [(["count_star()"], [(300,)])]


def test_the_command_refuses_a_write_in_one_clear_message(crawled_sample, tmp_path):
    result = run_trials("sql", f"copy trials to '{tmp_path}/x.csv'", "--data", crawled_sample, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "file system operations are disabled" in result.stderr and "reads the warehouse only" in result.stderr
    assert not (tmp_path / "x.csv").exists()


HOSTILE = "select chr(27) || ']0;owned' || chr(7) || chr(27) || '[2J' as title, chr(155) || '31m' as csi, " \
          "'a' || chr(8238) || 'b' as bidi"


def test_control_characters_are_printed_as_escapes(crawled_sample):
    table = run_trials("sql", HOSTILE, "--data", crawled_sample).stdout
    assert "\x1b" not in table and "\x07" not in table and "\x9b" not in table and "\u202e" not in table
    assert r"\x1b]0;owned\x07\x1b[2J" in table and r"\x9b31m" in table and r"a\u202eb" in table
    as_json = run_trials("sql", HOSTILE, "--json", "--data", crawled_sample).stdout
    assert "\x1b" not in as_json and "\x9b" not in as_json
    assert json.loads(as_json) == [{"title": "\x1b]0;owned\x07\x1b[2J", "csi": "\x9b31m", "bidi": "a\u202eb"}]
    # CSV keeps values whole when written to a file or a pipe, and escapes them on a terminal
    assert "\x1b]0;owned" in run_trials("sql", HOSTILE, "--csv", "--data", crawled_sample).stdout
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(REPO)
        os.execv(sys.executable, [sys.executable, "-m", "trials", "sql", HOSTILE, "--csv", "--data", str(crawled_sample)])
    out = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    assert b"\x1b" not in out and rb"\x1b]0;owned\x07" in out


def test_commands_that_read_a_data_directory_fail_without_one(tmp_path):
    missing = tmp_path / "no-such-dir"
    expected = f"trials: no data directory {missing}: crawl or import into it first"
    result = run_trials("runs", "--data", missing, check=False)
    assert result.returncode == 1 and result.stderr.strip() == expected
    for command in (["build"], ["sql", "select 1"], ["report"], ["quarantine"]):
        assert exit_message(*command, "--data", missing) == expected, command
    assert not missing.exists()
