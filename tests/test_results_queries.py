"""The warehouse holds the results of API v2 and legacy XML records alike: the shipped sample's 22 v2
studies and 12 legacy XML studies with results each land in the results tables (their questions in
docs/queries.md run in tests/test_queries.py)."""
from conftest import query, run_trials
from trials.samples import CTGOV_V2_SAMPLE, CTGOV_XML_SAMPLE


def test_the_sample_warehouse_has_results_from_both_sources(tmp_path):
    data = tmp_path / "data"
    for sample in (CTGOV_V2_SAMPLE, CTGOV_XML_SAMPLE):
        run_trials("import", sample, "--data", data)
    run_trials("build", "--data", data)
    rows = query(data, "select t.source, count(distinct r.nct_id) from result_groups as r "
                       "join trials as t using (nct_id) group by 1 order by 1")
    assert rows == [("ctgov_bulk", 22), ("ctgov_xml", 12)]
