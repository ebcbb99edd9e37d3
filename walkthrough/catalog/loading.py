"""Finding and loading every guide: the bundled ones and any extra folders.

A guide in an extra folder with the same id as a bundled one replaces it, so a
contributor can try an edit before opening a pull request. One bad file never
stops the others from loading: it becomes a Problem and is left out.

With a cache (the app, `list`, `show`), nothing is decoded before it is needed,
so start-up does not grow with the number of guides. The catalogue starts from
the cache's listing for these folders (what the list of guides shows, see
outline.Rows), then surveys the folders (each file's stamp) and parses only
the files that changed. A whole guide is decoded, and checked again
(recheck.py), when someone asks for it: `catalog.guides[id]`.

The app shows its first screen from the listing alone (`load_catalog(defer=True)`)
and surveys after it: `survey` and `unchanged` on a worker thread, and when
something changed, `apply` on the app's. When many files must be parsed (the
first start after an install), the first few by id are parsed before the first
screen and the rest after it (`pending`, `parse` on a worker thread, `take`).
A guide opened before all that is checked against its file there and then.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING

from walkthrough.catalog.folders import guide_files, missing, template_files
from walkthrough.catalog.outline import Outline, Rows, outline_of
from walkthrough.catalog.sources import GuideSet, base_folder, set_in_use
from walkthrough.content.guidefile import LoadedGuide, Origin, guide_id
from walkthrough.content.model import Guide, SharedTemplate
from walkthrough.paths import extra_guide_dirs
from walkthrough.safe_files import Refused, read_regular, stamp

if TYPE_CHECKING:
    from walkthrough.catalog.cache import Draft, GuideCache, Listing, Place, Source, Stamp
    from walkthrough.content.problems import Problem

# With defer=True, this many changed files are parsed before the app's first screen, the first by
# id (an edit or two: all of them, a few milliseconds); the rest (an install, an update) after it.
PARSE_BEFORE_FIRST_SCREEN = 8


class _Slot:
    """A guide that is not (or no longer) as the cache's listing has it: parsed this time, or still to parse."""

    # Plain classes here, not dataclasses: making a dataclass costs about a millisecond at import.
    __slots__ = ("path", "stamp", "outline", "loaded", "encoded", "previous")

    def __init__(
        self,
        path: Path,
        stamp: Stamp | None = None,
        outline: Outline | None = None,
        loaded: LoadedGuide | None = None,
        previous: _Slot | int | None = None,
    ) -> None:
        self.path = path
        self.stamp = stamp
        self.outline = outline
        self.loaded = loaded
        self.encoded: bytes | None = None  # for the cache
        self.previous = previous  # what shows if this one, still to parse, fails: a slot or a listing row

    @property
    def pending(self) -> bool:
        return self.loaded is None


