"""The guide cache: one file that lets the app show its first screen without reading a guide.

Parsing and checking a guide costs about a millisecond, so a thousand guides
would cost a second at every start. The cache keeps what the list of guides
shows, column by column (a `Listing`: ids, names, difficulties, times, regions,
search text), for each set of folders the app was started with, and every
guide itself, encoded, to be decoded only when it is opened:

    MAGIC (8 bytes) | header length (8 bytes, little endian) | header | guides | listings and their extras

Start-up reads the small header, then its own listing with one positioned read,
and decodes it: a few lists, no object per guide. A guide is read with one positioned read when it is opened, through a
handle kept open, so a version replaced by another window meanwhile still reads
right. The file is written to a temporary file and renamed over the old one,
so a reader never sees half of a write, and a failed write leaves nothing behind.

Each guide's place in the listing records its file's stamp (size, times and
inode) and the day it was checked, so the catalogue can tell what changed
(walkthrough.catalog.loading). Everything in the header is decoded with the
model's types, so a wrong shape is refused; a guide is checked again before it
is shown (walkthrough.catalog.recheck). A cache that cannot be read (damaged,
foreign, too large, a pipe or a device in its place) is ignored and replaced;
one that cannot be written is skipped. It is a cache: losing it costs time only.
"""

from __future__ import annotations

import contextlib
import os
import struct
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import msgspec
from msgspec import Meta

from walkthrough import __version__
from walkthrough.catalog.outline import Rows
from walkthrough.content.model import DIFFICULTY_WORDS, SharedTemplate
from walkthrough.safe_files import Refused, open_regular, read_at
from walkthrough.safe_text import has_control

if TYPE_CHECKING:
    from walkthrough.content.problems import Problem

FILE_NAME = "guides.cache"
MAGIC = b"OTGC\x00\x00\x00\x07"  # the last byte is the format; a new format is a new number
MAX_HEADER_BYTES = 256 << 20  # some 500,000 guides; a larger header is not ours
MAX_GUIDE_BYTES = 8 << 20  # a guide file is at most 256 KB; its encoded form is smaller
MAX_LISTINGS = 4  # sets of folders remembered (with and without --guides-dir, say)
TEMP_PREFIX = ".guides."
STALE_TEMP_SECONDS = 3600  # a temporary file this old is left from a write that was killed

Stamp = tuple[int, int, int, int]  # walkthrough.safe_files.stamp
Count = Annotated[int, Meta(ge=0)]
CachedProblem = tuple[Count, Count, Annotated[str, Meta(pattern=r"^[EW][0-9]{3}\Z")], str]
DIFFICULTIES = frozenset(DIFFICULTY_WORDS)
# Where each guide of a listing is: its file's stamp, the day it was checked (date.toordinal()),
# and the offset and length of its encoded guide after the header.
PLACE = struct.Struct("<qqqQqQQ")


class Failed(msgspec.Struct, array_like=True, gc=False):
    """A guide file that did not load, and why."""

    path: str
    stamp: Stamp
    checked_on: int
    problems: list[CachedProblem]


class Listing(msgspec.Struct, array_like=True, gc=False):
    """The guides of one set of folders as the first screen shows them, column by column (see outline.Rows).

    Only what every start needs is here; the rest is in the listing's `Extras`,
    read when first needed. The columns are decoded without per-value checks (a
    pattern check on 5,000 ids costs more than the rest of the catalogue's work
    at start-up): what the list does with them is safe for any text.
    Difficulties are checked as a set; ids against their files' names when a
    guide is opened and when the folders are surveyed; names reach the screen
    as plain text, with control characters made visible.
    """

    ids: list[str]
    names: list[str]
    difficulties: list[str]
    minutes: list[int]
    regions: list[list[str] | None]
    step_counts: list[Annotated[int, Meta(ge=1, le=10_000)]]
    step_regions: dict[int, list[list[str] | None]]  # only guides with steps for some countries
    places: bytes  # PLACE for each guide
    extras: tuple[Count, Count]  # where the listing's Extras are, after the header
    failed: list[Failed]


class Extras(msgspec.Struct, array_like=True, gc=False):
    """The columns of a listing that the first screen does without."""

    paths: list[str]
    aliases: list[list[str]]
    titles: list[str]
    keys: list[str]
    words: list[str]
    facts: list[tuple[str, int]]


class TemplateEntry(msgspec.Struct, array_like=True, gc=False):
    stamp: Stamp
    problems: list[CachedProblem]
    value: SharedTemplate | None


class Header(msgspec.Struct, array_like=True):
    version: str  # the app's version: new rules in a new version check everything again
    letters: str  # the shared letters the guides were checked with (see letters_key)
    templates: dict[str, TemplateEntry]
    # Where each listing is, by folders_key (the last one is the newest): after the header, like the
    # guides, so a start reads only its own listing, however many sets of folders are remembered.
    listings: dict[str, tuple[Count, Count]]


_header_decoder = msgspec.msgpack.Decoder(Header)
_listing_decoder = msgspec.msgpack.Decoder(Listing)
_extras_decoder = msgspec.msgpack.Decoder(Extras)
_encoder = msgspec.msgpack.Encoder()


