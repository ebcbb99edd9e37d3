"""A cache of parsed guides, so the app starts fast with a thousand of them.

Parsing and checking a guide costs about a millisecond; decoding it from this
cache costs about twenty microseconds. An entry is used only while its file's
size and modification time are unchanged, and the whole cache is dropped when
the package version, the shared templates or the day change (a guide's checks
depend on all three). A cache that cannot be read is ignored and rebuilt; one
that cannot be written is skipped. It is a cache: losing it loses nothing.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path

import msgspec

from walkthrough import __version__
from walkthrough.content.model import Guide, SharedTemplate
from walkthrough.content.problems import Problem

FILE_NAME = "guides.cache"


class Entry(msgspec.Struct, array_like=True):
    mtime_ns: int
    size: int
    problems: list[tuple[int, int, str, str]]  # line, column, code, message

    def problems_at(self, path: Path) -> list[Problem]:
        return [Problem(path, line, column, code, message) for line, column, code, message in self.problems]


class GuideEntry(Entry, array_like=True):
    value: Guide | None


class TemplateEntry(Entry, array_like=True):
    value: SharedTemplate | None


class CacheFile(msgspec.Struct):
    key: str
    guides: dict[str, GuideEntry]
    templates: dict[str, TemplateEntry]


_decoder = msgspec.msgpack.Decoder(CacheFile)
_encoder = msgspec.msgpack.Encoder()


def make_key(template_files: list[Path], today: datetime.date) -> str:
    parts = [__version__, today.isoformat()]
    for path in template_files:
        try:
            st = path.stat()
        except OSError:
            continue
        parts.append(f"{path}:{st.st_mtime_ns}:{st.st_size}")
    return "|".join(parts)


class GuideCache:
    def __init__(self, folder: Path, key: str):
        self.path = folder / FILE_NAME
        self.key = key
        self.tables: dict[str, dict] = {"guides": {}, "templates": {}}
        self.dirty = False
        try:
            cached = _decoder.decode(self.path.read_bytes())
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            return
        if cached.key == key:
            self.tables = {"guides": cached.guides, "templates": cached.templates}

    def get(self, path: Path, st: os.stat_result, table: str) -> Entry | None:
        entry = self.tables[table].get(str(path))
        if entry and entry.mtime_ns == st.st_mtime_ns and entry.size == st.st_size:
            return entry
        return None

    def put(self, path: Path, st: os.stat_result, table: str, value, problems: list[Problem]) -> None:
        kind = GuideEntry if table == "guides" else TemplateEntry
        plain = [(p.line, p.column, p.code, p.message) for p in problems]
        self.tables[table][str(path)] = kind(st.st_mtime_ns, st.st_size, plain, value)
        self.dirty = True

    def forget_missing(self, seen: set[str]) -> None:
        for entries in self.tables.values():
            stale = set(entries) - seen
            for key in stale:
                del entries[key]
            self.dirty = self.dirty or bool(stale)

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".guides.", suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                out.write(_encoder.encode(CacheFile(self.key, self.tables["guides"], self.tables["templates"])))
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only or full disk only costs speed next time