class GuideShelf(MutableMapping[str, LoadedGuide]):
    """The catalogue's guides by id; each is decoded (and checked again) the first time it is asked for.

    `id in shelf` and `shelf.get(id)` decode that one guide; `items()` and
    `values()` decode them all (the CLI's reports). A guide that fails its
    checks on the way is read from its file again; if that fails too, the
    catalogue reports it and it is not there. The list of guides reads `rows()`,
    which decodes nothing.
    """

    def __init__(self) -> None:
        self._listing: Listing | None = None  # from the cache: the guides as they were last time
        self._base: Rows | None = None
        self._row: dict[str, int] = {}
        self._changes: dict[str, _Slot | None] = {}  # guides not as the listing has them; None: gone
        self._decoded: dict[str, LoadedGuide] = {}
        self._rows: Rows | None = None
        self._open: Callable[[str], LoadedGuide | None] | None = None

    def __getitem__(self, gid: str) -> LoadedGuide:
        if gid in self._changes:
            slot = self._changes[gid]
            if slot is None:
                raise KeyError(gid)
            loaded = slot.loaded
        else:
            if gid not in self._row:
                raise KeyError(gid)
            loaded = self._decoded.get(gid)
        if loaded is None and self._open is not None:
            loaded = self._open(gid)
        if loaded is None:
            raise KeyError(gid)
        return loaded

    def __setitem__(self, gid: str, loaded: LoadedGuide) -> None:
        self.place(gid, _Slot(loaded.path, loaded=loaded))

    def __delitem__(self, gid: str) -> None:
        if gid not in self._row and gid not in self._changes:
            raise KeyError(gid)
        self.place(gid, None)

    def __iter__(self) -> Iterator[str]:
        base = [gid for gid in self._base.ids if gid not in self._changes] if self._base is not None else []
        return iter(base + [gid for gid, slot in self._changes.items() if slot is not None])

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, gid: object) -> bool:
        return isinstance(gid, str) and self.get(gid) is not None

    def items(self):
        return [(gid, g) for gid in list(self) if (g := self.get(gid)) is not None]

    def values(self):
        return [g for _, g in self.items()]

    # ---- what the catalogue uses ---------------------------------------------------

    def start_from(self, listing: Listing, rows: Rows) -> None:
        self._listing, self._base = listing, rows
        self._row = dict(zip(listing.ids, range(len(listing.ids)), strict=True))
        self._rows = None

    def place(self, gid: str, slot: _Slot | None) -> None:
        """Put a changed guide in (None: the guide is gone)."""
        if slot is None and gid not in self._row:
            self._changes.pop(gid, None)
        else:
            self._changes[gid] = slot
        self._decoded.pop(gid, None)
        self._rows = None

    def hold(self, winners: dict[str, _Slot | int], *, only: bool = False) -> bool:
        """Make the shelf hold exactly `winners` (a listing row: as the listing has it), or with
        `only`, just change those. Returns whether anything changed."""
        changed = False
        if not only:
            for gid in [g for g in self if g not in winners]:
                self.place(gid, None)
                changed = True
        for gid, what in winners.items():
            if isinstance(what, int):
                if gid in self._changes and self._row.get(gid) == what:
                    del self._changes[gid]
                    self._decoded.pop(gid, None)
                    self._rows = None
                    changed = True
            elif self._changes.get(gid) is not what:
                self.place(gid, what)
                changed = True
        return changed

    def changed(self, gid: str) -> _Slot | None:
        return self._changes.get(gid)

    def row(self, gid: str) -> int | None:
        """The guide's row in the cache's listing, if it is still as the listing has it."""
        return None if gid in self._changes else self._row.get(gid)

    def path_of(self, gid: str) -> Path | None:
        """The file a guide comes from, without decoding it."""
        slot = self._changes.get(gid)
        if slot is not None:
            return slot.path
        i = self.row(gid)
        return Path(self._base.paths[i]) if i is not None and self._base is not None else None

    def remember(self, gid: str, loaded: LoadedGuide) -> None:
        self._decoded[gid] = loaded

    def rows(self) -> Rows:
        """Every guide ready to show, column by column, without decoding any guide."""
        if self._rows is None:
            if not self._changes and self._base is not None:
                self._rows = self._base
            else:
                outlines = []
                if self._base is not None:
                    base = self._base
                    outlines = [(gid, base.outline(i)) for i, gid in enumerate(base.ids) if gid not in self._changes]
                for gid, slot in self._changes.items():
                    if slot is not None and slot.loaded is not None:
                        if slot.outline is None:
                            slot.outline = outline_of(gid, slot.loaded.guide)
                        outlines.append((gid, slot.outline))
                # In order of name, as the cache's listing is: the list shows this order as it is.
                outlines.sort(key=lambda pair: pair[1].name.casefold())
                self._rows = Rows.of(outlines)
        return self._rows

    def pending(self) -> list[tuple[str, Path]]:
        """The guides whose files are still to be parsed, by id."""
        return sorted((gid, slot.path) for gid, slot in self._changes.items() if slot is not None and slot.pending)


class Survey:
    """What is in the folders now: every guide file and its stamp (None: it could not be looked at),
    and the folders or entries that could not be read (E010, named)."""

    def __init__(self, files: list[tuple[Path, Stamp | None]], problems: list[Problem] | None = None) -> None:
        self.files = files
        self.problems = problems or []