def letters_key(stamps: list[tuple[str, Stamp | None]]) -> str:
    """What the guides' checks depend on beyond their own file: every shared letter, as it is now."""
    return "|".join(f"{path}:{stamp}" for path, stamp in stamps)


def folders_key(folders: list[Path]) -> str:
    return "\n".join(str(f) for f in folders)


def problems_at(path: Path, cached: list[CachedProblem]) -> list[Problem] | None:
    """The cached problems as Problems, or None if one could not have come from the loader."""
    if not cached:
        return []
    from walkthrough.content.problems import RULES, Problem  # most starts have no problem to show

    out = []
    for line, column, code, message in cached:
        if code not in RULES or has_control(message):
            return None
        out.append(Problem(path, line, column, code, message))
    return out


def plain(problems: list[Problem]) -> list[CachedProblem]:
    return [(p.line, p.column, p.code, p.message) for p in problems]


class Place:
    """Where one guide of a listing is (see PLACE)."""

    __slots__ = ("stamp", "checked_on", "offset", "length")

    def __init__(self, stamp: Stamp, checked_on: int, offset: int, length: int) -> None:
        self.stamp, self.checked_on, self.offset, self.length = stamp, checked_on, offset, length


def places(listing: Listing) -> list[Place]:
    return [Place(p[:4], p[4], p[5], p[6]) for p in PLACE.iter_unpack(listing.places)]


def place(listing: Listing, i: int) -> Place:
    p = PLACE.unpack_from(listing.places, i * PLACE.size)
    return Place(p[:4], p[4], p[5], p[6])


def rows_of(listing: Listing, stored: Stored | None) -> Rows:
    def more() -> dict[str, list]:
        raw = stored.read(*listing.extras, cap=MAX_HEADER_BYTES) if stored is not None else None
        if raw is None:
            return {}
        extras = _extras_decoder.decode(raw)
        return {name: getattr(extras, name) for name in extras.__struct_fields__}

    return Rows(
        listing.ids,
        listing.names,
        listing.difficulties,
        listing.minutes,
        listing.regions,
        listing.step_counts,
        listing.step_regions,
        more,
    )


