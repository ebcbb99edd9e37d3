"""Which files in a folder are guides, and which are shared letters.

A guides folder can hold anything a pull request or a stranger's archive can:
a link that loops, a link to nowhere, a named pipe or a device with a guide's
name. None of them may hide the other guides: every entry whose name ends in
.yaml or .yml is listed (except folders), so the loader reports a bad one as
that one file; a folder that cannot be listed at all is a problem of its own,
never a silent empty folder.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from walkthrough.content.problems import Problem

GUIDE_SUFFIXES = (".yaml", ".yml")


def missing(folder: Path) -> bool:
    """True only when nothing at all is at `folder` (a link that loops is something, and is reported)."""
    try:
        os.lstat(folder)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


def guide_files(folder: Path, problems: list[Problem] | None = None) -> list[Path]:
    """The guide files in `folder`, sorted by name.

    A folder that is not there gives no files; one that is there but cannot be
    listed (a file, a link loop, no permission) gives no files and, when
    `problems` is given, an E010 problem naming it.
    """
    # scandir knows from the directory listing which entries are folders, so a
    # thousand guides cost no extra stat calls here (start-up reads this folder).
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(GUIDE_SUFFIXES) and not _is_folder(e))
    except FileNotFoundError:
        return []
    except OSError as exc:
        if problems is not None:
            problems.append(Problem(folder, 0, 0, "E010", folder_problem(exc)))
        return []
    return [folder / name for name in names]


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False  # a link that loops: listed, so reading it reports it by name


def folder_problem(exc: OSError) -> str:
    """Why a folder of guides cannot be read, and what to do, in plain words."""
    if exc.errno == errno.ENOTDIR:
        return "This is a file, not a folder. Give the folder that holds the guide files."
    if exc.errno == errno.ELOOP:
        return "This folder is a link that leads back to itself (a loop). Point it at a real folder."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "You are not allowed to read this folder, so no guides came from it. Check its permissions."
    return f"This folder cannot be read ({exc.strerror or exc}), so no guides came from it."


def template_files(folder: Path, problems: list[Problem] | None = None) -> list[Path]:
    """The shared letters of a guide folder: its templates/ subfolder."""
    if problems is not None and not (os.path.isdir(folder) and os.access(folder, os.R_OK | os.X_OK)):
        problems = None  # the folder itself cannot be read: that is said once, by guide_files
    return guide_files(folder / "templates", problems)
