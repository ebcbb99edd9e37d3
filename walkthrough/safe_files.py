"""Reading a file that anyone could have put in a guide or cache folder: regular files only, with a size cap.

A FIFO named like a guide would make a plain read wait forever, and a link to
/dev/zero (or a huge sparse file) would be read until memory runs out. So the
file is opened without waiting (O_NONBLOCK), looked at through the open handle
(so what is checked is what is read), refused unless it is a regular file no
larger than the cap, and never read beyond the cap plus one byte.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

# The loader's cap on a guide file (walkthrough.content.yamlsafe.MAX_BYTES, which imports the YAML
# parser: the start-up path must not). tests/test_guidecache.py checks that the two agree.
GUIDE_MAX_BYTES = 256 * 1024

_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class Refused(Exception):
    """The file cannot be used; the message says why, in plain words, and `code` is the rule
    (E011: not a regular file, or it cannot be opened; E002: too large)."""

    def __init__(self, message: str, code: str = "E011"):
        super().__init__(message)
        self.message = message
        self.code = code


def open_regular(path: Path) -> tuple[int, os.stat_result]:
    """An open handle on `path` and its status, or Refused if it is not a regular file."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise Refused(cannot_open_words(exc)) from None
    try:
        st = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise Refused(cannot_open_words(exc)) from None
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise Refused(not_regular_words(st.st_mode))
    return fd, st


def not_regular_words(mode: int) -> str:
    kind = (
        "a folder"
        if stat.S_ISDIR(mode)
        else "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    return f"This is {kind}, not a regular file, so it was not read. A guide is a plain text file."


def cannot_open_words(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "This is a link that leads back to itself (a loop), so it was not read. Delete it or point it at a file."
    if exc.errno == errno.ENOENT:
        return "This is a link to a file that does not exist, so it was not read. Delete it or point it at a file."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "You are not allowed to read this file. Check its permissions."
    return f"The file cannot be read ({exc.strerror or exc})."


def read_at(fd: int, length: int, offset: int) -> bytes:
    """Exactly `length` bytes from `offset`, or OSError if the file is shorter."""
    parts = []
    while length > 0:
        chunk = os.pread(fd, min(length, 1 << 20), offset)
        if not chunk:
            raise OSError("the file ended early")
        parts.append(chunk)
        length -= len(chunk)
        offset += len(chunk)
    return b"".join(parts)


def read_regular(path: Path, cap: int = GUIDE_MAX_BYTES) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most `cap` bytes, and its status; Refused otherwise."""
    fd, st = open_regular(path)
    try:
        if st.st_size > cap:
            raise Refused(f"The file is {st.st_size // 1024} KB; a guide may be at most {cap // 1024} KB.", "E002")
        chunks, left = [], cap + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise Refused(cannot_open_words(exc)) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > cap:  # it grew after it was looked at
        raise Refused(f"The file is over {cap // 1024} KB; a guide may be at most {cap // 1024} KB.", "E002")
    return data, st


def stamp(st: os.stat_result) -> tuple[int, int, int, int]:
    """What says a file is unchanged: its size, modification and change times, and inode.

    The change time moves with chmod too, so a file made readable again is read again.
    """
    return (st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino)
