"""Renames that survive a power cut, for the commits of runs and builds.

A rename is atomic, but only durable once the renamed file's data and the directory holding the new
name have reached the disk: without the fsyncs a power cut can leave the new name pointing at an
empty file. `replace` syncs the file (or a folder's files) before the rename and the directory after.
"""
import errno
import json
import os
from pathlib import Path


def fsync(path):
    """Flush a file's or a directory's entry list to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        # Some file systems cannot sync a directory (EINVAL); they order their renames themselves.
        if exc.errno != errno.EINVAL or not os.path.isdir(path):
            raise
    finally:
        os.close(fd)


def fsync_tree(folder):
    """Every file and directory under `folder`, then `folder` itself."""
    for root, dirs, names in os.walk(folder, topdown=False):
        for name in names:
            fsync(os.path.join(root, name))
        fsync(root)


def replace(tmp, target):
    """os.replace(tmp, target), durable: tmp's content (a file or a folder) first, the new name after."""
    tmp, target = Path(tmp), Path(target)
    fsync_tree(tmp) if tmp.is_dir() else fsync(tmp)
    os.replace(tmp, target)
    fsync(target.parent)


def write_json(path, value):
    """Write by a durable rename: a reader sees the old file or the new one, never half of one."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(value, indent=2) + "\n")
    replace(tmp, path)
