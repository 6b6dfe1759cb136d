"""Reads bulk files: a zip (the registry's `ctg-studies.json.zip`, the retired `AllPublicXML.zip` of
legacy XML in nested folders) or a folder of per-study files.

Reads (source, url, body) for the store; the file's extension says which parser reads it. With
`workers`, processes parse chunks of the files into Arrow batches and the store, in this process,
only compares and writes them, so the run stays one atomic run whatever the number of workers.
A file that cannot be read (a zip member that does not inflate, fails its CRC, is encrypted or
inflates past MAX_MEMBER_BYTES) is quarantined with what could be read of it, and the run goes on.

The run's as-of date (the date its data describes) is the one the user gives, or else the newest
`last_update_posted` among the file's records: a bulk download holds no date of its own.
"""
import lzma
import multiprocessing
import os
import signal
import struct
import zipfile
import zlib
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from isal import isal_zlib

from trials.etl.progress import Progress
from trials.etl.batch import parse_batch
from trials.etl.exports import export_records, export_source
from trials.etl.record import Unreadable
from trials.etl.store import RunWriter, utc_now

SOURCES_BY_SUFFIX = {".json": "ctgov_bulk", ".xml": "ctgov_xml"}
# Records parsed as one batch. Deriving a batch's tables (etl/document_sql.py) costs ~0.2 s of SQL
# planning whatever its size: batches of 4,000 rather than 1,000 make a v2 JSON import a fifth faster
# (measured), for ~0.45 GB more peak memory a worker (~1 GB in all).
CHUNK_RECORDS = 4000
# A study's file is a few MiB at the most; a member that inflates past this is refused, so a zip bomb
# costs this much memory per worker, and the quarantine keeps the first QUARANTINED_BYTES of it.
MAX_MEMBER_BYTES = 256 << 20
QUARANTINED_BYTES = 64 << 10


class BulkError(ValueError):
    """The path is not something `trials import` can read."""


# What zipfile raises for a member it cannot read: data corrupt or cut short (bzip2: OSError), a
# compression method it lacks, or encryption (RuntimeError: no password).
_ZIPFILE_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, NotImplementedError, RuntimeError)


def _source(name):
    return SOURCES_BY_SUFFIX.get(name[name.rfind("."):].lower()) if "." in name else None


class BulkFiles:
    """The study files of a folder or zip: their names, and their bytes read by name.

    zipfile reads the zip's directory and every member not stored or deflated; stored and deflated
    members, nearly all of a registry download, are read here with `os.pread` (forked `--workers`
    share the open file, and pread moves no position they would share) and inflated by ISA-L."""

    def __init__(self, path):
        self.path = Path(path).resolve()
        self.file = self.archive = None
        if self.path.is_dir():
            self.names = [str(f) for f in sorted(self.path.rglob("*")) if f.is_file() and _source(f.name)]
        elif zipfile.is_zipfile(self.path):
            with zipfile.ZipFile(self.path) as archive:
                self.members = {info.filename: info for info in archive.infolist()}
            self.file = open(self.path, "rb")
            self.size = os.fstat(self.file.fileno()).st_size
            self.names = [name for name in self.members if _source(name)]
        elif self.path.is_file() and _source(self.path.name):
            self.names = [str(self.path)]  # one study file, NCT….json or NCT….xml
        elif self.path.exists():
            raise BulkError(f"{path} is neither a folder, a zip file nor a study file (.json, .xml)")
        else:
            raise BulkError(f"{path} does not exist")
        self.uri = self.path.as_uri()

    def read(self, names):
        """(source, url, fetched_at, body) of each named file, as the store takes them; the body of a
        file that cannot be read is an Unreadable, which the store quarantines."""
        for name in names:
            url = f"{self.uri}!/{name}" if self.file else Path(name).as_uri()
            try:
                body = self._member(name) if self.file else _file(name)
            except Unreadable as unreadable:
                body = unreadable
            yield _source(name), url, utc_now(), body

    def _member(self, name):
        """A zip member's bytes, at most MAX_MEMBER_BYTES of them: a member that inflates past that
        (a zip bomb, or a size forged in the directory) is unreadable, not read into memory whole."""
        info = self.members[name]
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
            try:  # compressed otherwise, or encrypted
                with self._own_archive().open(name) as member:
                    return _within_limit(name, member.read(MAX_MEMBER_BYTES + 1))
            except _ZIPFILE_ERRORS as exc:
                raise Unreadable("read", f"zip member {name!r} cannot be read: {type(exc).__name__}: {exc}") from None
        fd = self.file.fileno()
        header = os.pread(fd, zipfile.sizeFileHeader, info.header_offset)
        if header[:4] != zipfile.stringFileHeader:
            raise Unreadable("read", f"zip member {name!r}: no local file header at byte {info.header_offset}")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        start = info.header_offset + zipfile.sizeFileHeader + name_length + extra_length
        # (the directory's size of it, unless that is forged to reach past the end of the zip)
        stored = body = os.pread(fd, min(info.compress_size, max(0, self.size - start)), start)
        # ISA-L inflates twice as fast as zlib (and checks the CRC five times as fast): with zipfile's
        # own reader, the 1-worker import of the registry's deflated download takes a sixth longer.
        if info.compress_type == zipfile.ZIP_DEFLATED:
            inflater = isal_zlib.decompressobj(-isal_zlib.MAX_WBITS)
            try:
                body = _within_limit(name, inflater.decompress(stored, MAX_MEMBER_BYTES + 1))
            except isal_zlib.error as exc:
                raise Unreadable("read", f"zip member {name!r} does not inflate: {exc}", stored) from None
            if not inflater.eof:
                raise Unreadable("read", f"zip member {name!r} does not inflate: its deflate stream is cut short", stored)
        if (found := isal_zlib.crc32(body)) != info.CRC:
            raise Unreadable("read", f"zip member {name!r} is corrupt: CRC-32 {found:08x}, "
                                 f"the zip's directory says {info.CRC:08x}", body)
        return body

    def _own_archive(self):
        """zipfile's own reader seeks the file: each process opens the zip for itself, once."""
        if self.archive is None or self.archive_pid != os.getpid():
            self.archive, self.archive_pid = zipfile.ZipFile(self.path), os.getpid()
        return self.archive

    def close(self):
        for file in (self.file, self.archive):
            if file:
                file.close()


