"""`optout-tui validate [PATH ...]`: check guide files and say exactly what to fix."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from walkthrough.commands.output import shown_path
from walkthrough.safe_text import visible


def _github(value: str) -> str:
    """A value for a GitHub Actions annotation, escaped as its runner expects."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(value: str) -> str:
    return _github(value).replace(":", "%3A").replace(",", "%2C")


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="guide files or folders (default: every guide)")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument(
        "--format",
        choices=["text", "github", "json"],
        default="text",
        help="text (default), github (GitHub Actions annotations) or json",
    )


def run(args: argparse.Namespace) -> int:
    from walkthrough.catalog.loading import load_catalog, load_paths

    if args.paths:
        catalog = load_paths([Path(p) for p in args.paths], args.guides_dir)
        checked = len(catalog.guides) + len(catalog.failed)
    else:
        catalog = load_catalog(args.guides_dir, style=True)
        checked = len(catalog.guides) + len(catalog.failed)
        for folder in catalog.missing_dirs:
            print(f"optout-tui: the guide folder {shown_path(folder)} does not exist.", file=sys.stderr)

    problems = sorted(catalog.problems, key=lambda p: (str(p.path), p.line, p.column))
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors

    if args.format == "json":
        import json

        print(json.dumps([{**p.as_dict(), "file": shown_path(p.path)} for p in problems], indent=2))
    elif args.format == "github":
        for p in problems:
            level = "error" if p.is_error else "warning"
            print(
                f"::{level} file={_github_property(shown_path(p.path))},line={max(p.line, 1)},"
                f"col={max(p.column, 1)},title={p.code}::{_github(visible(p.message))}"
            )
    else:
        for p in problems:
            # A message can quote a value from the file; visible() keeps it on its one line.
            print(f"{shown_path(p.path)}:{max(p.line, 1)}:{max(p.column, 1)}: {p.code} {visible(p.message)}")
        for gid, loaded in sorted(catalog.guides.items()):
            if loaded.origin and loaded.origin.replaces:
                print(
                    f"note: {shown_path(loaded.path)} replaces the guide {gid} that came with optout-tui "
                    "when it is used with --guides-dir.",
                    file=sys.stderr,
                )
        for name, origin in sorted(catalog.letter_origins.items()):
            if origin.replaces:
                print(
                    f"note: the letter {visible(name)} in {shown_path(origin.folder)} replaces the one that came "
                    "with optout-tui when it is used with --guides-dir.",
                    file=sys.stderr,
                )
        word = "file" if checked == 1 else "files"
        verdict = "all good" if not problems else f"{errors} error(s), {warnings} warning(s)"
        print(f"Checked {checked} guide {word}: {verdict}.", file=sys.stderr)

    if errors or (args.strict and warnings):
        return 1
    return 0
