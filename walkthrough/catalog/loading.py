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

from walkthrough.catalog.folders import guide_files, missing, template_files
from walkthrough.catalog.sources import base_folder
from walkthrough.content.guidefile import LoadedGuide, Origin, guide_id
from walkthrough.content.model import Guide, SharedTemplate
from walkthrough.content.problems import Problem
from walkthrough.paths import extra_guide_dirs


@dataclass
class Catalog:
    guides: dict[str, LoadedGuide] = field(default_factory=dict)
    templates: dict[str, SharedTemplate] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)  # files left out because of an error
    missing_dirs: list[Path] = field(default_factory=list)
    letter_origins: dict[str, Origin] = field(default_factory=dict)  # shared letters from another folder

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def folder_problems(self) -> list[Problem]:
        """Guide folders that are there but cannot be read (a file, a link loop, no permission)."""
        return [p for p in self.problems if p.code == "E010"]

    def sorted_guides(self) -> list[LoadedGuide]:
        return sorted(self.guides.values(), key=lambda g: g.guide.name.lower())

    def closest(self, wanted: str, n: int = 3) -> list[str]:
        from walkthrough.catalog.lookup import suggestions

        return [gid for gid, _ in suggestions(self.guides, wanted, n)]


class _Files:
    """Reads guide and template files, through the cache when there is one.

    The loader (and with it the YAML parser and the linter) is imported only
    when a file really has to be parsed, so a start with a warm cache skips it.
    """

    def __init__(self, cache=None):
        self.cache = cache
        self.seen: set[str] = set()

    def _cached(self, path: Path, table: str):
        if self.cache is None:
            return None, None
        self.seen.add(str(path))
        try:
            st = path.stat()
        except OSError:
            return None, None
        return st, self.cache.get(path, st, table)

    def template(self, path: Path) -> tuple[SharedTemplate | None, list[Problem]]:
        st, entry = self._cached(path, "templates")
        if entry is not None:
            return entry.value, entry.problems_at(path)
        from walkthrough.content.loader import load_template

        result = load_template(path)
        if st is not None:
            self.cache.put(path, st, "templates", result.value, result.problems)
        return result.value, result.problems

    def guide(
        self, path: Path, templates: dict[str, SharedTemplate], *, style: bool, today: datetime.date | None
    ) -> tuple[Guide | None, list[Problem]]:
        st, entry = self._cached(path, "guides")
        if entry is not None:
            return entry.value, entry.problems_at(path)
        from walkthrough.content.loader import load_guide

        result = load_guide(path, templates, style=style, today=today)
        if st is not None:
            self.cache.put(path, st, "guides", result.value, result.problems)
        return result.value, result.problems


def load_templates(
    folders: list[Path],
    catalog: Catalog,
    *,
    report: bool = True,
    files: _Files | None = None,
    origins: bool = False,
) -> None:
    """Shared templates from each folder's templates/; `report=False` only makes them usable.

    With `origins`, a letter from a folder other than the bundled one is recorded
    in catalog.letter_origins (and which bundled letter it replaces), so every
    place that shows it can say so.
    """
    files = files or _Files()
    bundled = base_folder()  # the bundled guides, or the signed set downloaded in their place
    for folder in folders:
        other = origins and not _same_folder(folder, bundled)
        for path in template_files(folder, catalog.problems if report else None):
            template, problems = files.template(path)
            if template is not None:
                name = guide_id(path)
                if other:
                    earlier = catalog.letter_origins.get(name)
                    replaces = earlier.replaces if earlier else (_twin(bundled / "templates", name))
                    catalog.letter_origins[name] = Origin(Path(os.path.abspath(folder)), replaces)
                catalog.templates[name] = template
            if report:
                catalog.problems += problems
                if template is None:
                    catalog.failed.append(path)


