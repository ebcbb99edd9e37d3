"""`optout-tui [GUIDE]`: the full-screen step-by-step app."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("guide", nargs="?", metavar="GUIDE", help="open this guide straight away")
    parser.add_argument("--region", metavar="CODE", help="your country, for example DE or US (saved for next time)")


def run(args: argparse.Namespace) -> int:
    # Textual is imported here, not at the top, so `list`, `validate` and `--help` never pay for it.
    from walkthrough.progress.store import StoreError
    from walkthrough.safe_text import visible
    from walkthrough.tui.app import StartError, make_app

    try:
        app = make_app(args.guides_dir, guide=args.guide, region=args.region)
    except StartError as exc:
        # Said before the screen is taken over, so it stays readable in the terminal.
        print(f"optout-tui: {visible(exc)}", file=sys.stderr)
        return 1
    except StoreError as exc:  # its message already names the program
        print(visible(exc), file=sys.stderr)
        return 1
    app.run()
    return app.return_code or 0
