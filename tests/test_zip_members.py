"""The importer's reading of zip members (etl/bulk.py) against zipfile's, on the shipped and shared
zips and on odd archives: Zip64 (the registry's download has over 65,535 members), a member's Zip64
extra field, bytes before the archive, other compression methods; and zip bombs, refused past
MAX_MEMBER_BYTES with the good members kept."""
import struct
import subprocess
import sys
import zipfile
import zlib

import pytest
from isal import isal_zlib

from conftest import REPO, query, run_trials
from trials.etl.bulk import MAX_MEMBER_BYTES, QUARANTINED_BYTES, BulkFiles


def zipfile_bodies(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def bulk_bodies(path):
    files = BulkFiles(path)
    try:
        return {url.rpartition("!/")[2]: body for _, url, _, body in files.read(files.names)}
    finally:
        files.close()


@pytest.mark.parametrize("name", ["samples/ctgov_v2_studies.zip", "samples/ctgov_xml_studies.zip"])
def test_shipped_zips_read_as_zipfile_reads_them(name):
    assert bulk_bodies(REPO / name) == zipfile_bodies(REPO / name)


def test_registry_download_reads_as_zipfile_reads_it(shared_data):
    path = shared_data / "ctg-studies.json.zip"
    assert bulk_bodies(path) == zipfile_bodies(path)


def test_zip64_directory_of_more_than_65535_members(tmp_path):
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(0x10000 + 5):
            archive.writestr(f"NCT{n:08d}.json", b"{}" if n % 2 else f"{n}".encode())
    with open(path, "rb") as file:
        assert b"PK\x06\x06" in file.read()[-200:]  # a Zip64 end record
    files = BulkFiles(path)
    try:
        with zipfile.ZipFile(path) as archive:
            assert files.names == archive.namelist() and len(files.names) == 0x10000 + 5
            some = files.names[::997] + files.names[-3:]
            assert [body for *_, body in files.read(some)] == [archive.read(name) for name in some]
    finally:
        files.close()


def test_member_offsets_in_zip64_extra_fields(tmp_path):
    """Past 4 GiB a member's offset is in its Zip64 extra field; written here for small members."""
    plain, path = tmp_path / "plain.zip", tmp_path / "zip64.zip"
    with zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(3):
            archive.writestr(f"NCT0000000{n}.json", b'{"n": %d}' % n * 100)
            archive.writestr(f"folder/NCT1000000{n}.xml", b"<clinical_study/>")
    data = plain.read_bytes()
    end = data.rindex(b"PK\x05\x06")
    count, _, start = struct.unpack_from("<HLL", data, end + 10)
    entries, at = [], start
    for _ in range(count):  # each entry with its offset unset and the Zip64 extra field holding it
        name_length, extra_length, comment_length = struct.unpack_from("<3H", data, at + 28)
        entry = bytearray(data[at:at + 46 + name_length])
        offset = struct.unpack_from("<L", entry, 42)[0]
        struct.pack_into("<H", entry, 30, extra_length + 12)
        struct.pack_into("<L", entry, 42, 0xFFFFFFFF)
        extra = data[at + 46 + name_length:at + 46 + name_length + extra_length]
        entries.append(bytes(entry) + struct.pack("<2HQ", 1, 8, offset) + extra)
        at += 46 + name_length + extra_length + comment_length
    directory = b"".join(entries)
    path.write_bytes(data[:start] + directory + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count,
                                                            len(directory), start, 0))
    assert bulk_bodies(path) == zipfile_bodies(plain)


def test_a_comment_bytes_before_the_archive_and_other_compression_methods(tmp_path):
    """A comment is read past, an archive behind a self-extractor's stub is read, and so are members
    compressed other than stored or deflated."""
    plain, path = tmp_path / "plain.zip", tmp_path / "prefixed.zip"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.comment = b"an archive comment follows the end record"
        archive.writestr("stored.json", b'{"stored": 1}', zipfile.ZIP_STORED)
        archive.writestr("deflated.json", b'{"deflated": 1}' * 50, zipfile.ZIP_DEFLATED)
        archive.writestr("bzip2.json", b'{"bzip2": 1}' * 50, zipfile.ZIP_BZIP2)
        archive.writestr("lzma.xml", b"<clinical_study/>" * 50, zipfile.ZIP_LZMA)
    path.write_bytes(b"#!/bin/sh\nexit 0\n" + plain.read_bytes())  # a self-extractor's stub
    for archive in (plain, path):
        assert bulk_bodies(archive) == zipfile_bodies(plain)


