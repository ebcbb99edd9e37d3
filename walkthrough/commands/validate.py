"""`optout-tui validate [PATH ...]`: check guide files and say exactly what to fix."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from walkthrough.commands.output import shown_path


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
        from walkthrough.commands.browse import report_missing_dirs

        report_missing_dirs(catalog)

    problems = sorted(catalog.problems, key=lambda p: (str(p.path), p.line, p.column))
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors

    if args.format == "json":
        import json

        print(json.dumps([{**p.as_dict(), "file": shown_path(p.path)} for p in problems], indent=2))
    elif args.format == "github":
        for p in problems:
            level = "error" if p.is_error else "warning"
            message = p.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            print(
                f"::{level} file={shown_path(p.path)},line={max(p.line, 1)},col={max(p.column, 1)},"
                f"title={p.code}::{message}"
            )
    else:
        for p in problems:
            print(f"{shown_path(p.path)}:{max(p.line, 1)}:{max(p.column, 1)}: {p.code} {p.message}")
        word = "file" if checked == 1 else "files"
        verdict = "all good" if not problems else f"{errors} error(s), {warnings} warning(s)"
        print(f"Checked {checked} guide {word}: {verdict}.", file=sys.stderr)

    if errors or (args.strict and warnings):
        return 1
    return 0
