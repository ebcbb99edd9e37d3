"""`optout-tui list` and `optout-tui show GUIDE`: the catalogue without the app."""

from __future__ import annotations

import argparse
import sys

from walkthrough.commands.output import report_failures, report_origins
from walkthrough.safe_text import json_text, visible


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
    if args.command == "list":
        report_origins(catalog)
    return show(args, catalog) if args.command == "show" else list_guides(args, catalog)


def list_guides(args: argparse.Namespace, catalog) -> int:
    from walkthrough.content import regions
    from walkthrough.content.model import DIFFICULTY_WORDS

    # From the catalogue's rows: listing a thousand guides decodes none of them.
    guides = catalog.summaries()
    if args.json:
        import json

        print(json_text(json.dumps(guides, indent=2, ensure_ascii=False)))
        return 0
    rows = [("ID", "NAME", "DIFFICULTY", "MINUTES", "VERIFIED", "APPLIES TO")]
    for g in guides:
        rows.append(
            (
                g["id"],
                visible(g["name"]),
                DIFFICULTY_WORDS[g["difficulty"]],
                str(g["minutes"]),
                g["last_verified"],
                regions.describe(g["regions"]),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row[:5], widths, strict=True)) + "  " + row[5])
    print_guide_set()
    return 0


def print_guide_set() -> None:
    """Which set of guides is in use, and how old it is once that matters (walkthrough.catalog.sources)."""
    from walkthrough.catalog import sources
    from walkthrough.safe_text import visible

    in_use = sources.set_in_use()
    print()
    for line in (sources.describe(in_use), in_use.note, sources.freshness(in_use)):
        if line:
            print(visible(line))


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

        origin = {}
        if loaded.origin:
            origin = {
                "from_folder": str(loaded.origin.folder),
                "replaces": loaded.origin.replaces and str(loaded.origin.replaces),
            }
        encoded = msgspec.json.encode({"id": loaded.id, **msgspec.to_builtins(loaded.guide), **origin})
        print(json_text(msgspec.json.format(encoded).decode()))
        return 0
    from walkthrough.content import regions
    from walkthrough.content.guidefile import origin_note

    if args.region:
        country = regions.find_country(args.region)
        if country is None:
            print(f"optout-tui: {visible(regions.no_match_words(args.region))}", file=sys.stderr)
            return 1
    else:
        country = saved_country()
    from functools import partial

    from walkthrough.content.plaintext import guide_text
    from walkthrough.progress.status import counts

    note = origin_note(loaded, catalog.letter_origins)
    if note:
        import textwrap

        sys.stdout.write(textwrap.fill("Note: " + visible(note), 78, break_on_hyphens=False) + "\n\n")
    steps_for = partial(counts, country=country, guide=loaded.guide) if country else None
    text = guide_text(loaded, catalog.templates, country=country, counts=steps_for)
    sys.stdout.write(visible(text, keep_lines=True))
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
