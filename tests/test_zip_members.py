"""The importer's own reading of a zip's central directory (etl/zip_members.py) against zipfile's,
on the shipped and shared zips and on the archives it reads differently: Zip64 (the registry's
download has over 65,535 members), a member's Zip64 extra field, bytes before the archive."""
import struct
import zipfile

import pytest

from conftest import REPO
from trials.etl.bulk import BulkFiles
from trials.etl.zip_members import _read_directory, zip_members


def zipfile_members(path):
    with zipfile.ZipFile(path) as archive:
        return {info.filename: (info.compress_type, info.flag_bits, info.CRC, info.compress_size, info.header_offset)
                for info in archive.infolist()}


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
    assert _read_directory(REPO / name) is not None  # read here, not handed to zipfile
    assert zip_members(REPO / name) == zipfile_members(REPO / name)


def test_registry_download_reads_as_zipfile_reads_it(shared_data):
    path = shared_data / "ctg-studies.json.zip"
    assert zip_members(path) == zipfile_members(path)
    assert bulk_bodies(path) == zipfile_bodies(path)


def test_zip64_directory_of_more_than_65535_members(tmp_path):
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(0x10000 + 5):
            archive.writestr(f"NCT{n:08d}.json", b"{}" if n % 2 else f"{n}".encode())
    with open(path, "rb") as file:
        assert b"PK\x06\x06" in file.read()[-200:]  # a Zip64 end record
    assert _read_directory(path) is not None
    members = zip_members(path)
    assert len(members) == 0x10000 + 5 and members == zipfile_members(path)


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
    assert _read_directory(path) is not None
    assert zip_members(path) == zipfile_members(path)
    assert bulk_bodies(path) == zipfile_bodies(plain)


def test_a_comment_bytes_before_the_archive_and_other_compression_methods(tmp_path):
    """A comment is read past; an archive behind a self-extractor's stub goes to zipfile, and so do
    members compressed other than stored or deflated."""
    plain, path = tmp_path / "plain.zip", tmp_path / "prefixed.zip"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.comment = b"an archive comment follows the end record"
        archive.writestr("stored.json", b'{"stored": 1}', zipfile.ZIP_STORED)
        archive.writestr("deflated.json", b'{"deflated": 1}' * 50, zipfile.ZIP_DEFLATED)
        archive.writestr("bzip2.json", b'{"bzip2": 1}' * 50, zipfile.ZIP_BZIP2)
        archive.writestr("lzma.xml", b"<clinical_study/>" * 50, zipfile.ZIP_LZMA)
    path.write_bytes(b"#!/bin/sh\nexit 0\n" + plain.read_bytes())  # a self-extractor's stub
    assert _read_directory(plain) is not None and _read_directory(path) is None
    assert zip_members(path) == zipfile_members(path)
    for archive in (plain, path):
        assert bulk_bodies(archive) == zipfile_bodies(plain)
