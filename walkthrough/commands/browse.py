"""`optout-tui list` and `optout-tui show GUIDE`: the catalogue without the app."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    if name == "show":
        parser.add_argument(
            "guide",
            nargs="?",
            metavar="GUIDE",
            help="the guide's id or name, for example linkedin or Facebook (with none, the guides are listed)",
        )
        parser.add_argument(
            "--region",
            metavar="COUNTRY",
            help="put the steps for this country first (by default, the country you chose in the app)",
        )
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

    guides = catalog.sorted_guides()
    if args.json:
        import json

        print(json.dumps([summary(g) for g in guides], indent=2, ensure_ascii=False))
        return 0
    rows = [("ID", "NAME", "DIFFICULTY", "MINUTES", "VERIFIED", "APPLIES TO")]
    for g in guides:
        d = g.guide
        rows.append(
            (
                g.id,
                d.name,
                DIFFICULTY_WORDS[d.difficulty],
                str(d.minutes),
                d.last_verified.isoformat(),
                regions.describe(d.regions),
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
    from walkthrough.catalog import lookup

    if not args.guide:
        if not args.json:
            print("Which guide? Name one, for example: optout-tui show linkedin\n")
        return list_guides(args, catalog)
    result = lookup.find(catalog.guides, args.guide)
    loaded = result.found
    if loaded is None:
        print(f"optout-tui: {lookup.not_found_words(catalog.guides, args.guide)}", file=sys.stderr)
        return 1
    if args.json:
        import msgspec

        print(msgspec.json.format(msgspec.json.encode({"id": loaded.id, **msgspec.to_builtins(loaded.guide)})).decode())
        return 0
    from walkthrough.content import regions

    if args.region:
        country = regions.find_country(args.region)
        if country is None:
            print(f"optout-tui: {regions.no_match_words(args.region)}", file=sys.stderr)
            return 1
    else:
        country = saved_country()
    from functools import partial

    from walkthrough.content.plaintext import guide_text
    from walkthrough.progress.status import counts

    steps_for = partial(counts, country=country, guide=loaded.guide) if country else None
    sys.stdout.write(guide_text(loaded, catalog.templates, country=country, counts=steps_for))
    return 0


def saved_country() -> str | None:
    """The country the user chose in the app, read from their record; None if there is none.

    A record that does not exist is not created just to look.
    """
    from walkthrough import paths
    from walkthrough.content import regions
    from walkthrough.progress.store import ProgressStore, StoreError

    path = paths.progress_file()
    if not path.is_file():
        return None
    try:
        with ProgressStore(path) as store:
            code = store.get_setting("region")
    except StoreError as exc:
        print(f"optout-tui: {exc} Showing every step in order.", file=sys.stderr)
        return None
    return code if code in regions.COUNTRIES else None