class Catalog:
    def __init__(
        self,
        guides: GuideShelf | None = None,
        templates: dict[str, SharedTemplate] | None = None,
        problems: list[Problem] | None = None,
        failed: list[Path] | None = None,
        missing_dirs: list[Path] | None = None,
        folders: list[Path] | None = None,
    ) -> None:
        self.guides = guides if guides is not None else GuideShelf()
        self.templates = templates if templates is not None else {}
        self.problems = problems if problems is not None else []
        self.failed = failed if failed is not None else []  # files left out because of an error
        self.missing_dirs = missing_dirs if missing_dirs is not None else []
        self.folders = folders if folders is not None else []
        self.surveyed = True  # False until the folders were looked at (load_catalog(defer=True))
        self.letter_origins: dict[str, Origin] = {}  # shared letters from another folder than optout-tui's
        self.guide_set: GuideSet | None = None  # optout-tui's own set this catalogue loaded (None: left out)
        self._files: _Files | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def folder_problems(self) -> list[Problem]:
        """Folders (or entries in them) that could not be read at all (E010)."""
        return [p for p in self.problems if p.code == "E010"]

    def origins(self) -> dict[str, Origin]:
        """Guide id -> where it came from, for every guide not from optout-tui's own folder. Decodes none."""
        if self._files is None:
            return {}
        out = {}
        for gid in self.guides:
            path = self.guides.path_of(gid)
            origin = self._files.origin(gid, path) if path is not None else None
            if origin is not None:
                out[gid] = origin
        return out

    def replacements(self) -> list[str]:
        """Ids of guides from another folder that replace one of optout-tui's own, by id.

        Looks only at the ids optout-tui has guides for, so it costs the same with 5,000 guides."""
        files = self._files
        if files is None or files.base is None:
            return []
        out = []
        for name in files.base_files():
            gid = guide_id(Path(name))
            path = self.guides.path_of(gid) if name.endswith((".yaml", ".yml")) else None
            if path is not None and not files.is_ours(path.parent):
                out.append(gid)
        return sorted(set(out))

    def check_names(self) -> None:
        """Compare every guide's name with the others' now (W308, W309), replacing what was found before."""
        self.problems = [p for p in self.problems if p.code not in ("W308", "W309")] + self.name_warnings()

    def sorted_guides(self) -> list[LoadedGuide]:
        return sorted(self.guides.values(), key=lambda g: g.guide.name.lower())

    def rows(self) -> Rows:
        """Every guide ready to show, as the list of guides reads them (see outline.Rows)."""
        return self.guides.rows()

    def summaries(self) -> list[dict]:
        """What `optout-tui list` shows of every guide, by name, from the rows (no guide is decoded)."""
        rows = self.rows()
        facts = rows.facts
        origins = self.origins()
        out = []
        for i, gid in enumerate(rows.ids):
            steps = rows.step_counts[i]
            out.append(
                {
                    "id": gid,
                    "name": rows.names[i],
                    "title": rows.titles[i],
                    "difficulty": rows.difficulties[i],
                    "minutes": rows.minutes[i],
                    "regions": rows.regions[i],
                    "last_verified": facts[i][0],
                    "recheck_days": facts[i][1],
                    "steps": steps,
                    "path": str(self.guides.path_of(gid)),
                    # Set when the guide comes from a folder other than optout-tui's own, and what it replaces there.
                    "from_folder": str(origins[gid].folder) if gid in origins else None,
                    "replaces": str(origins[gid].replaces) if gid in origins and origins[gid].replaces else None,
                }
            )
        return out

    def closest(self, wanted: str, n: int = 3) -> list[str]:
        from walkthrough.catalog.lookup import suggestions

        return [gid for gid, _ in suggestions(self.guides, wanted, n)]

    def name_warnings(self) -> list[Problem]:
        """W308 for two guides whose names are the same or look the same; W309 for a name that mixes
        alphabets. From the rows: no guide is decoded for it."""
        from walkthrough.content.names import mixed_scripts, skeleton
        from walkthrough.content.problems import Problem

        rows = self.rows()
        files = self._files
        out: list[Problem] = []
        entries = []
        for gid, name in zip(rows.ids, rows.names, strict=True):
            path = self.guides.path_of(gid) or Path(f"{gid}.yaml")
            other = files is not None and not files.is_ours(path.parent)
            entries.append((other, gid, name, path))
        seen: dict[str, tuple[str, str, Path]] = {}
        for _, gid, name, path in sorted(entries):  # optout-tui's own first: the other one is the look-alike
            if mixed_scripts(name):
                out.append(
                    Problem(
                        path,
                        0,
                        0,
                        "W309",
                        f"The name `{name}` mixes letters from different alphabets (such as a Cyrillic letter among "
                        "Latin ones), so it can pass for another name. Write it in one alphabet.",
                    )
                )
            first = seen.setdefault(skeleton(name), (gid, name, path))
            if first[0] != gid:
                same = "the same name" if first[1] == name else "a name that looks the same"
                out.append(
                    Problem(
                        path,
                        0,
                        0,
                        "W308",
                        f"The guides `{first[0]}` ({first[2]}) and `{gid}` have {same}: `{first[1]}` "
                        f"and `{name}`. People pick a guide by its name; give each platform its own.",
                    )
                )
        return out

    # ---- after the first screen ---------------------------------------------------

    def survey(self) -> Survey:
        """Look at every guide file's stamp. Changes nothing, so it can run on another thread."""
        files: list[tuple[Path, Stamp | None]] = []
        problems: list[Problem] = []
        for folder in self.folders:
            for path in guide_files(folder, problems):
                try:
                    files.append((path, stamp(os.stat(path))))
                except OSError:
                    files.append((path, None))
        return Survey(files, problems)

    def unchanged(self, survey: Survey) -> bool:
        """Whether the folders are just as the cache's listing says: nothing new, gone or edited.

        Changes nothing, so it runs on the survey's thread: after most starts this is
        all there is to do, and the app's own thread is left alone.
        """
        from walkthrough.catalog.cache import PLACE

        listing = self.guides._listing
        if listing is None or self.guides._changes or self._files is None:
            return False
        day = self._files.today.toordinal()
        paths = self.guides._base.paths if self.guides._base is not None else []
        listed = {path: place for path, place in zip(paths, PLACE.iter_unpack(listing.places), strict=True)}
        failed = {f.path: f for f in listing.failed}
        winners = dict(zip(listing.ids, paths, strict=True))
        rank = {str(folder): n for n, folder in enumerate(self.folders)}
        seen = 0
        for path, st in survey.files:
            key = str(path)
            if key in listed:
                place = listed[key]
                if st != place[:4] or place[4] > day:
                    return False
                seen += 1
            elif key in failed:
                f = failed[key]
                if st != tuple(f.stamp) or f.checked_on != day:
                    return False
                seen += 1
            else:
                # Only a file a later folder's guide replaces may be missing from the listing.
                winner = winners.get(guide_id(path))
                if winner is None or rank.get(str(Path(winner).parent), -1) <= rank.get(str(path.parent), -1):
                    return False
        return seen == len(listed) + len(failed)

    def mark_surveyed(self) -> None:
        self.surveyed = True

    def apply(self, survey: Survey, *, defer: bool = False) -> bool:
        """Bring the catalogue in line with the folders; returns whether the list of guides changed."""
        assert self._files is not None
        changed = self._files.apply(self, survey, defer=defer)
        self.surveyed = True
        return changed

    def pending(self) -> list[tuple[str, Path]]:
        return self.guides.pending()

    def parse(self, path: Path) -> _Parsed:
        """Parse and check one guide file. Changes nothing, so it can run on another thread."""
        assert self._files is not None
        return self._files.parse(path, self.templates, style=False)

    def take(self, gid: str, parsed: _Parsed) -> None:
        """Put a guide parsed by `parse` in its place; the cache is written once the last one is in."""
        slot = self.guides.changed(gid)
        if slot is None or not slot.pending or slot.path != parsed.path or self._files is None:
            return  # opened (and so parsed) meanwhile, or replaced
        self._files.settle(self, gid, slot, parsed)
        if not self.pending():
            # Names are compared once every guide is in: before, the look-alike of a guide
            # still unread could not be seen.
            self.check_names()
            self._files.save(self)

    def save(self) -> None:
        """Write the cache now (guides still pending are left out: they are read next time)."""
        if self._files is not None:
            self._files.save(self)

    def parse_pending(self) -> None:
        """Parse every file left pending, here and now (the CLI, tests)."""
        for gid, path in self.pending():
            self.take(gid, self.parse(path))