def write_zip(path, members):
    """A zip written byte by byte from (name, raw deflate stream or None for stored, body CRC, size
    the directory states, stored bytes): what zipfile would take minutes to compress, or refuses."""
    local, directory = b"", b""
    for name, deflated, crc, size, data in members:
        method = zipfile.ZIP_DEFLATED if deflated else zipfile.ZIP_STORED
        fields = struct.pack("<5H3L2H", 20, 0, method, 0, 0x21, crc, len(data), size, len(name), 0)
        directory += (b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<3H2L", 0, 0, 0, 0, len(local))
                      + name.encode())
        local += b"PK\x03\x04" + fields + name.encode() + data
    path.write_bytes(local + directory + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members),
                                                     len(directory), len(local), 0))


def zeros_bomb(gib):
    """A raw deflate stream of `gib` GiB of zeros (~1 MiB a GiB) and its CRC-32, made without deflating
    them all: a full flush resets the compressor, so each 16 MiB block compresses to the same bytes."""
    chunk = bytes(16 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(gib * 64):
        crc = isal_zlib.crc32(chunk, crc)
    return block * (gib * 64) + compressor.flush(), crc


def test_a_zip_bomb_member_is_quarantined_without_filling_memory_and_the_rest_imported(tmp_path, sample_studies):
    """2 MiB inflating to 2 GiB, once with its true size in the directory and once with 1 KiB forged
    there; beside them a member whose compressed size is forged past the end of the zip."""
    bomb, crc = zeros_bomb(2)
    good = list(sample_studies.items())[:3]
    members = [(f"{nct_id}.json", None, zlib.crc32(body), len(body), body) for nct_id, body in good]
    members[1] = (members[1][0], True, *members[1][2:4], zlib.compress(good[1][1], wbits=-15))
    members += [("NCT09999998.json", True, crc, 2 << 30, bomb), ("NCT09999999.json", True, crc, 1024, bomb)]
    path = tmp_path / "bomb.zip"
    write_zip(path, members)
    data = bytearray(path.read_bytes())  # the deflated good member's compressed size: past the zip's end
    entry = data.rindex(members[1][0].encode()) - 46
    struct.pack_into("<L", data, entry + 20, 0xFFFFFFF0)
    path.write_bytes(data)
    assert path.stat().st_size < 6 << 20

    out = run_trials("import", path, "--data", tmp_path / "data", "--workers", "2").stdout
    assert "fetched 5, new 3, changed 0, unchanged 0, quarantined 2" in out
    run_trials("build", "--data", tmp_path / "data")
    assert query(tmp_path / "data", "select nct_id from trials order by 1") == sorted((n,) for n, _ in good)
    rows = query(tmp_path / "data", "select url, stage, reason, length(payload) from quarantine order by url")
    assert [url.rpartition("!/")[2] for url, *_ in rows] == ["NCT09999998.json", "NCT09999999.json"]
    for _, stage, reason, payload_length in rows:
        assert stage == "read" and f"inflates to more than {MAX_MEMBER_BYTES >> 20} MiB" in reason
        assert payload_length == QUARANTINED_BYTES  # what was read of it, up to that


def test_reading_a_zip_bomb_member_holds_at_most_the_limit(tmp_path):
    bomb, crc = zeros_bomb(2)
    path = tmp_path / "bomb.zip"
    write_zip(path, [("NCT09999999.json", True, crc, 1024, bomb)])
    # The peak is the child's own: Linux keeps a process's peak RSS through fork and exec (a large
    # pytest process would count), so the child resets it first (clear_refs 5) and reads VmHWM.
    peak = subprocess.run([sys.executable, "-c", f"""
import re
from pathlib import Path
Path("/proc/self/clear_refs").write_text("5")
from trials.etl.bulk import BulkFiles
files = BulkFiles({str(path)!r})
(_, _, _, body), = files.read(files.names)
peak_kib = int(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1))
print(type(body).__name__, peak_kib // 1024)
"""], capture_output=True, text=True, check=True).stdout.split()
    assert peak[0] == "Unreadable" and int(peak[1]) < 2 * (MAX_MEMBER_BYTES >> 20) + 300, peak  # MiB, not 2 GiB
