"""`optout-tui [GUIDE]`: the full-screen step-by-step app."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("guide", nargs="?", metavar="GUIDE", help="open this guide straight away")
    parser.add_argument("--region", metavar="CODE", help="your country, for example DE or US (saved for next time)")


def run(args: argparse.Namespace) -> int:
    from ..catalog import load_catalog
    from ..render import guide_text

    # Until the full-screen app lands, print the guide list or the chosen guide.
    catalog = load_catalog(args.guides_dir)
    if args.guide and args.guide in catalog.guides:
        print(guide_text(catalog.guides[args.guide], catalog.templates))
    else:
        for g in catalog.sorted_guides():
            print(f"{g.id:15} {g.guide.title}")
    return 0
