"""Which parser reads which source: every parser is `parse(body: bytes, url: str) -> record`."""
from etl import ctgov_json, ctgov_xml, mirror_page

PARSERS = {
    "ctgov_api": ctgov_json.parse_study,
    "ctgov_bulk": ctgov_json.parse_study,
    "ctgov_xml": ctgov_xml.parse_study_xml,
    "mirror_page": mirror_page.parse_page,
}
