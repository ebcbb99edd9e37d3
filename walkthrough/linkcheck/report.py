"""What the check found, in plain words: a report for people, rows for programs.

Every distinct address gets exactly one outcome:

ok            the page answers (also after a redirect that changes nothing worth
              editing: http to https, an added or dropped trailing slash, a
              fragment, or a sign-in page that comes back to the link)
redirect      the page answers, but at another address the guide should use
broken        an HTTP error (404, 410, 500, a redirect with nowhere to go, ...)
timeout       no answer within --timeout
error         no HTTP answer at all (DNS, refused, TLS, not a web address,
              redirects in a loop), said in plain words
rate_limited  the site said "too many requests" twice
blocked       the site turns scripts away (403 to HEAD and GET, LinkedIn's 999,
              a Cloudflare challenge, 401): not proof the link is broken

Only broken, timeout and error mean a guide needs fixing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from walkthrough.linkcheck.targets import Target, Use

OUTCOMES = ("ok", "redirect", "broken", "timeout", "error", "rate_limited", "blocked")
FAILING = frozenset({"broken", "timeout", "error"})


@dataclass
class Result:
    url: str
    outcome: str
    status: int | None = None
    final_url: str | None = None  # where the check ended, after any redirects
    error: str | None = None  # why, in plain words, for every outcome but ok and redirect
    note: str | None = None  # what is worth knowing about an ok or a redirect


def failing(results: Iterable[Result]) -> list[Result]:
    return [r for r in results if r.outcome in FAILING]


def _placed(targets: list[Target], results: dict[str, Result]) -> list[tuple[Use, Result]]:
    """Every use of every link, ordered by guide (as first met), then steps in order, then sources."""
    guide_order: dict[str | None, int] = {}
    rows = []
    for target in targets:
        for use in target.uses:
            guide_order.setdefault(use.guide, len(guide_order))
            rows.append((use, results[target.url]))
    # Links given on the command line go last, whatever order they came in.
    last = len(guide_order)
    rows_keyed = [
        (
            (
                last if use.guide is None else guide_order[use.guide],
                {"guide": 0, "step": 1, "source": 2}.get(use.kind, 0),
                use.step_number or 0,
                seq,
            ),
            (use, result),
        )
        for seq, (use, result) in enumerate(rows)
    ]
    return [row for _, row in sorted(rows_keyed, key=lambda item: item[0])]


def json_rows(targets: list[Target], results: dict[str, Result]) -> list[dict]:
    return [
        {
            "url": result.url,
            "outcome": result.outcome,
            "status": result.status,
            "final_url": result.final_url,
            "guide": use.guide,
            "step": use.step,
            "kind": use.kind,
            "error": result.error,
            "note": result.note,
        }
        for use, result in _placed(targets, results)
    ]


def report_lines(targets: list[Target], results: dict[str, Result]) -> list[str]:
    """The readable report: a heading per guide, then per step, then its sources; addresses from the command line last."""
    lines: list[str] = []
    width = max(len(o) for o in OUTCOMES) + 2
    guide: object = object()
    group: object = object()
    for use, result in _placed(targets, results):
        if use.guide != guide:
            guide, group = use.guide, object()
            if lines:
                lines.append("")
            if use.guide is None:
                lines.append("Links given on the command line")
            else:
                lines.append(f"{use.guide_name} ({use.file})")
        here = (use.kind, use.step)
        if here != group and use.kind != "url":
            group = here
            heading = {"step": f"  Step {use.step_number}: {use.step_title}", "guide": "  About the guide"}
            lines.append(heading.get(use.kind, "  Sources"))
        lines.append(f"    {result.outcome:<{width}}{result.url}")
        detail = result.note if result.outcome in ("ok", "redirect") else result.error
        if detail:
            lines.append(f"    {'':<{width}}{detail}")
    return lines


def summary(targets: list[Target], results: dict[str, Result], seconds: float) -> str:
    uses = sum(len(t.uses) for t in targets)
    counts = {o: 0 for o in OUTCOMES}
    for target in targets:
        counts[results[target.url].outcome] += 1
    said = ", ".join(f"{n} {o}" for o, n in counts.items() if n)
    addresses = "address" if len(targets) == 1 else "addresses"
    used = "" if uses == len(targets) else f" (used {uses} times)"
    return f"Checked {len(targets)} {addresses}{used} in {seconds:.1f} s: {said}."
