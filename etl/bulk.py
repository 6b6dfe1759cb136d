"""Reads bulk files: a zip (the registry's `ctg-studies.json.zip`, the retired `AllPublicXML.zip` of
legacy XML in nested folders) or a folder of per-study files.

Yields (source, url, body) for the store; the file's extension says which parser reads it.
"""
import zipfile
from pathlib import Path

from etl.progress import Progress
from etl.store import RunWriter, utc_now

SOURCES_BY_SUFFIX = {".json": "ctgov_bulk", ".xml": "ctgov_xml"}


class BulkError(ValueError):
    """The path is not something `trials import` can read."""


def _source(name):
    return SOURCES_BY_SUFFIX.get(Path(name).suffix.lower())


def check_readable(path):
    """Raise BulkError unless `path` is a folder or a zip file."""
    path = Path(path)
    if not path.exists():
        raise BulkError(f"{path} does not exist")
    if not path.is_dir() and not zipfile.is_zipfile(path):
        raise BulkError(f"{path} is neither a folder nor a zip file")


def read_bulk(path):
    path = Path(path)
    check_readable(path)
    if path.is_dir():
        for file in sorted(path.rglob("*")):
            if file.is_file() and _source(file.name):
                yield _source(file.name), file.resolve().as_uri(), file.read_bytes()
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if _source(name):
                    yield _source(name), f"{path.resolve().as_uri()}!/{name}", archive.read(name)


def count_entries(path):
    """How many study files `read_bulk` will yield, for the progress line."""
    path = Path(path)
    check_readable(path)
    if path.is_dir():
        return sum(1 for file in path.rglob("*") if file.is_file() and _source(file.name))
    with zipfile.ZipFile(path) as archive:
        return sum(1 for name in archive.namelist() if _source(name))


def import_path(path, data_dir):
    """Load a bulk file or folder into one run of `data_dir`; returns the run's manifest."""
    total = count_entries(path)
    records = read_bulk(path)
    with RunWriter(data_dir, source="import", options={"path": str(Path(path).resolve())}) as writer, \
            Progress("import", total=total) as progress:
        for source, url, body in records:
            writer.add(source, url, utc_now(), body)
            progress.advance()
    return writer.manifest
