"""Finding and loading every guide: the bundled ones and any extra folders.

A guide in an extra folder with the same id as a bundled one replaces it, so a
contributor can try an edit before opening a pull request. One bad file never
stops the others from loading: it becomes a Problem and is left out.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path

from .loader import LoadedGuide, guide_id, load_guide, load_template
from .model import SharedTemplate
from .problems import Problem

ENV_GUIDES = "OPTOUT_TUI_GUIDES"
GUIDE_SUFFIXES = (".yaml", ".yml")


def bundled_dir() -> Path:
    """The guides shipped with the package (inside the wheel, or the source tree)."""
    here = Path(__file__).resolve().parent
    packaged = here / "_guides"
    return packaged if packaged.is_dir() else here.parent / "guides"


def extra_dirs(cli_dirs: list[str] | None = None) -> list[Path]:
    """Folders from --guides-dir, then from $OPTOUT_TUI_GUIDES."""
    dirs = [Path(d) for d in cli_dirs or []]
    env = os.environ.get(ENV_GUIDES, "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p.strip()]
    return dirs


def guide_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix in GUIDE_SUFFIXES and p.is_file())
    except OSError:
        return []


def template_files(folder: Path) -> list[Path]:
    return guide_files(folder / "templates")


@dataclass
class Catalog:
    guides: dict[str, LoadedGuide] = field(default_factory=dict)
    templates: dict[str, SharedTemplate] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)  # files left out because of an error
    missing_dirs: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def sorted_guides(self) -> list[LoadedGuide]:
        return sorted(self.guides.values(), key=lambda g: g.guide.name.lower())

    def closest(self, wanted: str, n: int = 3) -> list[str]:
        import difflib

        ids = sorted(self.guides)
        by_name = {g.guide.name.lower(): gid for gid, g in self.guides.items()}
        close = difflib.get_close_matches(wanted.lower(), ids, n=n, cutoff=0.5)
        close += [by_name[m] for m in difflib.get_close_matches(wanted.lower(), list(by_name), n=n, cutoff=0.6)]
        return list(dict.fromkeys(close))[:n]


def load_templates(folders: list[Path], catalog: Catalog, *, report: bool = True) -> None:
    """Shared templates from each folder's templates/; `report=False` only makes them usable."""
    for folder in folders:
        for path in template_files(folder):
            result = load_template(path)
            if result.ok:
                catalog.templates[guide_id(path)] = result.value
            if report:
                catalog.problems += result.problems
                if not result.ok:
                    catalog.failed.append(path)


def load_catalog(
    cli_dirs: list[str] | None = None,
    *,
    bundled: bool = True,
    style: bool = False,
    today: datetime.date | None = None,
    cache_dir: Path | None = None,
) -> Catalog:
    """Every guide the user can see: bundled first, extra folders after (and winning).

    With `cache_dir`, parsed guides are kept there between runs (see guidecache);
    style checks are never cached, so `style=True` ignores it.
    """
    folders = ([bundled_dir()] if bundled else []) + extra_dirs(cli_dirs)
    catalog = Catalog()
    catalog.missing_dirs = [f for f in folders if not f.is_dir()]
    # The shared letters are part of the library, so guides from other folders
    # can use them even when the bundled guides themselves are left out.
    if not bundled:
        load_templates([bundled_dir()], catalog, report=False)
    load_templates(folders, catalog)
    if cache_dir is None or style:
        for folder in folders:
            for path in guide_files(folder):
                add_guide(catalog, path, style=style, today=today)
        return catalog

    from .guidecache import GuideCache, make_key

    today = today or datetime.date.today()
    templates = [t for f in ([bundled_dir()] if not bundled else []) + folders for t in template_files(f)]
    cache = GuideCache(cache_dir, make_key(templates, today))
    seen: set[str] = set()
    for folder in folders:
        for path in guide_files(folder):
            seen.add(str(path))
            try:
                st = path.stat()
            except OSError:
                st = None
            entry = cache.get(path, st) if st else None
            if entry is None:
                result = load_guide(path, catalog.templates, style=False, today=today)
                if st:
                    cache.put(path, st, result.value, result.problems)
                guide, problems = result.value, result.problems
            else:
                guide = entry.guide
                problems = [Problem(path, line, col, code, msg) for line, col, code, msg in entry.problems]
            catalog.problems += problems
            if guide is not None:
                catalog.guides[guide_id(path)] = LoadedGuide(guide_id(path), path, guide)
            else:
                catalog.failed.append(path)
    cache.forget_missing(seen)
    cache.save()
    return catalog


def add_guide(catalog: Catalog, path: Path, *, style: bool, today: datetime.date | None) -> None:
    result = load_guide(path, catalog.templates, style=style, today=today)
    catalog.problems += result.problems
    if result.ok:
        gid = guide_id(path)
        catalog.guides[gid] = LoadedGuide(gid, path, result.value)
    else:
        catalog.failed.append(path)


def load_paths(paths: list[Path], cli_dirs: list[str] | None = None, *, today: datetime.date | None = None) -> Catalog:
    """Load exactly the given files and folders (for `validate PATH ...`).

    Shared templates come from the bundled and extra folders and from the
    given folders, so a guide that uses one can be checked on its own.
    """
    catalog = Catalog()
    folders = [bundled_dir(), *extra_dirs(cli_dirs)]
    given_folders = [p for p in paths if p.is_dir()]
    # A template file given directly, or a folder that is itself templates/, is checked as a template.
    template_paths = [p for p in paths if p.is_file() and p.parent.name == "templates"]
    template_paths += [f for p in given_folders if p.name == "templates" for f in guide_files(p)]
    template_paths += [f for p in given_folders if p.name != "templates" for f in template_files(p)]
    load_templates(folders, catalog, report=False)
    for path in dict.fromkeys(template_paths):
        result = load_template(path)
        catalog.problems += result.problems
        if result.ok:
            catalog.templates[guide_id(path)] = result.value
        else:
            catalog.failed.append(path)
    for path in paths:
        if path.is_dir():
            if path.name != "templates":
                for file in guide_files(path):
                    add_guide(catalog, file, style=True, today=today)
        elif path in template_paths:
            continue
        elif path.exists():
            add_guide(catalog, path, style=True, today=today)
        else:
            catalog.problems.append(Problem(path, 0, 0, "E001", "There is no such file or folder."))
            catalog.failed.append(path)
    return catalog
