"""The guide archive: built the same way every time, and read entirely in memory with every check first.

A release archive is a gzip'd tar of plain files: guide files at the top
(`linkedin.yaml`) and shared letters under `templates/`. Nothing else is
accepted when reading one: no `..`, no absolute paths, no links or devices, no
other folders, no two files for one guide, no file over the guide size cap,
and nothing that is not in the signed manifest with the same SHA-256. Reading
never touches the disk, so a bad archive leaves nothing behind.

Building sorts the names and fixes every time stamp, owner and mode, so the
same guides always give the same bytes (and the same SHA-256).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import tarfile
import zlib
from pathlib import Path

from walkthrough.safe_text import visible

MAX_ARCHIVE_BYTES = 16 * 1024 * 1024  # compressed; today's guides are well under 1 MB
MAX_TOTAL_BYTES = 64 * 1024 * 1024  # unpacked
MAX_FILES = 5000
TEMPLATES = "templates"
_NAME = r"[a-z0-9]+(?:-[a-z0-9]+)*\.ya?ml"
ENTRY = re.compile(rf"^(?:{TEMPLATES}/)?{_NAME}$")


class ArchiveError(Exception):
    """The archive cannot be used; plain words, naming the entry when there is one."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def max_file_bytes() -> int:
    from walkthrough.content.yamlsafe import MAX_BYTES

    return MAX_BYTES


def _entry_id(name: str) -> str:
    """`templates/x.yml` and `templates/x.yaml` are the same letter: one of them would silently win."""
    return name.removesuffix(".yaml").removesuffix(".yml")


# ---- building -----------------------------------------------------------------


def collect(folder: Path) -> dict[str, bytes]:
    """Every guide and shared letter in `folder`, by archive name, read with the size cap."""
    from walkthrough.catalog.folders import guide_files, template_files

    files: dict[str, bytes] = {}
    cap = max_file_bytes()
    for path in [*guide_files(folder), *template_files(folder)]:
        name = path.name if path.parent == folder else f"{TEMPLATES}/{path.name}"
        if not ENTRY.match(name):
            raise ArchiveError(
                f"{visible(path)} cannot go into a release: a guide's file name is lowercase letters, "
                "digits and hyphens, ending in .yaml."
            )
        with path.open("rb") as f:
            data = f.read(cap + 1)
        if len(data) > cap:
            raise ArchiveError(f"{visible(path)} is over the {cap // 1024} KB a guide file may be.")
        files[name] = data
    check_names(files)
    return files


def build(files: dict[str, bytes]) -> bytes:
    """A deterministic .tar.gz of `files`: sorted names, time stamps at 0, no owner, mode 644."""
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size = len(files[name])
            info.mtime = 0
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.type = tarfile.REGTYPE
            tar.addfile(info, io.BytesIO(files[name]))
    out = io.BytesIO()
    # filename="" and mtime=0: gzip's header would otherwise hold a name and the time of the build.
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as gz:
        gz.write(tar_bytes.getvalue())
    return out.getvalue()


def check_names(files: dict[str, bytes]) -> None:
    ids: dict[str, str] = {}
    for name in files:
        if not ENTRY.match(name):
            raise ArchiveError(f"'{visible(name)}' is not a guide or shared letter file name.")
        other = ids.setdefault(_entry_id(name), name)
        if other != name:
            raise ArchiveError(f"'{visible(other)}' and '{visible(name)}' are two files for the same guide.")


# ---- reading ------------------------------------------------------------------


def _why_not(member: tarfile.TarInfo) -> str | None:
    """Why this entry may not be in a guide archive, or None if it may."""
    name = member.name
    if member.issym() or member.islnk():
        return "a link"
    if member.isdir():
        return None if name.rstrip("/") == TEMPLATES else "a folder other than templates/"
    if member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
        return "not a plain file"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\\" in name:
        return "an absolute path"
    if ".." in name.split("/"):
        return "a path outside the guides folder (..)"
    if "/" in name and not name.startswith(f"{TEMPLATES}/"):
        return "in a folder other than templates/"
    if not ENTRY.match(name):
        return "not a guide or shared letter file name"
    return None


def read(data: bytes) -> dict[str, bytes]:
    """Every file in the archive, by name, after checking each entry; raises ArchiveError."""
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ArchiveError(f"The archive is over the size cap ({MAX_ARCHIVE_BYTES // (1024 * 1024)} MB).")
    if data[:2] != b"\x1f\x8b":
        raise ArchiveError("The archive is not a .tar.gz file.")
    cap, total = max_file_bytes(), 0
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            while (member := tar.next()) is not None:
                if len(files) >= MAX_FILES:
                    raise ArchiveError(f"The archive holds more than {MAX_FILES} files.")
                why = _why_not(member)
                if why is not None:
                    raise ArchiveError(f"The archive holds an entry that is {why}: '{visible(member.name)}'.")
                if member.isdir():
                    continue
                if member.size > cap:
                    raise ArchiveError(
                        f"'{visible(member.name)}' in the archive is over the {cap // 1024} KB a guide file may be."
                    )
                total += member.size
                if total > MAX_TOTAL_BYTES:
                    raise ArchiveError("The archive unpacks to far more than any real set of guides.")
                if member.name in files:
                    raise ArchiveError(f"The archive holds '{visible(member.name)}' twice.")
                handle = tar.extractfile(member)
                content = handle.read() if handle is not None else b""
                if len(content) != member.size:
                    raise ArchiveError("The archive is cut short.")
                files[member.name] = content
    except (tarfile.TarError, EOFError, zlib.error, OSError):
        raise ArchiveError("The archive is damaged or cut short: it cannot be unpacked.") from None
    check_names(files)
    return files


def check_against(files: dict[str, bytes], listed: dict[str, str]) -> None:
    """The archive holds exactly the files the signed manifest lists, each with its SHA-256."""
    extra = sorted(set(files) - set(listed))
    missing = sorted(set(listed) - set(files))
    if extra:
        raise ArchiveError(f"The archive holds a file its signed list does not: '{visible(extra[0])}'.")
    if missing:
        raise ArchiveError(f"The archive lacks a file its signed list names: '{visible(missing[0])}'.")
    for name in sorted(files):
        if sha256(files[name]) != listed[name]:
            raise ArchiveError(f"'{visible(name)}' in the archive differs from its signed SHA-256.")