class _Parsed:
    """A guide file, parsed and checked: the guide if it loaded, and what the cache keeps of it."""

    def __init__(self, path: Path, guide: Guide | None, problems: list[Problem], stamp: Stamp | None = None) -> None:
        self.path = path
        self.guide = guide
        self.problems = problems
        self.stamp = stamp  # None: the file could not be read, so nothing is cached
        self.outline: Outline | None = None
        self.encoded: bytes | None = None


class _Files:
    """Reads guide and template files, through the cache when there is one.

    The loader (and with it the YAML parser and the linter) is imported only
    when a file really has to be parsed, so a start with a warm cache skips it.
    """

    def __init__(
        self,
        cache: GuideCache | None = None,
        today: datetime.date | None = None,
        key: str = "",
        base: Path | None = None,
    ):
        self.cache = cache
        self.base = base  # optout-tui's own guides (bundled or a signed set), when they are loaded
        self.today = today or datetime.date.today()
        self.key = key  # the folders, as the cache's listing is named
        self.template_problems: list[Problem] = []
        self.template_failed: list[Path] = []
        self.failures: dict[str, list[Problem]] = {}  # guide files that did not load, for the cache
        self.dirty = False
        self.stored = cache.stored if cache is not None else None  # where the listing's guides are
        # Asked once per folder, not once per guide: with thousands of guides in a few folders,
        # a stat or two per guide was most of the time before the first screen.
        self._ours: dict[Path, bool] = {}
        self._base_files: set[str] | None = None

    def base_files(self) -> set[str]:
        """The names of the files in optout-tui's own guides folder (read once)."""
        if self._base_files is None:
            self._base_files = set()
            if self.base is not None:
                with contextlib.suppress(OSError):  # an unreadable folder replaces nothing
                    self._base_files = {entry.name for entry in os.scandir(self.base) if entry.is_file()}
        return self._base_files

    def is_ours(self, folder: Path) -> bool:
        """Whether `folder` is optout-tui's own guides folder (bundled, or the signed set in use)."""
        if self.base is None:
            return True
        if folder not in self._ours:
            self._ours[folder] = _same_folder(folder, self.base)
        return self._ours[folder]

    def origin(self, gid: str, path: Path) -> Origin | None:
        """Where a guide came from when that is not optout-tui's own folder (and what it replaces)."""
        if self.base is None or self.is_ours(path.parent):
            return None
        names = self.base_files()
        twin = next((self.base / f"{gid}{s}" for s in (".yaml", ".yml") if f"{gid}{s}" in names), None)
        # Absolute: the folder is said to people, for whom "guides" names nothing.
        return Origin(Path(os.path.abspath(path.parent)), twin)

    def loaded(self, gid: str, path: Path, guide: Guide) -> LoadedGuide:
        return LoadedGuide(gid, path, guide, self.origin(gid, path))

    # ---- shared letters -------------------------------------------------------------

    def template(self, path: Path) -> tuple[SharedTemplate | None, list[Problem]]:
        if self.cache is not None:
            from walkthrough.catalog.cache import problems_at
            from walkthrough.catalog.recheck import template_problems

            try:
                entry = self.cache.template(str(path), stamp(os.stat(path)))
            except OSError:
                entry = None
            problems = problems_at(path, entry.problems) if entry is not None else None
            if entry is not None and problems is not None and not _unusable(entry.value, template_problems):
                return entry.value, problems
        try:
            _, st = read_regular(path)  # a pipe or a huge file is refused before the loader reads it
        except Refused as exc:
            if self.cache is not None:
                self.cache.drop_template(str(path))  # not cached: it may be readable next time
            return None, [_problem(path, exc.code, exc.message)]
        from walkthrough.content.loader import load_template

        result = load_template(path)
        if self.cache is not None:
            self.cache.put_template(str(path), stamp(st), result.problems, result.value)
        return result.value, result.problems

    # ---- guides ---------------------------------------------------------------------

    def guide(
        self, path: Path, templates: dict[str, SharedTemplate], *, style: bool, today: datetime.date | None
    ) -> tuple[_Slot | None, list[Problem]]:
        parsed = self.parse(path, templates, style=style, today=today)
        if parsed.guide is None:
            return None, parsed.problems
        slot = _Slot(path, parsed.stamp, parsed.outline, self.loaded(guide_id(path), path, parsed.guide))
        slot.encoded = parsed.encoded
        return slot, parsed.problems

    def parse(
        self, path: Path, templates: dict[str, SharedTemplate], *, style: bool, today: datetime.date | None = None
    ) -> _Parsed:
        try:
            raw, st = read_regular(path)
        except Refused as exc:
            return _Parsed(path, None, [_problem(path, exc.code, exc.message)])
        from walkthrough.content.loader import load_guide

        result = load_guide(path, templates, style=style, today=today or self.today, raw=raw)
        parsed = _Parsed(path, result.value, result.problems, stamp(st))
        if result.value is not None and self.cache is not None and not style:
            import msgspec

            parsed.outline = outline_of(guide_id(path), result.value)
            parsed.encoded = msgspec.msgpack.encode(result.value)
        return parsed

    def apply(self, catalog: Catalog, survey: Survey, *, defer: bool) -> bool:
        """See Catalog.apply."""
        shelf = catalog.guides
        listing = shelf._listing
        from walkthrough.catalog.cache import place, problems_at

        base_paths = shelf._base.paths if shelf._base is not None else []
        row_of_path = {p: i for i, p in enumerate(base_paths)} if listing is not None else {}
        failed_before = {f.path: f for f in listing.failed} if listing is not None else {}
        day = self.today.toordinal()

        # What each file is now: a listing row (unchanged), a slot (parsed earlier in this run),
        # the problems of a file that failed the same way today, or None: it must be parsed.
        known: list[tuple[Path, int | _Slot | list[Problem] | None]] = []
        for path, st in survey.files:
            key = str(path)
            gid = guide_id(path)
            current = shelf.changed(gid)
            i = row_of_path.get(key)
            if st is not None and i is not None and listing is not None and listing.ids[i] == gid:
                where = place(listing, i)
                if where.stamp == st and where.checked_on <= day:
                    known.append((path, i))
                    continue
            if st is not None and key in failed_before:
                f = failed_before[key]
                cached = problems_at(path, f.problems)
                if f.stamp == st and f.checked_on == day and cached is not None:
                    known.append((path, cached))
                    continue
            if current is not None and current.path == path and st is not None and current.stamp == st:
                known.append((path, current))
                continue
            known.append((path, None))

        # Parsed now: everything, or with defer, the first few by id (the top of the list, so the
        # first screen is not empty after an install); the rest are left pending.
        unknown = sorted((path for path, what in known if what is None), key=guide_id)
        now = set(unknown) if not defer else set(unknown[:PARSE_BEFORE_FIRST_SCREEN])
        winners: dict[str, _Slot | int] = {}
        problems: list[Problem] = []
        failed: list[Path] = []
        for path, what in known:
            gid = guide_id(path)
            if isinstance(what, list):
                problems += what
                failed.append(path)
                self.failures[str(path)] = what
                continue
            if what is None and path in now:
                parsed = self.parse(path, catalog.templates, style=False)
                self._store(parsed)
                problems += parsed.problems
                if parsed.guide is None:
                    failed.append(path)
                    continue
                what = _Slot(path, parsed.stamp, parsed.outline, self.loaded(gid, path, parsed.guide))
                what.encoded = parsed.encoded
            elif what is None:
                what = _Slot(path, previous=winners.get(gid))
            winners[gid] = what

        before = set(shelf)
        changed = shelf.hold(winners)
        catalog.failed = self.template_failed + failed
        changed = changed or before != set(shelf)
        catalog.problems = self.template_problems + survey.problems + problems + catalog.name_warnings()
        if changed or self.dirty or failed != list(map(Path, failed_before)):
            self.save(catalog)  # guides still pending are left out, and saved when they are read
        return changed

    def _store(self, parsed: _Parsed) -> None:
        self.dirty = True
        if parsed.stamp is not None and parsed.guide is None:
            self.failures[str(parsed.path)] = parsed.problems

    def settle(self, catalog: Catalog, gid: str, slot: _Slot, parsed: _Parsed) -> None:
        """Put a pending (or re-read) guide's result in its place."""
        self._store(parsed)
        catalog.problems += parsed.problems
        if parsed.guide is None:
            catalog.failed.append(slot.path)
            previous = slot.previous
            if isinstance(previous, int):
                catalog.guides.hold({gid: previous}, only=True)
            else:
                catalog.guides.place(gid, previous)
            return
        slot.loaded = self.loaded(gid, slot.path, parsed.guide)
        slot.outline = parsed.outline or outline_of(gid, parsed.guide)
        slot.stamp, slot.encoded, slot.previous = parsed.stamp, parsed.encoded, None
        catalog.guides.place(gid, slot)

    def save(self, catalog: Catalog) -> None:
        if self.cache is None:
            return
        self.cache.save(self.key, self._draft(catalog))
        self.dirty = False

    def _draft(self, catalog: Catalog) -> Draft | None:
        from walkthrough.catalog.cache import Draft, Failed, place, plain

        shelf = catalog.guides
        listing = shelf._listing
        ids: list[str] = []
        outlines: list[tuple[str, Outline]] = []
        paths: list[str] = []
        stamps: list[Stamp] = []
        days: list[int] = []
        sources: list[Source] = []
        base = shelf._base
        day = self.today.toordinal()
        for gid in shelf:
            i = shelf.row(gid)
            if i is not None and listing is not None and base is not None and self.stored is not None:
                where = place(listing, i)
                outline = base.outline(i)
                paths.append(base.paths[i])
                stamps.append(where.stamp)
                days.append(where.checked_on)
                sources.append((self.stored, where.offset, where.length))
            else:
                slot = shelf.changed(gid)
                if slot is None or slot.loaded is None or slot.stamp is None or not slot.encoded:
                    continue
                outline = slot.outline or outline_of(gid, slot.loaded.guide)
                paths.append(str(slot.path))
                stamps.append(slot.stamp)
                days.append(day)
                sources.append(slot.encoded)
            ids.append(gid)
            outlines.append((gid, outline))
        order = sorted(range(len(ids)), key=lambda k: outlines[k][1].name.casefold())
        failed = []
        for path in catalog.failed:
            problems = self.failures.get(str(path))
            try:
                st = stamp(os.stat(path))
            except OSError:
                continue
            if problems is not None:
                failed.append(Failed(str(path), st, day, plain(problems)))
        return Draft(
            Rows.of([outlines[k] for k in order]),
            [paths[k] for k in order],
            [stamps[k] for k in order],
            [days[k] for k in order],
            [sources[k] for k in order],
            failed,
        )

    # ---- decoding a guide when it is first asked for --------------------------------

    def open(self, catalog: Catalog, gid: str) -> LoadedGuide | None:
        shelf = catalog.guides
        slot = shelf.changed(gid)
        if slot is None:
            i = shelf.row(gid)
            if i is None:
                return None
            path = Path(shelf._base.paths[i])  # type: ignore[union-attr]
            if guide_id(path) != gid or path.parent not in catalog.folders:
                # The listing says another file is this guide: it cannot be trusted to say which
                # file is. Look at the folders themselves, then answer from what is there.
                catalog.apply(catalog.survey())
                return shelf.get(gid)
            loaded = self._decode(gid, i, catalog)
            if loaded is not None:
                shelf.remember(gid, loaded)
                return loaded
            # The cached copy did not pass its checks, or the file changed: the file is the truth.
            slot = _Slot(path, previous=None)
            shelf.place(gid, slot)
        if slot.loaded is not None:
            return slot.loaded
        parsed = self.parse(slot.path, catalog.templates, style=False)
        self.settle(catalog, gid, slot, parsed)
        if not catalog.pending() and catalog.surveyed:
            self.save(catalog)
        current = shelf.changed(gid)
        return current.loaded if current is not None else None

    def _decode(self, gid: str, i: int, catalog: Catalog) -> LoadedGuide | None:
        import msgspec

        from walkthrough.catalog.cache import place
        from walkthrough.catalog.recheck import guide_problems

        listing = catalog.guides._listing
        if listing is None or self.stored is None:
            return None
        where: Place = place(listing, i)
        path = Path(catalog.guides._base.paths[i])  # type: ignore[union-attr]
        encoded = self.stored.read(where.offset, where.length)
        if encoded is None:
            return None
        try:
            guide = msgspec.msgpack.decode(encoded, type=Guide)
            raw, st = read_regular(path)
        except (msgspec.DecodeError, msgspec.ValidationError, Refused):
            return None
        if stamp(st) != where.stamp:
            return None  # edited since
        if guide_problems(guide, catalog.templates, self.today, raw.decode("utf-8", "replace")):
            return None
        return self.loaded(gid, path, guide)


