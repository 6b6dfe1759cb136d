"""The real ctgov spider crawls the local API and every sample record lands in the warehouse."""
import json

from conftest import query, run_trials


def test_every_sample_record_lands_once(crawled_sample, sample_studies):
    rows = query(crawled_sample, "select nct_id from trials order by 1")
    assert [r[0] for r in rows] == sorted(sample_studies)
    assert query(crawled_sample, "select count(*) from quarantine") == [(0,)]
    (fetched, new, quarantined), = query(crawled_sample, "select fetched, new, quarantined from runs")
    assert (fetched, new, quarantined) == (len(sample_studies), len(sample_studies), 0)
