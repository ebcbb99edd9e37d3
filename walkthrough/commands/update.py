"""`optout-tui update`: get the newest guides, checked and signed; `--check`, `--revert`, `--from FILE`.

One of the two commands that use the network (with `check-links`), and only
when run: nothing ever checks for updates by itself. It says what it will
contact before it does. httpx and the signature library are imported inside
`run`, through walkthrough.update, so no other command pays for them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from walkthrough.commands.output import seconds_argument


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--check", action="store_true", help="only say whether newer guides exist; change nothing")
    what.add_argument("--revert", action="store_true", help="go back to the guides you had before the last update")
    what.add_argument(
        "--from",
        dest="from_file",
        metavar="FILE",
        type=Path,
        help="install guides downloaded by hand (guides.tar.gz, with manifest.json and manifest.json.minisig "
        "beside it); uses no network",
    )
    parser.add_argument(
        "--url",
        metavar="URL",
        help="download from this address instead (a mirror); the OPTOUT_TUI_UPDATE_URL variable does the same",
    )
    parser.add_argument(
        "--timeout",
        type=seconds_argument,
        default=30.0,
        metavar="SECONDS",
        help="give up when the server has not answered for this long (default 30)",
    )


def run(args: argparse.Namespace) -> int:
    from walkthrough import paths
    from walkthrough.safe_text import visible
    from walkthrough.update import install

    try:
        if args.revert:
            outcome = install.revert()
        elif args.from_file is not None:
            outcome = install.install_file(args.from_file)
        else:
            # Said before anything is contacted, on stderr; a copy without keys says so first instead.
            url = paths.update_url(args.url)
            install.trusted_keys()
            print(f"optout-tui update uses the network. {install.contact_words(url)}", file=sys.stderr)
            if args.check:
                outcome = install.check(url, timeout=args.timeout)
            else:
                outcome = install.update(url, timeout=args.timeout)
    except install.UpdateError as exc:
        print(f"optout-tui update: {visible(exc)} Your guides were not changed.", file=sys.stderr)
        return 1
    for line in outcome.lines:
        print(visible(line))
    return 0