def load_templates(
    folders: list[Path],
    catalog: Catalog,
    *,
    report: bool = True,
    files: _Files | None = None,
    origins: bool = False,
) -> None:
    """Shared templates from each folder's templates/; `report=False` only makes them usable.

    With `origins`, a letter from a folder other than optout-tui's own is recorded
    in catalog.letter_origins (and which of its letters it replaces), so every
    place that shows it can say so.
    """
    files = files or _Files()
    # The bundled guides, or the signed set downloaded in their place: the one the catalogue loads.
    base = catalog.guide_set.folder if catalog.guide_set is not None else base_folder()
    for folder in folders:
        other = origins and not _same_folder(folder, base)
        for path in template_files(folder, catalog.problems if report else None):
            template, problems = files.template(path)
            if template is not None:
                name = guide_id(path)
                if other:
                    earlier = catalog.letter_origins.get(name)
                    replaces = earlier.replaces if earlier else _twin(base / "templates", name)
                    catalog.letter_origins[name] = Origin(Path(os.path.abspath(folder)), replaces)
                catalog.templates[name] = template
            if report:
                catalog.problems += problems
                files.template_problems += problems
                if template is None:
                    catalog.failed.append(path)
                    files.template_failed.append(path)


def add_guide(
    catalog: Catalog,
    path: Path,
    *,
    style: bool,
    today: datetime.date | None,
    files: _Files | None = None,
) -> None:
    slot, problems = (files or _Files(today=today)).guide(path, catalog.templates, style=style, today=today)
    catalog.problems += problems
    if slot is not None:
        catalog.guides.place(guide_id(path), slot)
    else:
        catalog.failed.append(path)


