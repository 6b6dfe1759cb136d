"""The sample of real registry records shipped in the package (samples/ in the checkout), for the demo
and the tests."""
import zipfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent
CTGOV_V2_SAMPLE = SAMPLES / "ctgov_v2_studies.zip"
# 300 legacy XML records of ../shared/data/ctgov_xml (none of them in the v2 sample), picked to cover
# every study type, phase, status, masking, sex, sponsor class, date and age spelling of that set.
CTGOV_XML_SAMPLE = SAMPLES / "ctgov_xml_studies.zip"


def _read(sample):
    with zipfile.ZipFile(sample) as archive:
        return {Path(name).stem: archive.read(name) for name in sorted(archive.namelist())}


def ctgov_v2_studies():
    """nct_id -> the study's API v2 JSON bytes, as the registry served them."""
    return _read(CTGOV_V2_SAMPLE)


def ctgov_xml_studies():
    """nct_id -> the study's legacy `<clinical_study>` XML bytes."""
    return _read(CTGOV_XML_SAMPLE)