def _within_limit(name, body):
    if len(body) > MAX_MEMBER_BYTES:
        raise Unreadable("read", f"zip member {name!r} inflates to more than {MAX_MEMBER_BYTES >> 20} MiB "
                             f"(a zip bomb, or sizes forged in its directory): not read past that",
                             body[:QUARANTINED_BYTES])
    return body


def _file(path):
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise Unreadable("read", f"cannot read {path}: {exc.strerror or exc}") from None


_worker_files = None


def _open_in_worker(files):
    global _worker_files
    _worker_files = files  # inherited through fork, not pickled
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle, once


def _pool(workers, files):
    """Processes that parse chunks (fork: they start at once with the parsers already imported).

    Ctrl-C waits until they are started: a KeyboardInterrupt inside a fork leaves a pool that never ends."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        return multiprocessing.get_context("fork").Pool(workers, _open_in_worker, (files,))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _parse_chunk(chunk):
    """Parse a chunk in a worker; its tables go back through Arrow files in `spool`, read by the
    store memory-mapped: pickling them through the pool's pipe cost the store a sixth of its time."""
    names, run_id, first, spool = chunk
    batch = parse_batch(list(_worker_files.read(names)), run_id, first)
    paths = {}
    for table, rows in batch.tables.items():
        paths[table] = os.path.join(spool, f"{first}.{table}.arrow")
        with pa.OSFile(paths[table], "wb") as file, pa.ipc.new_file(file, rows.schema) as writer:
            writer.write_table(rows)
    batch.tables = paths
    return batch


def _unspooled(batch):
    """A batch from `_parse_chunk` with its tables read back (memory-mapped) and their files removed."""
    paths, batch.tables = batch.tables, {}
    for table, path in paths.items():
        with pa.memory_map(path) as file:
            batch.tables[table] = pa.ipc.open_file(file).read_all()
        os.unlink(path)  # the mapping outlives the name
    return batch


def _newest_update(batch, newest):
    """The later of `newest` (an ISO date or None) and the batch's newest last_update_posted."""
    trials = batch.tables.get("trials")
    found = pc.max(trials.column("last_update_posted")).as_py() if trials is not None and trials.num_rows else None
    return max(filter(None, [newest, found.isoformat() if found else None]), default=None)


def _import_export(path, data_dir, source, as_of):
    """A registry's export file (etl/exports.py), cut into its records, as one run."""
    records = export_records(path, source)
    options = {"path": str(Path(path).resolve()), "format": source}
    with RunWriter(data_dir, source="import", options=options, as_of=as_of) as writer, \
            Progress("import", total=len(records)) as progress:
        for i in range(0, len(records), CHUNK_RECORDS):
            raw = records[i:i + CHUNK_RECORDS]
            writer.add_batch(parse_batch(raw, writer.run_id, writer.next_record))
            progress.advance(len(raw))
    return writer.manifest


def import_path(path, data_dir, workers=1, as_of=None):
    """Load a bulk file or folder into one run of `data_dir`; returns the run's manifest. A registry's
    export file goes to its own reader. `as_of`: the date (YYYY-MM-DD) the file's data describes, when
    the user knows it."""
    if source := export_source(path):
        return _import_export(path, data_dir, source, as_of)
    files = BulkFiles(path)
    options = {"path": str(files.path)}
    newest = None
    try:
        with RunWriter(data_dir, source="import", options=options, as_of=as_of) as writer, \
                Progress("import", total=len(files.names)) as progress:
            chunks = [files.names[i:i + CHUNK_RECORDS] for i in range(0, len(files.names), CHUNK_RECORDS)]
            if workers <= 1:
                for names in chunks:
                    raw = []
                    for record in files.read(names):
                        raw.append(record)
                        progress.advance()
                    batch = parse_batch(raw, writer.run_id, writer.next_record)
                    newest = _newest_update(batch, newest)
                    writer.add_batch(batch)
            else:
                with _pool(workers, files) as pool:
                    # The spool is in the run's folder, so a killed import leaves nothing outside DIR
                    # and the next run removes it with the rest of the abandoned run.
                    spool = writer.run_dir / "spool"
                    spool.mkdir()
                    first = [1 + i * CHUNK_RECORDS for i in range(len(chunks))]
                    for batch in pool.imap(_parse_chunk, [(names, writer.run_id, at, str(spool))
                                                          for names, at in zip(chunks, first)]):
                        batch = _unspooled(batch)
                        newest = _newest_update(batch, newest)
                        writer.add_batch(batch)
                        progress.advance(batch.fetched)
                spool.rmdir()
            writer.manifest["as_of"] = as_of or newest
    finally:
        files.close()
    return writer.manifest