def load_catalog(
    cli_dirs: list[str] | None = None,
    *,
    bundled: bool = True,
    style: bool = False,
    today: datetime.date | None = None,
    cache_dir: Path | None = None,
    defer: bool = False,
) -> Catalog:
    """Every guide the user can see: bundled first, extra folders after (and winning).

    With `cache_dir`, parsed guides are kept there between runs (see walkthrough.catalog.cache);
    style checks are never cached, so `style=True` ignores it. With `defer` (the app's first
    screen), the folders are not surveyed when the cache has a listing for them: call
    `survey` and `apply` after the first screen (see the module's docstring).
    """
    guide_set = set_in_use()  # chosen once per load, so guides and letters never come from two sets
    base = guide_set.folder
    folders = ([base] if bundled else []) + extra_guide_dirs(cli_dirs)
    # The shared letters are part of the library, so guides from other folders
    # can use them even when the bundled guides themselves are left out.
    letter_folders = [base] if not bundled else []
    catalog = Catalog(folders=folders)
    catalog.guide_set = guide_set if bundled else None
    catalog.missing_dirs = [f for f in folders if missing(f)]
    today = today or datetime.date.today()
    # With only other folders loaded (tests), nothing is "from another folder" than the rest.
    origin_base = base if bundled else None

    if cache_dir is None or style:
        files = _Files(today=today, base=origin_base)
        catalog._files = files
        load_templates(letter_folders, catalog, report=False, files=files)
        load_templates(folders, catalog, files=files, origins=bundled)
        for folder in folders:
            for path in guide_files(folder, catalog.problems):
                add_guide(catalog, path, style=style, today=today, files=files)
        catalog.problems += catalog.name_warnings()
        return catalog

    from walkthrough.catalog.cache import GuideCache, folders_key, letters_key, rows_of

    letters = [t for f in letter_folders + folders for t in template_files(f)]
    cache = GuideCache(cache_dir, letters_key([(str(t), _stamp_or_none(t)) for t in letters]))
    files = _Files(cache, today, folders_key(folders), base=origin_base)
    catalog._files = files
    catalog.guides._open = lambda gid: files.open(catalog, gid)
    load_templates(letter_folders, catalog, report=False, files=files)
    load_templates(folders, catalog, files=files, origins=bundled)
    files.dirty = cache.dirty

    listing = cache.listing(files.key)
    if listing is not None:
        from walkthrough.catalog.cache import problems_at

        catalog.guides.start_from(listing, rows_of(listing, cache.stored))
        for f in listing.failed:
            problems = problems_at(Path(f.path), f.problems) or []
            catalog.failed.append(Path(f.path))
            catalog.problems += problems
            files.failures[f.path] = problems
        if defer:
            # Names are compared after the first screen (check_names): with thousands of guides
            # it was the one part of a warm start that grew with their number.
            catalog.surveyed = False
            return catalog
    catalog.apply(catalog.survey(), defer=defer)
    return catalog


