"""`optout-tui [GUIDE]`: the full-screen step-by-step app."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping

from walkthrough.safe_text import visible

REGION_HELP = (
    "the country you live in, as a name or code: Germany, Deutschland, DE, USA, UK... "
    "(saved for next time; some steps only apply in some countries)"
)


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("guide", nargs="?", metavar="GUIDE", help="open this guide straight away (its id or name)")
    parser.add_argument("--region", metavar="COUNTRY", help=REGION_HELP)


def _codeset(locale_name: str) -> str | None:
    """The character set a locale name states ("en_US.ISO-8859-1" -> "ISO-8859-1"), if it states one."""
    name = locale_name.split("@", 1)[0]
    return name.split(".", 1)[1] if "." in name else None


def _is_utf8(codeset: str) -> bool:
    return codeset.replace("-", "").replace("_", "").lower() == "utf8"


def terminal_problem(env: Mapping[str, str], encoding: str | None) -> str | None:
    """Why this terminal cannot show the full-screen app, or None when it can.

    `encoding` is what Python writes to the terminal in. A locale that is not
    installed leaves Python writing UTF-8 while the terminal expects another
    character set, so the locale the user asked for is checked too. Python
    itself sets LC_CTYPE=C.UTF-8 when it replaces a plain "C" locale; that
    value says nothing about the terminal and is passed over.
    """
    term = env.get("TERM", "")
    if term == "dumb":
        return "this terminal cannot show the app (TERM=dumb)"
    if encoding and not _is_utf8(encoding):
        return f"this terminal cannot show the app: it uses the {visible(encoding)} character set, not UTF-8"
    for var in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = env.get(var, "")
        if not value or (var == "LC_CTYPE" and value in ("C.UTF-8", "C.utf8") and env.get("LANG")):
            continue
        codeset = _codeset(value)
        if codeset and not _is_utf8(codeset):
            return (
                f"this terminal cannot show the app: it is set to the {visible(codeset)} character set "
                f"({var}={visible(value)}), not UTF-8"
            )
        break
    return None


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
    # Checked after the names on the command line, so a mistake there is said first and the
    # line below can name the guide that was meant ("Facebook" -> meta).
    problem = terminal_problem(os.environ, getattr(sys.stdout, "encoding", None))
    if problem:
        app.store.close()
        guide = app.start_guide or "GUIDE"
        print(
            f"optout-tui: {problem}. `optout-tui show {guide}` prints the same steps as plain text"
            + (" (`optout-tui list` names every guide)." if not app.start_guide else "."),
            file=sys.stderr,
        )
        return 1
    app.run()
    return app.return_code or 0
