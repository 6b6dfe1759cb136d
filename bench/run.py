"""`make bench`: throughput and scale figures, each printed next to a baseline measured in the same run.

    .venv/bin/python -m bench.run [name ...]      # all benchmarks, or the named ones
    BENCH_SCALE=0.1 .venv/bin/python -m bench.run   # a quick pass at a tenth of the sizes

Results also go to bench/out/results.json; inputs are generated under bench/out/ (not committed).
Ratios are what to read on a shared machine: both sides of one are measured back to back.
"""
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from importlib import metadata, util
from pathlib import Path

from bench.replicate import fresh_id, replicated_studies, write_store, write_zip

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
BIN = Path(sys.executable).parent
SHARED_XML = REPO.parent / "shared" / "data" / "ctgov_xml"
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
        print(f"  {key:<34} {value:,.3f}" if isinstance(value, float) else f"  {key:<34} {value}")


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


def zip_bodies(path):
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            yield archive.read(name)


def bench_import():
    """`trials import` of replicated v2 JSON into Parquet, against json.loads of the same bytes.

    Twice: from a deflated zip (the registry's download), where inflating alone costs about what
    json.loads does, and from a stored (uncompressed) zip, which shows the parse-to-Parquet path.
    """
    n = scaled(100_000)
    sources = {"deflated zip": OUT / f"v2_studies_{n}.zip", "stored zip": OUT / f"v2_studies_{n}_stored.zip"}
    for label, path in sources.items():
        if not path.exists():
            write_zip(path, n, compress=label == "deflated zip")
    loads = seconds_in(json.loads, zip_bodies(sources["stored zip"]))
    started = time.perf_counter()
    for _ in zip_bodies(sources["deflated zip"]):
        pass
    figures = {"records": n, "json.loads rec/s (1 core)": n / loads,
               "inflate alone rec/s (1 core)": n / (time.perf_counter() - started)}
    for label, path in sources.items():
        for workers in (1, CORES):
            with tempfile.TemporaryDirectory(dir=OUT) as data:
                wall, cpu, _, out = trials("import", path, "--data", data, "--workers", workers)
            assert f"new {n}," in out, out
            figures[f"{label}, {workers} worker(s): rec/s"] = n / wall
            figures[f"{label}, {workers} worker(s): rec/s per CPU s"] = n / cpu
            figures[f"  {label}, {workers} worker(s): ratio to json.loads"] = loads / wall
    report("import v2 JSON", **figures)


def bench_legacy_xml():
    """`trials import` of legacy XML, against lxml parsing alone (needs issue 3's etl/ctgov_xml.py)."""
    from etl.bulk import SOURCES_BY_SUFFIX

    if not util.find_spec("etl.ctgov_xml") or ".xml" not in SOURCES_BY_SUFFIX or not SHARED_XML.is_dir():
        return report("import legacy XML", skipped="etl/ctgov_xml.py, .xml in etl.bulk or ../shared/data is missing")
    from lxml import etree

    n = scaled(100_000)
    files = sorted(SHARED_XML.glob("NCT*.xml"))
    source = OUT / f"xml_studies_{n}.zip"
    if not source.exists():
        with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for i in range(n):
                path = files[i % len(files)]
                archive.writestr(f"{fresh_id(i)}.xml", path.read_bytes().replace(path.stem.encode(), fresh_id(i).encode()))
    lxml = seconds_in(etree.fromstring, zip_bodies(source))
    with tempfile.TemporaryDirectory(dir=OUT) as data:
        wall, cpu, _, out = trials("import", source, "--data", data)
    report("import legacy XML", records=n, **{"lxml.etree.fromstring rec/s": n / lxml,
                                              "import rec/s (1 worker)": n / wall,
                                              "  ratio to lxml": lxml / wall, "last line": out.strip()[-120:]})


def bench_mirror_pages():
    """The mirror-page parser on rendered pages, against lxml.html alone (needs issue 3's parser)."""
    from etl.parsers import PARSERS

    names = [name for name, parse in PARSERS.items() if parse.__module__ == "etl.mirror_page"]
    seed = REPO.parent / "shared" / "data" / "seed_trial_page.txt"
    if not names or not seed.exists():
        return report("parse mirror pages", skipped="etl/mirror_page.py (issue 3) not merged yet")
    from lxml import html

    # The seed page's own lines as paragraphs: one markup a mirror site uses.
    text = seed.read_text(encoding="utf-8")
    page = ("<html><body>" + "".join(f"<p>{html_escape(line)}</p>" for line in text.splitlines())
            + "</body></html>").encode()
    n = scaled(20_000)
    pages = [page.replace(b"NCT06536712", fresh_id(i).encode()) for i in range(n)]
    lxml = seconds_in(html.fromstring, pages)
    parse = PARSERS[names[0]]
    ours = seconds_in(lambda body: parse(body, "http://127.0.0.1/trial"), pages)
    report("parse mirror pages", pages=n, **{"lxml.html.fromstring pages/s": n / lxml,
                                             f"{names[0]} parser pages/s": n / ours, "  ratio to lxml": lxml / ours})


def html_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def bench_peers():
    """The same records to Parquet: our parser (all tables) vs ctgforge and pandas.json_normalize (one)."""
    import pandas as pd
    import pyarrow.parquet as pq
    from ctgforge.export.dataframe import to_dataframe
    from ctgforge.flatten.core import flatten_core

    from etl.store import parse_batch, utc_now

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
    """The ctgov spider against the local API server, against `scrapy bench` in the same session."""
    from trials.api_server import serve

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
                figures["  ratio to scrapy bench pages/s"] = (pages / elapsed) / figures["scrapy bench pages/s"]
    if util.find_spec("crawler.spiders.pages") is None:
        figures["pages spider"] = "skipped: crawler/spiders/pages.py (issue 3) not merged yet"
    report("crawl", **figures)


def bench_build_and_incremental():
    """`trials build` over 560,000 replicated trials; then a run with nothing changed over that store."""
    from etl.store import latest_hashes

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
                ("scrapy", "duckdb", "pyarrow", "orjson", "lxml", "ctgforge", "pandas")}
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
