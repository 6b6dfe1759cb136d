"""`trials` installed the way a user installs it: a wheel built from the checkout, installed (not
editable) into a fresh venv outside it, runs the demo and a build from elsewhere with the SQL and the
samples the wheel ships. The venv reuses the project venv's installed dependencies (a .pth line), so
nothing is downloaded but the build backend pip fetches for the wheel, as `make install` does."""
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import duckdb
import pytest

from conftest import REPO

pytestmark = pytest.mark.slow  # ~20 s on an idle machine: a wheel build and the whole demo



def not_source(folder, names):
    """What a clean clone lacks (the checkout is copied, so the wheel build leaves nothing in it)."""
    local = {".git", ".venv", "data", "build", "bench"} if Path(folder) == REPO else set()
    return [name for name in names if name in local or name.endswith(".egg-info")
            or name in {"__pycache__", ".pytest_cache", ".hypothesis"}]


def run(*args, cwd):
    result = subprocess.run([str(arg) for arg in args], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(map(str, args))}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    return result.stdout


def test_wheel_installed_outside_the_checkout_runs_the_demo_and_builds(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=not_source)
    run(sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--quiet", "-w", tmp_path / "wheels", cwd=source)
    wheel, = (tmp_path / "wheels").glob("trials-*.whl")

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path).strip())
    (site / "project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")  # after the venv's own
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet", wheel, cwd=tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = run(python, "-c", "import trials.sql, trials.samples; print(trials.sql.__file__, trials.samples.__file__)",
                cwd=elsewhere).split()
    assert all(path.startswith(str(site)) for path in where), where  # the wheel's, not the checkout's
    data = tmp_path / "x"
    out = run(venv / "bin" / "trials", "demo", "--data", data, cwd=elsewhere)
    assert "trials by source: ctgov_api 300, mirror_page 300" in out, out
    run(venv / "bin" / "trials", "build", "--data", data, cwd=elsewhere)
    con = duckdb.connect(str(data / "trials.warehouse.duckdb"), read_only=True)
    assert con.execute("select count(*) from trials").fetchone() == (600,)
    con.close()
    assert not (REPO / "build").exists()
