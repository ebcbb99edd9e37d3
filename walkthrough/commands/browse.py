"""`optout-tui list` and `optout-tui show GUIDE`: the catalogue without the app."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    if name == "show":
        parser.add_argument("guide", metavar="GUIDE", help="the guide's id, for example linkedin")
    parser.add_argument("--json", action="store_true", help="print JSON for other programs")


def run(args: argparse.Namespace) -> int:
    from walkthrough import paths
    from walkthrough.catalog.loading import load_catalog

    catalog = load_catalog(args.guides_dir, cache_dir=paths.cache_dir())
    report_failures(catalog)
    return show(args, catalog) if args.command == "show" else list_guides(args, catalog)


def report_missing_dirs(catalog) -> None:
    for folder in catalog.missing_dirs:
        print(f"optout-tui: the guide folder {folder} does not exist.", file=sys.stderr)


def report_failures(catalog) -> None:
    """One line on stderr when guides were left out, so the output itself stays clean."""
    report_missing_dirs(catalog)
    if catalog.failed:
        n = len(catalog.failed)
        files = ", ".join(p.name for p in catalog.failed[:3]) + (" ..." if n > 3 else "")
        print(
            f"optout-tui: {n} guide file{'s' if n != 1 else ''} could not be loaded ({files}). "
            "Run `optout-tui validate` to see why.",
            file=sys.stderr,
        )


def list_guides(args: argparse.Namespace, catalog) -> int:
    from walkthrough.content import regions
    from walkthrough.content.model import DIFFICULTY_WORDS

    # From the catalogue's rows: listing a thousand guides decodes none of them.
    guides = catalog.summaries()
    if args.json:
        import json

        print(json.dumps(guides, indent=2, ensure_ascii=False))
        return 0
    rows = [("ID", "NAME", "DIFFICULTY", "MINUTES", "VERIFIED", "APPLIES TO")]
    for g in guides:
        rows.append(
            (
                g["id"],
                g["name"],
                DIFFICULTY_WORDS[g["difficulty"]],
                str(g["minutes"]),
                g["last_verified"],
                regions.describe(g["regions"]),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row[:5], widths, strict=True)) + "  " + row[5])
    return 0


def summary(g) -> dict:
    d = g.guide
    return {
        "id": g.id,
        "name": d.name,
        "title": d.title,
        "difficulty": d.difficulty,
        "minutes": d.minutes,
        "regions": d.regions,
        "last_verified": d.last_verified.isoformat(),
        "recheck_days": d.recheck_days,
        "steps": len(d.steps),
        "path": str(g.path),
    }


def show(args: argparse.Namespace, catalog) -> int:
    loaded = catalog.guides.get(args.guide)
    if loaded is None:
        close = catalog.closest(args.guide)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        print(
            f"optout-tui: there is no guide '{args.guide}'.{hint} Guides: {', '.join(sorted(catalog.guides))}.",
            file=sys.stderr,
        )
        return 1
    if args.json:
        import msgspec

        print(msgspec.json.format(msgspec.json.encode({"id": loaded.id, **msgspec.to_builtins(loaded.guide)})).decode())
        return 0
    from walkthrough.content.plaintext import guide_text

    sys.stdout.write(guide_text(loaded, catalog.templates))
    return 0
