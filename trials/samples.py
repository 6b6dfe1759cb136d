"""The sample of real registry records shipped in the repo, for the demo and the tests."""
import zipfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CTGOV_V2_SAMPLE = SAMPLES / "ctgov_v2_studies.zip"


def ctgov_v2_studies():
    """nct_id -> the study's API v2 JSON bytes, as the registry served them."""
    with zipfile.ZipFile(CTGOV_V2_SAMPLE) as archive:
        return {Path(name).stem: archive.read(name) for name in sorted(archive.namelist())}
