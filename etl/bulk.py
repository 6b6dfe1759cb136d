"""Reads bulk files: a zip (the registry's `ctg-studies.json.zip`, the retired `AllPublicXML.zip` of
legacy XML in nested folders) or a folder of per-study files.

Yields (source, url, body) for the store; the file's extension says which parser reads it.
"""
import zipfile
from pathlib import Path

from etl.store import RunWriter, utc_now

SOURCES_BY_SUFFIX = {".json": "ctgov_bulk", ".xml": "ctgov_xml"}


class BulkError(ValueError):
    """The path is not something `trials import` can read."""


def _source(name):
    return SOURCES_BY_SUFFIX.get(Path(name).suffix.lower())


def read_bulk(path):
    path = Path(path)
    if path.is_dir():
        for file in sorted(path.rglob("*")):
            if file.is_file() and _source(file.name):
                yield _source(file.name), file.resolve().as_uri(), file.read_bytes()
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if _source(name):
                    yield _source(name), f"{path.resolve().as_uri()}!/{name}", archive.read(name)
    elif path.exists():
        raise BulkError(f"{path} is neither a folder nor a zip file")
    else:
        raise BulkError(f"{path} does not exist")


def import_path(path, data_dir):
    """Load a bulk file or folder into one run of `data_dir`; returns the run's manifest."""
    records = read_bulk(path)
    with RunWriter(data_dir, source="import", options={"path": str(Path(path).resolve())}) as writer:
        for source, url, body in records:
            writer.add(source, url, utc_now(), body)
    return writer.manifest
