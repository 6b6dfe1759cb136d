"""`make demo`: the whole pipeline, offline, on the sample of real records shipped in the repo.

Each crawl runs as its own `trials crawl` process, as cron would run it (Scrapy's reactor starts
once per process); the local registry runs on 127.0.0.1 in this one.
"""
import subprocess
import sys

import duckdb

from trials.api_server import serve
from trials.mirror_site import serve_mirror
from trials.report import write_report
from trials.samples import ctgov_v2_studies, ctgov_xml_studies
from trials.summary import table_lines
from trials.warehouse.build import build


def run_cli(*args):
    subprocess.run([sys.executable, "-m", "trials", *map(str, args)], check=True)


def demo(data_dir):
    print(f"demo: data directory {data_dir.resolve()}")
    with serve(ctgov_v2_studies()) as api:
        print(f"demo: local ClinicalTrials.gov API at {api.base_url}")
        run_cli("crawl", "ctgov", "--base-url", api.base_url, "--data", data_dir, "--delay", "0")
    with serve_mirror(ctgov_xml_studies()) as mirror:
        print(f"demo: local mirror site of legacy XML records at {mirror.base_url}")
        run_cli("crawl", "pages", "--start-url", f"{mirror.base_url}/sitemap.xml", "--data", data_dir, "--delay", "0")
    counts = build(data_dir)
    warehouse = data_dir / "trials.warehouse.duckdb"
    con = duckdb.connect(str(warehouse), read_only=True)
    by_source = con.execute("select source, count(*) from trials group by all order by 1").fetchall()
    quarantined = con.execute("select count(*) from quarantine").fetchone()[0]
    con.close()
    print("\ntrials by source: " + ", ".join(f"{s} {n}" for s, n in by_source))
    print(f"quarantined records: {quarantined}")
    print("rows per table:")
    print("\n".join(table_lines(counts)))
    report = write_report(data_dir)
    print(f"\nwarehouse: {warehouse}\nmarts:     {data_dir / 'marts'}/*.parquet\nruns:      {data_dir / 'runs'}/")
    print(f"report:    {report}")
    print(f'try:       .venv/bin/trials sql "select phase, count(*) from trials group by all" --data {data_dir}')
