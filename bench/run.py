"""`make bench`: throughput and scale figures, each printed next to a baseline measured in the same run.

    .venv/bin/python -m bench.run [name ...]      # all benchmarks, or the named ones
    BENCH_SCALE=0.1 .venv/bin/python -m bench.run   # a quick pass at a tenth of the sizes

Results also go to bench/out/results.json; inputs are generated under bench/out/ (not committed).
Ratios are what to read on a shared machine: both sides of one are measured back to back.
"""
import json
import multiprocessing
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from importlib import metadata
from pathlib import Path

from bench.replicate import fresh_id, replicated_studies, replicated_xml, write_store, write_zip
from trials.etl.bulk import BulkFiles

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
BIN = Path(sys.executable).parent
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
CORES = os.cpu_count()
TIME = "/usr/bin/time"  # Debian's `time` package: apt-get install time


def scaled(n, least=300):
    return max(least, int(n * SCALE))


def report(name, **figures):
    """Print one benchmark's figures and keep them for results.json."""
    RESULTS[name] = figures
    print(f"\n== {name}")
    for key, value in figures.items():
        print(f"  {key:<46} {value:,.3f}" if isinstance(value, float) else f"  {key:<46} {value}")


def run_child(*args, cwd=REPO, check=True):
    """Run a command; returns (wall seconds, CPU seconds, peak RSS in MiB, stdout + stderr).

    Through /usr/bin/time: Linux reports a forked child's peak RSS as at least its parent's, so the
    command runs as the child of a small process and that one reports it.
    """
    started = time.perf_counter()
    proc = subprocess.Popen([TIME, "-f", "peak_rss_kb=%M", *map(str, args)], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    returncode = os.waitstatus_to_exitcode(status)
    if check and returncode:
        raise RuntimeError(f"{' '.join(map(str, args))} exited {returncode}:\n{output[-3000:]}")
    rss = re.findall(r"peak_rss_kb=(\d+)", output)
    return wall, usage.ru_utime + usage.ru_stime, int(rss[-1]) / 1024, output


def trials(*args, **kwargs):
    return run_child(sys.executable, "-m", "trials", *args, **kwargs)


def seconds_in(func, items):
    """Seconds spent in func over items, timing only the calls."""
    spent = 0.0
    for item in items:
        started = time.perf_counter()
        func(item)
        spent += time.perf_counter() - started
    return spent


def zip_bodies(path, members=slice(None)):
    """The bodies of the zip's members (a slice of them), read by zipfile as a baseline's input."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist()[members]:
            yield archive.read(name)


def _seconds_in_share(args):
    func, path, share = args
    return seconds_in(func, zip_bodies(path, slice(share, None, CORES)))


def parallel_seconds(func, path):
    """Wall seconds for CORES processes at once to run func over their shares of the zip's members:
    how far this machine itself scales a parser over its cores."""
    with multiprocessing.get_context("fork").Pool(CORES) as pool:
        return max(pool.map(_seconds_in_share, [(func, path, share) for share in range(CORES)]))


def import_figures(figures, label, path, n, worker_counts=(1, CORES), rounds=2):
    """Run the real `trials import` of `path` (n records) per worker count, `rounds` times in turn,
    and keep each count's fastest run: this machine's speed drifts by a fifth from one run to the
    next, and the baselines are the faster of two runs too. Returns {workers: wall s}."""
    runs = {workers: [] for workers in worker_counts}
    for _ in range(rounds):
        for workers in worker_counts:
            with tempfile.TemporaryDirectory(dir=OUT) as data:
                wall, cpu, _, out = trials("import", path, "--data", data, "--workers", workers)
            assert f"new {n}," in out, out
            runs[workers].append((wall, cpu))
    walls = {}
    for workers, timed in runs.items():
        walls[workers], cpu = min(timed)
        figures[f"{label}, {workers} worker(s): rec/s"] = n / walls[workers]
        figures[f"{label}, {workers} worker(s): rec/s per CPU s"] = n / cpu
    return walls


def ratios(figures, label, walls, name, seconds):
    """Each import's ratio to the baseline, `seconds` being the faster of its runs before and after
    the imports (the stricter ratio on a machine whose speed drifts)."""
    for workers, wall in walls.items():
        figures[f"  {label}, {workers} worker(s): ratio to {name}"] = min(seconds) / wall


def bench_import():
    """`trials import` of replicated v2 JSON into Parquet, against json.loads of the same bytes.

    Twice: from a deflated zip (the registry's download) and from a stored (uncompressed) one,
    which shows the parse-to-Parquet path without inflating.
    """
    n = scaled(100_000)
    sources = {"deflated zip": OUT / f"v2_studies_{n}.zip", "stored zip": OUT / f"v2_studies_{n}_stored.zip"}
    for label, path in sources.items():
        if not path.exists():
            write_zip(path, n, compress=label == "deflated zip")
    loads = [seconds_in(json.loads, zip_bodies(sources["stored zip"]))]
    files = BulkFiles(sources["deflated zip"])
    started = time.perf_counter()
    for _ in files.read(files.names):
        pass
    files.close()
    figures = {"records": n, "reading the deflated zip alone rec/s (1 core)": n / (time.perf_counter() - started),
               f"json.loads rec/s ({CORES} processes at once)": n / parallel_seconds(json.loads, sources["stored zip"])}
    walls = {label: import_figures(figures, label, path, n) for label, path in sources.items()}
    loads.append(seconds_in(json.loads, zip_bodies(sources["stored zip"])))
    figures["json.loads rec/s (1 core), before and after"] = " / ".join(f"{n / s:,.0f}" for s in loads)
    for label in sources:
        ratios(figures, label, walls[label], "json.loads", loads)
    report("import v2 JSON", **figures)


def bench_legacy_xml():
    """`trials import` of legacy XML (the shipped sample, replicated) against lxml parsing alone."""
    from lxml import etree

    n = scaled(50_000)
    source = OUT / f"xml_studies_{n}.zip"
    if not source.exists():
        write_zip(source, n, xml=True)
    lxml = [seconds_in(etree.fromstring, zip_bodies(source))]
    figures = {"records": n}
    walls = import_figures(figures, "deflated zip", source, n)
    lxml.append(seconds_in(etree.fromstring, zip_bodies(source)))
    figures["lxml.etree.fromstring rec/s (1 core), before and after"] = " / ".join(f"{n / s:,.0f}" for s in lxml)
    ratios(figures, "deflated zip", walls, "lxml", lxml)
    report("import legacy XML", **figures)


def bench_mirror_pages():
    """The mirror-page parser on the local mirror site's pages (all three markups) against lxml.html
    alone: the parser alone, and `parse_batch` (parse, validate, hash, Arrow) as the store runs it."""
    from lxml import html

    from trials.etl.batch import parse_batch
    from trials.etl.mirror_page import parse_page
    from trials.etl.store import utc_now
    from trials.mirror_site import MARKUPS, render_trial_page

    n = scaled(20_000)
    pages = [render_trial_page(xml, MARKUPS[i % len(MARKUPS)]) for i, (_, xml) in enumerate(replicated_xml(n))]
    lxml = seconds_in(html.fromstring, pages)
    ours = seconds_in(parse_page, pages)
    started = time.perf_counter()
    parse_batch([("mirror_page", "http://127.0.0.1/trials", utc_now(), page) for page in pages], "bench", 1)
    batch = time.perf_counter() - started
    report("parse mirror pages", pages=n, **{"mean page KiB": sum(map(len, pages)) / n / 1024,
                                             "lxml.html.fromstring pages/s": n / lxml,
                                             "parse_page pages/s": n / ours, "  parse_page / lxml": lxml / ours,
                                             "parse_batch pages/s": n / batch, "  parse_batch / lxml": lxml / batch})


def bench_peers():
    """The same records to Parquet: our parser (all tables) vs ctgforge and pandas.json_normalize (one)."""
    import pandas as pd
    import pyarrow.parquet as pq
    from ctgforge.export.dataframe import to_dataframe
    from ctgforge.flatten.core import flatten_core

    from trials.etl.batch import parse_batch
    from trials.etl.store import utc_now

    n = scaled(20_000)
    bodies = [body for _, body in replicated_studies(n)]
    figures = {"records": n}
    with tempfile.TemporaryDirectory(dir=OUT) as out:
        out = Path(out)

        def ours(bodies):
            batch = parse_batch([("ctgov_bulk", "bench", utc_now(), b) for b in bodies], "bench", 1)
            for table, rows in batch.tables.items():
                pq.write_table(rows, out / f"trials_{table}.parquet")
            return len(batch.tables)

        def ctgforge(bodies):
            to_dataframe([flatten_core(json.loads(b)) for b in bodies]).to_parquet(out / "ctgforge.parquet")
            return 1

        def json_normalize(bodies):
            pd.json_normalize([json.loads(b) for b in bodies]).to_parquet(out / "json_normalize.parquet")
            return 1

        for name, func in (("trials", ours), ("ctgforge 0.2.5", ctgforge), ("pandas.json_normalize", json_normalize)):
            func(bodies[:300])  # warm up: lazy imports and first-call costs stay out of the figures
            started = time.perf_counter()
            tables = func(bodies)
            figures[f"{name} rec/s"] = n / (time.perf_counter() - started)
            figures[f"{name} tables"] = tables
    figures["  trials / ctgforge"] = figures["trials rec/s"] / figures["ctgforge 0.2.5 rec/s"]
    figures["  trials / json_normalize"] = figures["trials rec/s"] / figures["pandas.json_normalize rec/s"]
    report("peers: flatten to Parquet (1 core)", **figures)


STAT = re.compile(r"'(response_received_count|item_scraped_count|elapsed_time_seconds)': ([\d.]+)")


def scrapy_stats(output):
    stats = {key: float(value) for key, value in STAT.findall(output)}
    return stats.get("response_received_count", 0), stats.get("item_scraped_count", 0), stats["elapsed_time_seconds"]


# What `scrapy bench` runs with (Scrapy's defaults): the crawl is measured at the same concurrency,
# with the politeness delays of crawler/settings.py off, against a server on this machine.
UNTHROTTLED = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS=16",
               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "LOG_LEVEL=INFO"]


def bench_crawl():
    """The ctgov and pages spiders against the local API server and mirror site, against `scrapy bench`
    in the same session."""
    from trials.api_server import serve
    from trials.mirror_site import serve_mirror

    seconds = max(5, int(10 * min(SCALE, 1)))
    with tempfile.TemporaryDirectory() as empty:  # outside the project (no scrapy.cfg above): Scrapy's defaults
        _, _, _, out = run_child(BIN / "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}", cwd=empty)
    pages, _, elapsed = scrapy_stats(out)
    figures = {"scrapy bench pages/s": pages / elapsed}
    by_id = scaled(5_000)
    paged = scaled(20_000, least=1000)
    with serve(dict(replicated_studies(max(by_id, paged)))) as server:
        ids = ",".join(fresh_id(i) for i in range(by_id))
        for mode, extra in (("one study per page", ["-a", f"ids={ids}"]),
                            ("pages of 1000 studies", ["-a", f"max_records={paged}"])):
            with tempfile.TemporaryDirectory(dir=OUT) as data:
                _, _, _, out = run_child(BIN / "scrapy", "crawl", "ctgov", "-a", f"base_url={server.base_url}",
                                         *extra, "-s", f"TRIALS_DATA={data}", *UNTHROTTLED)
            pages, items, elapsed = scrapy_stats(out)
            figures[f"ctgov, {mode}: pages/s"] = pages / elapsed
            figures[f"ctgov, {mode}: records/s"] = items / elapsed
            if mode == "one study per page":  # pages of 1000 studies are not the pages scrapy bench counts
                figures["  ctgov: ratio to scrapy bench pages/s"] = (pages / elapsed) / figures["scrapy bench pages/s"]
    with serve_mirror(dict(replicated_xml(by_id))) as site:  # from its sitemap: every trial page
        with tempfile.TemporaryDirectory(dir=OUT) as data:
            _, _, _, out = run_child(BIN / "scrapy", "crawl", "pages", "-a", f"start_url={site.base_url}/sitemap.xml",
                                     "-s", f"TRIALS_DATA={data}", *UNTHROTTLED)
    pages, items, elapsed = scrapy_stats(out)
    assert items == by_id, out[-3000:]
    figures["pages (mirror site): pages/s"] = pages / elapsed
    figures["  pages: ratio to scrapy bench pages/s"] = (pages / elapsed) / figures["scrapy bench pages/s"]
    report("crawl", **figures)


def bench_build_and_incremental():
    """`trials build` over 560,000 replicated trials; then a run with nothing changed over that store."""
    from trials.etl.run_folders import latest_hashes

    n = scaled(560_000)
    store = OUT / f"store_{n}"
    shutil.rmtree(store, ignore_errors=True)
    started = time.perf_counter()
    write_store(store, n)
    figures = {"trials": n, "store written in s": time.perf_counter() - started}
    wall, cpu, rss, out = trials("build", "--data", store)
    figures.update({"build wall s": wall, "build CPU s": cpu, "build peak RSS MiB": rss})
    figures["build output"] = " ".join(out.split()[:6])
    report("build at scale", **figures)

    started = time.perf_counter()
    known = len(latest_hashes(store))
    figures = {"latest_hashes() s": time.perf_counter() - started, "trials known": known}
    delta = OUT / "delta_1000.zip"
    write_zip(delta, 1000)
    wall, _, rss, out = trials("import", delta, "--data", store)
    assert "unchanged 1000" in out, out
    figures.update({"run of 1,000 unchanged records s": wall, "its peak RSS MiB": rss})
    import_rate = RESULTS.get("import v2 JSON", {}).get(f"deflated zip, {CORES} worker(s): rec/s")
    if import_rate:
        full = n / import_rate  # not run: the import benchmark's rate over this store's size
        figures[f"full import of {n:,} s (at the {CORES}-worker rate)"] = full
        figures["  incremental / full import"] = wall / full
        figures["  incremental / (full import + build)"] = wall / (full + RESULTS["build at scale"]["build wall s"])
    report("incremental run, nothing changed", **figures)
    shutil.rmtree(store, ignore_errors=True)


def machine():
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    mem = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
    versions = {name: metadata.version(name) for name in
                ("scrapy", "duckdb", "pyarrow", "numpy", "isal", "xml2arrow", "selectolax", "lxml", "ctgforge", "pandas")}
    return {"nproc": CORES, "cpu": cpu.group(1) if cpu else "?", "ram GiB": round(int(mem.group(1)) / 2**20, 1),
            "python": platform.python_version(), "load average at start": os.getloadavg(),
            "scale": SCALE, **versions}


BENCHMARKS = {"import": bench_import, "xml": bench_legacy_xml, "pages": bench_mirror_pages,
              "peers": bench_peers, "crawl": bench_crawl, "build": bench_build_and_incremental}
RESULTS = {}


def main(names):
    OUT.mkdir(exist_ok=True)
    report("machine", **machine())
    for name in names or BENCHMARKS:
        started = time.perf_counter()
        BENCHMARKS[name]()
        print(f"  ({name}: {time.perf_counter() - started:.0f} s)")
    (OUT / "results.json").write_text(json.dumps(RESULTS, indent=2, default=str) + "\n")
    print(f"\nwrote {OUT / 'results.json'}")


if __name__ == "__main__":
    main(sys.argv[1:])
