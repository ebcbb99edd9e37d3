"""How commands print what came from outside: paths and guide text, safe for a terminal.

A file name or a guide's text can hold escape sequences or line breaks; every
command prints such things through `visible` (walkthrough.safe_text), here or
at the line that prints them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from walkthrough.safe_text import visible

if TYPE_CHECKING:
    from walkthrough.catalog.loading import Catalog


def shown_path(path: Path | str) -> str:
    """A path relative to here when it is below here (shorter, and what CI annotations need), made safe to print."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return visible(path)
    return visible(path if rel.startswith("..") else rel)


def report_folders(catalog: Catalog, prefix: str = "optout-tui") -> None:
    """On stderr: each guide folder that is not there, or is there but cannot be read."""
    for folder in catalog.missing_dirs:
        print(f"{prefix}: the guide folder {shown_path(folder)} does not exist.", file=sys.stderr)
    for problem in catalog.folder_problems:
        print(f"{prefix}: the guide folder {shown_path(problem.path)}: {visible(problem.message)}", file=sys.stderr)


def report_failures(catalog: Catalog, prefix: str = "optout-tui") -> None:
    """One line on stderr when guides were left out, so the output itself stays clean."""
    report_folders(catalog, prefix)
    if catalog.failed:
        n = len(catalog.failed)
        files = ", ".join(visible(p.name) for p in catalog.failed[:3]) + (" ..." if n > 3 else "")
        print(
            f"{prefix}: {n} guide file{'s' if n != 1 else ''} could not be loaded ({files}). "
            "Run `optout-tui validate` to see why.",
            file=sys.stderr,
        )


def report_origins(catalog: Catalog, prefix: str = "optout-tui") -> None:
    """On stderr: each guide or shared letter from another folder (and what it replaces), and look-alike names."""
    for gid, origin in sorted(catalog.origins().items()):
        replaces = ", and replaces the guide that came with optout-tui" if origin.replaces else ""
        print(
            f"{prefix}: the guide {visible(gid)} comes from another folder, {shown_path(origin.folder)}{replaces}.",
            file=sys.stderr,
        )
    for name, origin in sorted(catalog.letter_origins.items()):
        replaces = ", and replaces the letter that came with optout-tui" if origin.replaces else ""
        print(
            f"{prefix}: the letter {visible(name)} comes from another folder, {shown_path(origin.folder)}{replaces}.",
            file=sys.stderr,
        )
    for problem in catalog.problems:
        if problem.code in ("W308", "W309"):
            print(f"{prefix}: warning: {visible(problem.message)}", file=sys.stderr)


def seconds_argument(text: str) -> float:
    """An argparse type: a number of seconds above 0 and at most 600 (--timeout)."""
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"give a number of seconds above 0 and at most 600, not {text}")
    return value
