"""Which parser reads which source. A reader takes a batch's bodies at once and returns its Rows
(etl/record.py); a parser, `parse(body: bytes, url: str) -> record`, is the reader on a batch of one."""
from trials.etl import ctgov_json, ctgov_xml, euctr, ictrp, mirror_page

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
PARSERS = {
    "ctgov_api": ctgov_json.parse_study,
    "ctgov_bulk": ctgov_json.parse_study,
    "ctgov_xml": ctgov_xml.parse_study_xml,
    "mirror_page": mirror_page.parse_page,
    "ictrp_xml": ictrp.parse_xml,
    "ictrp_csv": ictrp.parse_csv,
    "euctr_text": euctr.parse_record,
    "euctr_page": euctr.parse_page,
}
