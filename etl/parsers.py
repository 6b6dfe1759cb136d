"""Which parser reads which source: every parser is `parse(body: bytes, url: str) -> record`."""
from etl import ctgov_json

PARSERS = {
    "ctgov_api": ctgov_json.parse_study,
    "ctgov_bulk": ctgov_json.parse_study,
}
