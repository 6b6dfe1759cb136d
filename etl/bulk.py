"""Reads bulk files: a zip (the registry's `ctg-studies.json.zip`, the retired `AllPublicXML.zip` of
legacy XML in nested folders) or a folder of per-study files.

Reads (source, url, body) for the store; the file's extension says which parser reads it. With
`workers`, processes parse chunks of the files into Arrow batches and the store, in this process,
only compares and writes them, so the run stays one atomic run whatever the number of workers.
"""
import multiprocessing
import os
import struct
import zipfile
import zlib
from pathlib import Path

from etl.progress import Progress
from etl.batch import parse_batch
from etl.store import RunWriter, utc_now

SOURCES_BY_SUFFIX = {".json": "ctgov_bulk", ".xml": "ctgov_xml"}
CHUNK_RECORDS = 1000


class BulkError(ValueError):
    """The path is not something `trials import` can read."""


def _source(name):
    return SOURCES_BY_SUFFIX.get(os.path.splitext(name)[1].lower())


class BulkFiles:
    """The study files of a folder or zip: their names, and their bytes read by name."""

    def __init__(self, path):
        self.path = Path(path).resolve()
        if self.path.is_dir():
            self.archive = None
            self.names = [str(f) for f in sorted(self.path.rglob("*")) if f.is_file() and _source(f.name)]
        elif zipfile.is_zipfile(self.path):
            self.archive = zipfile.ZipFile(self.path)
            self.names = [name for name in self.archive.namelist() if _source(name)]
        elif self.path.exists():
            raise BulkError(f"{path} is neither a folder nor a zip file")
        else:
            raise BulkError(f"{path} does not exist")
        self.uri = self.path.as_uri()

    def read(self, names):
        """(source, url, fetched_at, body) of each named file, as the store takes them."""
        for name in names:
            if self.archive:
                yield _source(name), f"{self.uri}!/{name}", utc_now(), self._member(self.archive.getinfo(name))
            else:
                yield _source(name), Path(name).as_uri(), utc_now(), Path(name).read_bytes()

    def _member(self, info):
        """A zip member's bytes, read and inflated in one call each: zipfile's streaming reader costs a
        sixth more than the inflating itself for a study's few KiB. Other methods go through zipfile."""
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
            return self.archive.read(info)  # compressed otherwise, or encrypted
        file = self.archive.fp
        file.seek(info.header_offset)
        header = file.read(zipfile.sizeFileHeader)
        if header[:4] != zipfile.stringFileHeader:
            raise zipfile.BadZipFile(f"Bad magic number for file header of {info.filename!r}")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        file.seek(name_length + extra_length, os.SEEK_CUR)
        body = file.read(info.compress_size)
        if info.compress_type == zipfile.ZIP_DEFLATED:
            body = zlib.decompress(body, -zlib.MAX_WBITS)
        if zlib.crc32(body) != info.CRC:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
        return body

    def close(self):
        if self.archive:
            self.archive.close()


_worker_files = None


def _open_in_worker(path):
    global _worker_files
    _worker_files = BulkFiles(path)


def _parse_chunk(chunk):
    names, run_id, first = chunk
    return parse_batch(list(_worker_files.read(names)), run_id, first)


def import_path(path, data_dir, workers=1):
    """Load a bulk file or folder into one run of `data_dir`; returns the run's manifest."""
    files = BulkFiles(path)
    options = {"path": str(files.path)}
    try:
        with RunWriter(data_dir, source="import", options=options) as writer, \
                Progress("import", total=len(files.names)) as progress:
            if workers <= 1:
                for source, url, fetched_at, body in files.read(files.names):
                    writer.add(source, url, fetched_at, body)
                    progress.advance()
            else:
                chunks = [(files.names[i:i + CHUNK_RECORDS], writer.run_id, i + 1)
                          for i in range(0, len(files.names), CHUNK_RECORDS)]
                # fork: workers start at once with the parsers already imported
                with multiprocessing.get_context("fork").Pool(workers, _open_in_worker, (files.path,)) as pool:
                    for batch in pool.imap(_parse_chunk, chunks):
                        writer.add_batch(batch)
                        progress.advance(batch.fetched)
    finally:
        files.close()
    return writer.manifest