class Stored:
    """The encoded guides of one version of the cache file, read through a handle kept open."""

    def __init__(self, fd: int, start: int, size: int):
        self.fd, self.start, self.size = fd, start, size

    def read(self, offset: int, length: int, cap: int = MAX_GUIDE_BYTES) -> bytes | None:
        begin = self.start + offset
        if not 0 < length <= cap or begin + length > self.size:
            return None
        try:
            return read_at(self.fd, length, begin)
        except OSError:
            return None

    def __del__(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


# One guide of a listing being written: its encoded form now, or where it is in the current file.
Source = bytes | tuple[Stored, int, int]


class Draft:
    """A listing to write: its columns (as in Listing), and where each guide's encoded form comes from."""

    def __init__(
        self,
        rows: Rows,
        paths: list[str],
        stamps: list[Stamp],
        checked_on: list[int],
        sources: list[Source],
        failed: list[Failed],
    ) -> None:
        self.rows, self.paths, self.stamps, self.checked_on = rows, paths, stamps, checked_on
        self.sources, self.failed = sources, failed


class GuideCache:
    def __init__(self, folder: Path, letters: str):
        self.folder = folder
        self.path = folder / FILE_NAME
        self.letters = letters
        self.templates: dict[str, TemplateEntry] = {}
        self.listings: dict[str, tuple[int, int]] = {}
        self.stored: Stored | None = None
        self.dirty = False
        self._read()

    def _read(self) -> None:
        try:
            fd, st = open_regular(self.path)
        except Refused:
            return
        try:
            head = read_at(fd, 16, 0) if st.st_size >= 16 else b""
            size = int.from_bytes(head[8:], "little") if head[:8] == MAGIC else -1
            if not 0 < size <= min(MAX_HEADER_BYTES, st.st_size - 16):
                raise ValueError("not a cache of this format")
            header = _header_decoder.decode(read_at(fd, size, 16))
        except (OSError, ValueError, msgspec.DecodeError, msgspec.ValidationError):
            os.close(fd)
            return
        if header.version != __version__:
            os.close(fd)
            return
        self.templates = header.templates
        if header.letters == self.letters:
            self.listings = header.listings
        self.stored = Stored(fd, 16 + size, st.st_size)

    def listing(self, key: str) -> Listing | None:
        """The listing for these folders, if there is one and it is whole."""
        where = self.listings.get(key)
        raw = self.stored.read(*where, cap=MAX_HEADER_BYTES) if where and self.stored else None
        if raw is None:
            return None
        try:
            listing = _listing_decoder.decode(raw)
        except (msgspec.DecodeError, msgspec.ValidationError):
            return None
        n = len(listing.ids)
        columns = (listing.names, listing.difficulties, listing.minutes, listing.regions, listing.step_counts)
        if any(len(c) != n for c in columns) or len(listing.places) != n * PLACE.size:
            return None
        if not DIFFICULTIES.issuperset(listing.difficulties):
            return None
        for i, steps in listing.step_regions.items():
            if not 0 <= i < n or len(steps) != listing.step_counts[i]:
                return None
        return listing

    def read(self, offset: int, length: int) -> bytes | None:
        return self.stored.read(offset, length) if self.stored is not None else None

    def template(self, path: str, stamp: Stamp) -> TemplateEntry | None:
        entry = self.templates.get(path)
        return entry if entry is not None and entry.stamp == stamp else None

    def put_template(self, path: str, stamp: Stamp, problems: list[Problem], value: SharedTemplate | None) -> None:
        self.templates[path] = TemplateEntry(stamp, plain(problems), value)
        self.dirty = True

    def drop_template(self, path: str) -> None:
        if self.templates.pop(path, None) is not None:
            self.dirty = True

    # ---- writing -----------------------------------------------------------

    def save(self, key: str, draft: Draft | None) -> None:
        """Write the cache with `draft` as the listing for `key` (the others are kept, up to MAX_LISTINGS)."""
        if draft is None and not self.dirty:
            return
        tmp: str | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._remove_stale_temp_files()
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=TEMP_PREFIX, suffix=".tmp")
            reader = os.open(tmp, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            try:
                with os.fdopen(fd, "wb") as out:
                    header_size, listings = self._write(out, key, draft)
                os.replace(tmp, self.path)
            except BaseException:
                os.close(reader)
                raise
            tmp = None
            self.listings, self.stored = listings, Stored(reader, 16 + header_size, os.fstat(reader).st_size)
            self.dirty = False
        except (OSError, ValueError, msgspec.DecodeError, msgspec.ValidationError):
            pass  # a read-only or full disk only costs speed next time
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def _write(self, out, key: str, draft: Draft | None) -> tuple[int, dict[str, tuple[int, int]]]:
        drafts: dict[str, Draft] = {}
        for other in list(self.listings)[-(MAX_LISTINGS - 1) :]:
            if other != key and (kept := self._draft_of(other)) is not None:
                drafts[other] = kept
        if draft is not None:
            drafts[key] = draft
        elif key in self.listings and (kept := self._draft_of(key)) is not None:
            drafts[key] = kept
        # Each guide is written once, however many listings show it.
        chunks: list[Source] = []
        where: dict[tuple[str, Stamp], tuple[int, int]] = {}
        offset = 0
        encoded: list[bytes] = []  # each listing's extras, then the listing, after the guides
        listings: dict[str, tuple[int, int]] = {}
        for name, d in drafts.items():
            packed = bytearray()
            for i, (path, stamp) in enumerate(zip(d.paths, d.stamps, strict=True)):
                if (path, stamp) not in where:
                    source = d.sources[i]
                    length = len(source) if isinstance(source, bytes) else source[2]
                    where[(path, stamp)] = (offset, length)
                    chunks.append(source)
                    offset += length
                packed += PLACE.pack(*stamp, d.checked_on[i], *where[(path, stamp)])
            rows = d.rows
            extras = _encoder.encode(Extras(d.paths, rows.aliases, rows.titles, rows.keys, rows.words, rows.facts))
            encoded.append(extras)
            listing = Listing(
                rows.ids,
                rows.names,
                rows.difficulties,
                rows.minutes,
                rows.regions,
                rows.step_counts,
                rows.step_regions,
                bytes(packed),
                (offset, len(extras)),
                d.failed,
            )
            offset += len(extras)
            encoded.append(_encoder.encode(listing))
            listings[name] = (offset, len(encoded[-1]))
            offset += len(encoded[-1])
        header = _encoder.encode(Header(__version__, self.letters, self.templates, listings))
        out.write(MAGIC + len(header).to_bytes(8, "little"))
        out.write(header)
        for source in chunks:
            guide = source if isinstance(source, bytes) else source[0].read(source[1], source[2])
            if guide is None:
                raise ValueError("a cached guide could not be read back")  # write nothing rather than a wrong cache
            out.write(guide)
        for part in encoded:
            out.write(part)
        return len(header), listings

    def _draft_of(self, key: str) -> Draft | None:
        listing = self.listing(key)
        if listing is None or self.stored is None:
            return None
        where = places(listing)
        rows = rows_of(listing, self.stored)
        return Draft(
            rows,
            rows.paths,
            [p.stamp for p in where],
            [p.checked_on for p in where],
            [(self.stored, p.offset, p.length) for p in where],
            listing.failed,
        )

    def _remove_stale_temp_files(self) -> None:
        # A write killed half-way (power cut, kill -9) leaves its temporary file; another window
        # may be writing one right now, so only old ones go.
        now = time.time()
        with contextlib.suppress(OSError), os.scandir(self.folder) as entries:
            for e in entries:
                if e.name.startswith(TEMP_PREFIX) and e.name.endswith(".tmp"):
                    with contextlib.suppress(OSError):
                        if now - e.stat(follow_symlinks=False).st_mtime > STALE_TEMP_SECONDS:
                            os.unlink(e.path)
