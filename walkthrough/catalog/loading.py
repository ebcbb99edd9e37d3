"""Finding and loading every guide: the bundled ones and any extra folders.

A guide in an extra folder with the same id as a bundled one replaces it, so a
contributor can try an edit before opening a pull request. One bad file never
stops the others from loading: it becomes a Problem and is left out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from walkthrough.catalog.folders import guide_files, template_files
from walkthrough.content.guidefile import LoadedGuide, guide_id
from walkthrough.content.model import Guide, SharedTemplate
from walkthrough.content.problems import Problem
from walkthrough.paths import bundled_guides_dir, extra_guide_dirs


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


def load_templates(folders: list[Path], catalog: Catalog, *, report: bool = True, files: _Files | None = None) -> None:
    """Shared templates from each folder's templates/; `report=False` only makes them usable."""
    files = files or _Files()
    for folder in folders:
        for path in template_files(folder):
            template, problems = files.template(path)
            if template is not None:
                catalog.templates[guide_id(path)] = template
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
) -> None:
    guide, problems = (files or _Files()).guide(path, catalog.templates, style=style, today=today)
    catalog.problems += problems
    if guide is not None:
        gid = guide_id(path)
        catalog.guides[gid] = LoadedGuide(gid, path, guide)
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
    folders = ([bundled_guides_dir()] if bundled else []) + extra_guide_dirs(cli_dirs)
    # The shared letters are part of the library, so guides from other folders
    # can use them even when the bundled guides themselves are left out.
    letter_folders = [bundled_guides_dir()] if not bundled else []
    catalog = Catalog()
    catalog.missing_dirs = [f for f in folders if not f.is_dir()]

    cache = None
    if cache_dir is not None and not style:
        from walkthrough.catalog.cache import GuideCache, make_key

        today = today or datetime.date.today()
        letters = [t for f in letter_folders + folders for t in template_files(f)]
        cache = GuideCache(cache_dir, make_key(letters, today))
    files = _Files(cache)

    load_templates(letter_folders, catalog, report=False, files=files)
    load_templates(folders, catalog, files=files)
    for folder in folders:
        for path in guide_files(folder):
            add_guide(catalog, path, style=style, today=today, files=files)
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
    folders = [bundled_guides_dir(), *extra_guide_dirs(cli_dirs)]
    given_folders = [p for p in paths if p.is_dir()]
    # A template file given directly, or a folder that is itself templates/, is checked as a template.
    template_paths = [p for p in paths if p.is_file() and p.parent.name == "templates"]
    template_paths += [f for p in given_folders if p.name == "templates" for f in guide_files(p)]
    template_paths += [f for p in given_folders if p.name != "templates" for f in template_files(p)]
    load_templates(folders, catalog, report=False)
    files = _Files()
    for path in dict.fromkeys(template_paths):
        template, problems = files.template(path)
        catalog.problems += problems
        if template is not None:
            catalog.templates[guide_id(path)] = template
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