def _unusable(template: SharedTemplate | None, problems_of) -> bool:
    """Whether a shared letter from the cache fails its checks (a letter that failed to load has none)."""
    return template is not None and bool(problems_of(template))


def _problem(path: Path, code: str, message: str) -> Problem:
    from walkthrough.content.problems import Problem  # a warm start reports none: no need to import it

    return Problem(path, 0, 0, code, message)


def _stamp_or_none(path: Path):
    try:
        return stamp(os.stat(path))
    except OSError:
        return None


def load_paths(paths: list[Path], cli_dirs: list[str] | None = None, *, today: datetime.date | None = None) -> Catalog:
    """Load exactly the given files and folders (for `validate PATH ...`).

    Shared templates come from the bundled and extra folders and from the
    given folders, so a guide that uses one can be checked on its own. A guide
    or letter given here with a twin among optout-tui's own is said to replace it
    (which it does when used with --guides-dir).
    """
    catalog = Catalog()
    base = base_folder()  # the bundled guides, or the signed set downloaded in their place
    folders = [base, *extra_guide_dirs(cli_dirs)]
    given_folders = [p for p in paths if p.is_dir()]
    # A template file given directly, or a folder that is itself templates/, is checked as a template.
    template_paths = [p for p in paths if p.is_file() and p.parent.name == "templates"]
    template_paths += [f for p in given_folders if p.name == "templates" for f in guide_files(p, catalog.problems)]
    template_paths += [f for p in given_folders if p.name != "templates" for f in template_files(p, catalog.problems)]
    load_templates(folders, catalog, report=False)
    files = _Files(today=today, base=base)
    catalog._files = files
    for path in dict.fromkeys(template_paths):
        template, problems = files.template(path)
        catalog.problems += problems
        if template is not None:
            catalog.templates[guide_id(path)] = template
            twin = None if _same_folder(path.parent, base / "templates") else _twin(base / "templates", path.stem)
            if twin:
                catalog.letter_origins[guide_id(path)] = Origin(path.parent, twin)
        else:
            catalog.failed.append(path)
    for path in paths:
        if path.is_dir():
            if path.name != "templates":
                for file in guide_files(path, catalog.problems):
                    add_guide(catalog, file, style=True, today=today, files=files)
        elif path in template_paths:
            continue
        elif not missing(path):
            add_guide(catalog, path, style=True, today=today, files=files)  # a pipe or a loop is refused there, by name
        else:
            catalog.problems.append(_problem(path, "E001", "There is no such file or folder."))
            catalog.failed.append(path)
    catalog.problems += catalog.name_warnings()
    return catalog


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a == b or os.path.samefile(a, b)
    except OSError:
        return False


def _twin(folder: Path, name: str) -> Path | None:
    """The guide or letter file called `name` in `folder`, if there is one."""
    for suffix in (".yaml", ".yml"):
        candidate = folder / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    return None
