"""The guide sets on disk: the bundled set's label, the downloaded sets, and the pointer that picks one.

    <data>/guide-sets/
        in-use.json            the pointer: which downloaded set is current, which came before
        45-1f2e3d4c/           one whole set: guides, templates/, manifest.json(.minisig)
        44-9a8b7c6d/           the previous set, kept for `update --revert`
        .staging-.../          a set being written (never pointed at until it is complete)
        .lock                  one `optout-tui update` at a time

A new set is written into a staging folder, read back and compared with the
signed hashes, renamed to its final name, and only then made current by one
atomic rename of a new pointer file over the old one. Whatever happens before
that rename, the set in use is untouched; after it, the new set is complete.
A running app has its guides in memory, and the set it read stays on disk as
the previous one, so an update never pulls guides from under it.

This module is read at every start (the pointer and the bundled label), so it
imports nothing heavy; what only writing needs is imported there.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import msgspec

POINTER = "in-use.json"
BUNDLED_LABEL = "release.json"  # in guides/: the bundled set's serial and date
LOCK = ".lock"
STAGING_PREFIX = ".staging-"
_SET_NAME = re.compile(r"^[0-9]{1,16}-[0-9a-f]{8}$")
_MAX_SMALL_FILE = 64 * 1024


class SetsError(Exception):
    """The guide folders cannot be changed; plain words."""


class SetInfo(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A downloaded set as the pointer names it."""

    folder: str
    serial: int
    date: datetime.date
    key: str  # the id (hex) of the key that signed it: a set whose key is no longer trusted is not used


class Pointer(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    format: int = 1
    current: SetInfo | None = None  # None: the bundled guides (after reverting to them)
    previous: SetInfo | None = None


class BundledLabel(msgspec.Struct, frozen=True):
    """guides/release.json: which release the bundled guides are (format, serial, date, min_app_version)."""

    serial: int = 0
    date: datetime.date | None = None
    min_app_version: str = "0"
    format: int = 1


class PointerState(msgspec.Struct, frozen=True):
    pointer: Pointer | None  # None: no pointer, or one that could not be read
    damaged: bool = False


def _read_small(path: Path) -> bytes | None:
    try:
        with path.open("rb") as f:
            data = f.read(_MAX_SMALL_FILE + 1)
    except OSError:
        return None
    return data if len(data) <= _MAX_SMALL_FILE else None


def read_bundled_label(bundled_dir: Path) -> BundledLabel:
    """The bundled set's serial and date; serial 0 when the label is missing or unreadable."""
    raw = _read_small(bundled_dir / BUNDLED_LABEL)
    if raw is None:
        return BundledLabel()
    try:
        return msgspec.json.decode(raw, type=BundledLabel)
    except msgspec.DecodeError:
        return BundledLabel()


def read_pointer(sets_dir: Path) -> PointerState:
    path = sets_dir / POINTER
    if not path.exists():
        return PointerState(None)
    raw = _read_small(path)
    try:
        pointer = msgspec.json.decode(raw, type=Pointer) if raw is not None else None
    except msgspec.DecodeError:
        pointer = None
    if pointer is None or any(
        s is not None and not _SET_NAME.match(s.folder) for s in (pointer.current, pointer.previous)
    ):
        # A folder name with a separator or `..` would point outside guide-sets/: never follow it.
        return PointerState(None, damaged=True)
    return PointerState(pointer)


def set_folder(sets_dir: Path, info: SetInfo) -> Path:
    return sets_dir / info.folder


# ---- changing sets (only `optout-tui update`) ----------------------------------


@contextlib.contextmanager
def locked(sets_dir: Path) -> Iterator[None]:
    """Hold the update lock; a second `optout-tui update` at the same time is told to wait."""
    try:
        sets_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(sets_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise SetsError(f"The guide folder {sets_dir} cannot be written ({exc.strerror}).") from None
    try:
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise SetsError("Another `optout-tui update` is running. Try again when it has finished.") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":
        return  # Windows cannot open a folder to flush it; its renames are journalled
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes) -> None:
    with path.open("xb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def write_set(sets_dir: Path, serial: int, files: dict[str, bytes], extra: dict[str, bytes]) -> str:
    """Write a complete set beside the others and return its folder name; nothing points at it yet.

    `files` are the guides and templates (already checked); `extra` the manifest and
    signature, kept with the set as the record of what was installed.
    """
    import shutil

    token = os.urandom(4).hex()
    staging = sets_dir / f"{STAGING_PREFIX}{token}"
    final = sets_dir / f"{serial}-{token}"
    try:
        staging.mkdir()
        (staging / "templates").mkdir()
        for name, data in {**files, **extra}.items():
            _write_file(staging / name, data)
        _fsync_dir(staging / "templates")
        _fsync_dir(staging)
        # Read back what is on disk: a full disk or a failing one must not become the set in use.
        for name, data in files.items():
            if (staging / name).read_bytes() != data:
                raise SetsError("The guides written to disk read back differently. Is the disk full or failing?")
        os.rename(staging, final)
        _fsync_dir(sets_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SetsError(f"The new guides could not be written to {sets_dir} ({exc.strerror}).") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final.name


def switch(sets_dir: Path, pointer: Pointer) -> None:
    """Make `pointer` the one in use: one atomic rename, after its bytes are safely on disk."""
    tmp = sets_dir / f".{POINTER}.{os.urandom(4).hex()}"
    try:
        _write_file(tmp, msgspec.json.encode(pointer) + b"\n")
        os.replace(tmp, sets_dir / POINTER)
        _fsync_dir(sets_dir)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise SetsError(f"The guides in use could not be switched in {sets_dir} ({exc.strerror}).") from None


def tidy(sets_dir: Path, pointer: Pointer) -> None:
    """Remove sets neither current nor previous, and staging left by an update that was stopped.

    Called with the lock held, after the switch: never touches what the pointer names.
    """
    import shutil

    keep = {s.folder for s in (pointer.current, pointer.previous) if s is not None}
    try:
        entries = list(os.scandir(sets_dir))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name in keep or not entry.is_dir(follow_symlinks=False):
            continue
        if _SET_NAME.match(name) or name.startswith(STAGING_PREFIX):
            shutil.rmtree(entry.path, ignore_errors=True)
