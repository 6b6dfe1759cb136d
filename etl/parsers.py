"""Which reader reads which source. A reader takes a batch's bodies at once and returns its Rows
(etl/record.py); one record is a batch of one (`parse_record`)."""
from trials.etl import ctgov_json, ctgov_xml, euctr, ictrp, mirror_page
from trials.etl.record import single_record

READERS = {
    "ctgov_api": ctgov_json.read_studies,
    "ctgov_bulk": ctgov_json.read_studies,
    "ctgov_xml": ctgov_xml.read_xml_studies,
    "mirror_page": mirror_page.read_pages,
    "ictrp_xml": ictrp.read_xml,
    "ictrp_csv": ictrp.read_csv,
    "euctr_text": euctr.read_records,
    "euctr_page": euctr.read_pages,
}


def parse_record(source, body):
    """One body of `source` -> its record (table -> rows): the source's reader on a batch of one.
    ParseError with the reason when it cannot become a record."""
    return single_record(READERS[source]([body]))
