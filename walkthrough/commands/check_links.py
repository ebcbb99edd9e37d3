"""`optout-tui check-links [PATH | URL ...]`: say which links in the guides no longer work.

The one command that uses the network, and it says so before it starts.
httpx and the checker are imported inside `run`, so no other command pays for
them or can reach the network by accident.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from walkthrough.commands.output import report_folders, seconds_argument, shown_path
from walkthrough.safe_text import visible


def _count(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"give a number from {low} to {high}, not {value}")
        return value

    return parse


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument(
        "targets",
        nargs="*",
        metavar="PATH | URL",
        help="guide files or folders, or web addresses (anything with ://) to check as given (default: every guide)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON, one object per use of a link")
    parser.add_argument(
        "--concurrency", type=_count(1, 256), default=16, metavar="N", help="requests in flight at once (default 16)"
    )
    parser.add_argument(
        "--per-host",
        type=_count(1, 64),
        default=4,
        metavar="N",
        help="requests in flight at once to one host name, whatever the port (default 4)",
    )
    parser.add_argument(
        "--timeout",
        type=seconds_argument,
        default=15.0,
        metavar="SECONDS",
        help="give up on one link after this many seconds on the network, redirects included (default 15)",
    )


class _Progress:
    """A one-line bar on stderr, only for a person watching a terminal."""

    def __init__(self, total: int):
        self.total = total
        self.done = 0
        self.width = 0
        self.shown = sys.stderr.isatty() and total > 0

    def advance(self, _result=None) -> None:
        self.done += 1
        if self.shown:
            filled = round(30 * self.done / self.total)
            line = f"Checking links [{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}"
            self.width = len(line)
            sys.stderr.write("\r" + line)
            sys.stderr.flush()

    def close(self) -> None:
        if self.shown and self.done:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    urls = [t for t in args.targets if "://" in t]
    paths = [Path(t) for t in args.targets if "://" not in t]
    from walkthrough.catalog.folders import missing as nothing_at

    missing = [p for p in paths if nothing_at(p)]
    if missing:
        for path in missing:
            print(
                f"optout-tui check-links: there is no file or folder {shown_path(path)}. "
                "Give guide files, guide folders, or web addresses (with ://).",
                file=sys.stderr,
            )
        return 2

    from walkthrough.catalog.loading import load_catalog, load_paths

    skipped: list[Path] = []
    catalog = None
    if paths:
        catalog = load_paths(paths, args.guides_dir)
    elif not urls:
        catalog = load_catalog(args.guides_dir)
    if catalog is not None:
        report_folders(catalog, "optout-tui check-links")
        # A folder that cannot be read counts as skipped: its links were not checked.
        skipped = list(catalog.failed) + [p.path for p in catalog.folder_problems]
        for path in catalog.failed:
            shown = shown_path(path)
            print(
                f"optout-tui check-links: skipped {shown}: it has errors (see `optout-tui validate {shown}`).",
                file=sys.stderr,
            )

    from walkthrough.linkcheck import targets as found

    targets = found.merge(found.collect(catalog) if catalog is not None else [], found.direct(urls))
    if not targets:
        print("optout-tui check-links: no links to check.", file=sys.stderr)
        if args.json:
            print("[]")
        return 1 if skipped else 0

    hosts = {found.host_key(t.url) for t in targets}
    address_word = "address" if len(targets) == 1 else "addresses"
    site_word = "site" if len(hosts) == 1 else "sites"
    print(
        f"optout-tui check-links uses the network: it will contact up to {len(hosts)} {site_word} "
        f"to check {len(targets)} {address_word}.",
        file=sys.stderr,
    )

    # Only now, with a reason to use the network, does httpx come in.
    from walkthrough.linkcheck import report
    from walkthrough.linkcheck.checker import Checker

    checker = Checker(concurrency=args.concurrency, per_host=args.per_host, timeout=args.timeout)
    progress = _Progress(len(targets))
    started = time.monotonic()
    try:
        results = checker.run([t.url for t in targets], on_done=progress.advance)
    finally:
        progress.close()
    seconds = time.monotonic() - started

    if args.json:
        import json

        print(json.dumps(report.json_rows(targets, results), indent=2))
    else:
        # Addresses, guide names and servers' answers come from outside: one safe line each.
        print("\n".join(visible(line) for line in report.report_lines(targets, results)))
    print(report.summary(targets, results, seconds), file=sys.stderr)

    counts = {o: sum(r.outcome == o for r in results.values()) for o in report.OUTCOMES}
    if len(results) > 1 and all(r.status is None for r in results.values()):
        # Every link failing the same way usually means this computer, not the guides.
        print("No site answered at all: is this computer offline, or behind a proxy?", file=sys.stderr)
    if counts["blocked"]:
        print("Blocked links turn scripts away; open them in a browser to see if they still work.", file=sys.stderr)
    if counts["rate_limited"]:
        print("Some sites asked for fewer requests; try again later or with a lower --per-host.", file=sys.stderr)

    if skipped or report.failing(results.values()):
        return 1
    return 0
