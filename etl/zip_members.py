"""A zip's central directory read at once: zipfile builds a ZipInfo object per member (~8 µs each,
0.7 s of a 100,000-study import before the first study is read); this reads what the importer needs
from the directory's bytes with one struct unpack per member.

Zip64 is read too: the registry's download has over 65,535 members, so its directory's place and
count are in the Zip64 end record. Archives this does not read go to zipfile: bytes before the
archive (a self-extractor), a name with a NUL.
"""
import struct
import zipfile

_END = struct.Struct("<4s4H2LH")  # the end of central directory record
_ZIP64_LOCATOR = 20  # bytes right before it in a Zip64 archive, after the Zip64 end record
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")
# A central directory entry (the fields read here), then its name, extra field and comment.
_ENTRY = struct.Struct("<4s4x2H4x3L3H8xL")
_EXTRA = struct.Struct("<2H")  # an extra field's id and size; id 1 holds the Zip64 values
_UNSET = 0xFFFFFFFF  # a size or offset whose value is in the Zip64 extra field
_MAX_COMMENT = 0xFFFF
_UTF8_NAME = 0x800  # flag bit: the name is UTF-8 (otherwise cp437, as zipfile reads it)


def zip_members(path):
    """Name -> (compress type, flag bits, CRC-32, compressed size, local header offset) of each file
    in the zip at `path`, in directory order (a repeated name: its last member, as zipfile reads it).
    Plain tuples: a named tuple per member would double the time."""
    members = _read_directory(path)
    if members is None:
        with zipfile.ZipFile(path) as archive:
            members = {info.filename: (info.compress_type, info.flag_bits, info.CRC, info.compress_size,
                                       info.header_offset) for info in archive.infolist()}
    return members


def _read_directory(path):
    with open(path, "rb") as file:
        tail_start = max(0, file.seek(0, 2) - _END.size - _MAX_COMMENT)
        file.seek(tail_start)
        tail = file.read()
        at = len(tail) - _END.size  # an archive without a comment, else the last record's signature
        if tail[at:at + 4] != b"PK\x05\x06" or tail[-2:] != b"\0\0":
            at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + _END.size > len(tail):
            raise zipfile.BadZipFile(f"{path}: no end of central directory")
        _, _, _, _, count, directory_size, directory_at, _ = _END.unpack_from(tail, at)
        directory_end = tail_start + at
        zip64_end = at - _ZIP64_LOCATOR - _ZIP64_END.size  # (where zipfile looks for it too)
        if zip64_end >= 0 and tail[at - _ZIP64_LOCATOR:at - _ZIP64_LOCATOR + 4] == b"PK\x06\x07":
            signature, _, _, _, _, _, _, count, directory_size, directory_at = _ZIP64_END.unpack_from(tail, zip64_end)
            if signature != b"PK\x06\x06":
                raise zipfile.BadZipFile(f"{path}: no Zip64 end of central directory before its locator")
            directory_end = tail_start + zip64_end
        if directory_at + directory_size != directory_end:
            return None
        file.seek(directory_at)
        directory = file.read(directory_size)
    members = {}
    offset = 0
    for _ in range(count):
        if offset + _ENTRY.size > len(directory):
            raise zipfile.BadZipFile(f"{path}: the central directory ends before its {count} entries")
        (signature, flags, method, crc, compressed, size, name_length, extra_length, comment_length,
         header_at) = _ENTRY.unpack_from(directory, offset)
        if signature != b"PK\x01\x02":
            raise zipfile.BadZipFile(f"{path}: bad central directory entry at byte {directory_at + offset}")
        offset += _ENTRY.size
        name = directory[offset:offset + name_length]
        # (An ASCII name reads the same in cp437, and Python's cp437 codec is ten times slower.)
        name = name.decode("utf-8" if flags & _UTF8_NAME or name.isascii() else "cp437")
        if "\0" in name:
            return None
        offset += name_length
        if _UNSET in (compressed, size, header_at):
            compressed, header_at = _zip64_values(directory[offset:offset + extra_length], size, compressed, header_at)
        offset += extra_length + comment_length
        members[name] = method, flags, crc, compressed, header_at
    return members


def _zip64_values(extra, *values):
    """(compressed size, header offset) of a member whose 32-bit ones are unset: the Zip64 extra field
    holds, in this order, the 64-bit values of those of (size, compressed size, offset) that are."""
    at = 0
    while at + _EXTRA.size <= len(extra):
        kind, length = _EXTRA.unpack_from(extra, at)
        if kind == 1:
            unset = values.count(_UNSET)
            wide = iter(struct.unpack_from(f"<{unset}Q", extra, at + _EXTRA.size))
            _, compressed, header_at = (next(wide) if value == _UNSET else value for value in values)
            return compressed, header_at
        at += _EXTRA.size + length
    raise zipfile.BadZipFile("a member's size or offset is unset and it has no Zip64 extra field")