def add_guide(
    catalog: Catalog,
    path: Path,
    *,
    style: bool,
    today: datetime.date | None,
    files: _Files | None = None,
    other: Path | None = None,
) -> None:
    """Load one guide into the catalogue; `other`: the folder (absolute) when not optout-tui's own."""
    guide, problems = (files or _Files()).guide(path, catalog.templates, style=style, today=today)
    catalog.problems += problems
    if guide is not None:
        gid = guide_id(path)
        origin = None
        if other is not None:
            earlier = catalog.guides.get(gid)
            replaces = (earlier.origin.replaces if earlier.origin else earlier.path) if earlier else None
            origin = Origin(other, replaces)
        catalog.guides[gid] = LoadedGuide(gid, path, guide, origin)
    else:
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

    With `cache_dir`, parsed guides are kept there between runs (see walkthrough.catalog.cache);
    style checks are never cached, so `style=True` ignores it.
    """
    folders = ([base_folder()] if bundled else []) + extra_guide_dirs(cli_dirs)
    # The shared letters are part of the library, so guides from other folders
    # can use them even when the bundled guides themselves are left out.
    letter_folders = [base_folder()] if not bundled else []
    catalog = Catalog()
    catalog.missing_dirs = [f for f in folders if missing(f)]

    cache = None
    if cache_dir is not None and not style:
        from walkthrough.catalog.cache import GuideCache, make_key

        today = today or datetime.date.today()
        letters = [t for f in letter_folders + folders for t in template_files(f)]
        cache = GuideCache(cache_dir, make_key(letters, today))
    files = _Files(cache)

    load_templates(letter_folders, catalog, report=False, files=files)
    # With only other folders loaded (tests), nothing is "from another folder" than the rest.
    load_templates(folders, catalog, files=files, origins=bundled)
    for i, folder in enumerate(folders):
        # Absolute: the folder is said to people, for whom "guides" names nothing.
        other = Path(os.path.abspath(folder)) if bundled and i > 0 and not _same_folder(folder, folders[0]) else None
        for path in guide_files(folder, catalog.problems):
            add_guide(catalog, path, style=style, today=today, files=files, other=other)
    catalog.problems += name_warnings(catalog)
    if cache is not None:
        cache.forget_missing(files.seen)
        cache.save()
    return catalog


def load_paths(paths: list[Path], cli_dirs: list[str] | None = None, *, today: datetime.date | None = None) -> Catalog:
    """Load exactly the given files and folders (for `validate PATH ...`).

    Shared templates come from the bundled and extra folders and from the
    given folders, so a guide that uses one can be checked on its own.
    """
    catalog = Catalog()
    folders = [base_folder(), *extra_guide_dirs(cli_dirs)]
    given_folders = [p for p in paths if p.is_dir()]
    # A template file given directly, or a folder that is itself templates/, is checked as a template.
    template_paths = [p for p in paths if p.is_file() and p.parent.name == "templates"]
    template_paths += [f for p in given_folders if p.name == "templates" for f in guide_files(p, catalog.problems)]
    template_paths += [f for p in given_folders if p.name != "templates" for f in template_files(p, catalog.problems)]
    load_templates(folders, catalog, report=False)
    files = _Files()
    bundled = base_folder()  # the bundled guides, or the signed set downloaded in their place
    for path in dict.fromkeys(template_paths):
        template, problems = files.template(path)
        catalog.problems += problems
        if template is not None:
            catalog.templates[guide_id(path)] = template
            twin = None if _same_folder(path.parent, bundled / "templates") else _twin(bundled / "templates", path.stem)
            if twin:
                catalog.letter_origins[guide_id(path)] = Origin(path.parent, twin)
        else:
            catalog.failed.append(path)
    for path in paths:
        if path.is_dir():
            if path.name != "templates":
                for file in guide_files(path, catalog.problems):
                    add_guide(catalog, file, style=True, today=today)
        elif path in template_paths:
            continue
        elif not missing(path):
            add_guide(catalog, path, style=True, today=today)  # a pipe or a loop is refused there, by name
        else:
            catalog.problems.append(Problem(path, 0, 0, "E001", "There is no such file or folder."))
            catalog.failed.append(path)
    # A guide given here that has a twin among optout-tui's own replaces it when used with --guides-dir.
    for gid, loaded in list(catalog.guides.items()):
        twin = None if _same_folder(loaded.path.parent, bundled) else _twin(bundled, gid)
        if twin:
            catalog.guides[gid] = LoadedGuide(gid, loaded.path, loaded.guide, Origin(loaded.path.parent, twin))
    catalog.problems += name_warnings(catalog)
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


def name_warnings(catalog: Catalog) -> list[Problem]:
    """W308 for two guides whose names are the same or look the same; W309 for a name that mixes alphabets."""
    from walkthrough.content.names import mixed_scripts, skeleton

    out: list[Problem] = []
    seen: dict[str, LoadedGuide] = {}
    for loaded in sorted(catalog.guides.values(), key=lambda g: (g.origin is not None, g.id)):
        name = loaded.guide.name
        if mixed_scripts(name):
            out.append(
                Problem(
                    loaded.path,
                    0,
                    0,
                    "W309",
                    f"The name `{name}` mixes letters from different alphabets (such as a Cyrillic letter among "
                    "Latin ones), so it can pass for another name. Write it in one alphabet.",
                )
            )
        key = skeleton(name)
        first = seen.setdefault(key, loaded)
        if first is not loaded:
            same = "the same name" if first.guide.name == name else "a name that looks the same"
            out.append(
                Problem(
                    loaded.path,
                    0,
                    0,
                    "W308",
                    f"The guides `{first.id}` ({first.path}) and `{loaded.id}` have {same}: `{first.guide.name}` "
                    f"and `{name}`. People pick a guide by its name; give each platform its own.",
                )
            )
    return out
