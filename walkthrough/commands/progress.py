"""`optout-tui progress`: see, export or reset what you have done, and record a reply.

    optout-tui progress [GUIDE] [--json]          what you did, guide by guide
    optout-tui progress export [--format markdown|html|json] [-o FILE] [--force]
    optout-tui progress reply GUIDE [--date DATE] [--said TEXT] [--case NUMBER] [--more-time] [--step N]
    optout-tui progress reset GUIDE [--yes]

The export is the user's proof of an objection, so it includes the dated
history (kept even after a step was undone or a guide reset), every letter as
copied, replies, the law and the due date. `reply` records what a company
answered to a letter or form (the date defaults to today), which ends the wait
or, with --more-time, moves the due date as the law allows. Every failure is
one plain line on stderr and exit 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from walkthrough.safe_text import json_text, visible

if TYPE_CHECKING:
    from walkthrough.progress.report import Report

ACTIONS = ("list", "export", "reset", "reply")


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument(
        "action",
        nargs="?",
        default="list",
        metavar="ACTION",
        help=(
            "nothing (list what you have done), `export` (a record to keep), "
            "`reply GUIDE` (record a company's answer) or `reset GUIDE` (forget a guide)"
        ),
    )
    parser.add_argument(
        "guide", nargs="?", metavar="GUIDE", help="the guide to reset or reply to, or the only one to list"
    )
    parser.add_argument("--json", action="store_true", help="list as JSON for other programs")
    parser.add_argument(
        "--format",
        choices=["markdown", "html", "json"],
        default="markdown",
        help="export: markdown (default), html (a page to print) or json",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="export: write to FILE instead of the screen")
    parser.add_argument("--force", action="store_true", help="export: replace FILE if it exists")
    parser.add_argument("-y", "--yes", action="store_true", help="reset: do not ask first")
    parser.add_argument("--date", metavar="DATE", help="reply: the day the answer came (default: today)")
    parser.add_argument("--said", metavar="TEXT", default="", help="reply: what they said, in a few words")
    parser.add_argument("--case", metavar="NUMBER", default="", help="reply: the case or ticket number they gave")
    parser.add_argument(
        "--more-time", action="store_true", help="reply: they said they need more time (the due date moves)"
    )
    parser.add_argument(
        "--step", metavar="N", help="reply: which letter, by its step number, when the guide has several"
    )


class _Stop(Exception):
    """A plain-language reason to stop with exit status 1."""


def run(args: argparse.Namespace) -> int:
    from walkthrough.progress.store import StoreError

    try:
        return _run(args)
    except (StoreError, _Stop) as exc:
        print(f"optout-tui: {visible(exc)}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    action, guide = args.action, args.guide
    if action not in ACTIONS:
        if guide is not None:
            raise _Stop(
                f"there is no `progress {action}`: use `progress`, `progress export`, `progress reply GUIDE` "
                "or `progress reset GUIDE`."
            )
        action, guide = "list", action  # `optout-tui progress linkedin`: just that guide
    if action in ("list", "export", "reset") and _reply_only(args):
        raise _Stop("--date, --said, --case, --more-time and --step are for `progress reply GUIDE`.")
    if action == "export" and guide is not None:
        raise _Stop("`progress export` takes no guide: it exports everything you have done.")

    from walkthrough import paths
    from walkthrough.progress.store import ProgressStore

    if not paths.progress_file().exists() and action != "list":
        if action == "reply":
            raise _Stop("you have not saved any progress yet: send a letter with the app first, then record its reply.")
        raise _Stop("you have not saved any progress yet, so there is nothing to " + action + ".")
    if not paths.progress_file().exists() and guide is None:
        # Listing must not create a store (or fail on a read-only disk) just to say there is nothing.
        print("[]" if args.json else "You have not marked any steps yet. Start with: optout-tui")
        return 0

    store, notice = ProgressStore.open_default()
    if notice and not (store.read_only and action == "reset"):  # a reset that cannot be saved says so itself
        print(f"optout-tui: {visible(notice)}", file=sys.stderr)
    try:
        from walkthrough.catalog.loading import load_catalog
        from walkthrough.progress.report import Report

        report = Report(store, load_catalog(args.guides_dir))
        if action == "reset":
            return _reset(report, store, guide, args.yes)
        if action == "reply":
            return _reply(report, store, guide, args)
        if action == "export":
            from walkthrough.progress.export import export

            return _deliver(export(report, "json" if args.json else args.format), args.output, args.force)
        return _list(report, guide, args.json)
    finally:
        store.close()


# ---- progress [GUIDE] [--json] ------------------------------------------------------


def _list(report: Report, wanted: str | None, as_json: bool) -> int:
    if wanted is not None:
        gid = report.find(wanted)
        if gid is None:
            raise _Stop(_unknown(wanted, report))
        ids = [gid]
    else:
        ids = report.ids()
    if as_json:
        import json

        print(json_text(json.dumps([_guide_json(report, gid) for gid in ids], indent=2, ensure_ascii=False)))
        return 0
    if not ids:
        print("You have not marked any steps yet. Start with: optout-tui")
        return 0
    # Guide names and titles come from guide files, the values from what was typed: shown, never obeyed.
    blocks = [visible(_guide_text(report, gid), keep_lines=True) for gid in ids]
    print("\n\n".join(blocks))
    if any(row.state == "changed" for gid in ids for row in report.rows(gid)):
        print("\nChanged: the guide changed this step after you did it. Open the guide and look at it again.")
    return 0


def _guide_text(report: Report, gid: str) -> str:
    from walkthrough import dates
    from walkthrough.progress.report import label_for, local_time
    from walkthrough.progress.status import STEP_STATE_WORDS, state_words

    status = report.status(gid)
    if status is None:
        lines = [f"{gid}: this guide is no longer installed. What you saved:"]
    else:
        lines = [f"{report.name(gid)}: {state_words(status)}"]
        if status.state in ("done", "recheck_due") and status.recheck_on:
            lines[0] += f" (check again from {status.recheck_on.isoformat()})"
    follow_up = report.follow_up(gid)
    if follow_up is not None:
        lines.append(f"  {_follow_up_line(report, follow_up)}")
    width = max(len(label) for label in STEP_STATE_WORDS.values())
    for row in report.rows(gid):
        record = row.record
        when = local_time(record.at) if record and record.at else ""
        title = row.title + (" (no longer in the guide)" if row.gone else "")
        lines.append(f"  {STEP_STATE_WORDS[row.state]:<{width}}  {when:<16}  {title}".rstrip())
        for name, value in (record.fields if record else {}).items():
            shown = dates.stored_words(value)  # a date field is kept as 2026-11-23 and read as 23 November 2026
            lines.append(f"  {'':<{width}}  {'':<16}    {label_for(name, row.labels)}: {_one_line(shown)}")
    return "\n".join(lines)


def _follow_up_line(report: Report, follow_up) -> str:
    from walkthrough.progress.status import due_words, follow_up_words

    line = follow_up_words(follow_up)
    if follow_up.state == "overdue":
        line += f" ({due_words(follow_up)[:-1]}). See the record: optout-tui progress export"
    return line


def _guide_json(report: Report, gid: str) -> dict:
    from walkthrough.progress.status import follow_up_words

    status = report.status(gid)
    follow_up = report.follow_up(gid)
    steps = [
        {
            "id": row.id,
            "title": row.title,
            "status": row.record.status if row.record else None,
            "state": row.state,
            "at": row.record.at.isoformat() if row.record and row.record.at else None,
            "fields": dict(row.record.fields) if row.record else {},
        }
        for row in report.rows(gid)
    ]
    return {
        "id": gid,
        "name": report.name(gid),
        "installed": gid in report.catalog.guides,
        "state": status.state if status else None,
        "done": status.done if status else None,
        "total": status.total if status else None,
        "finished_at": status.finished_at.isoformat() if status and status.finished_at else None,
        "recheck_on": status.recheck_on.isoformat() if status and status.recheck_on else None,
        "follow_up": {
            "step_id": follow_up.step_id,
            "state": follow_up.state,
            "words": follow_up_words(follow_up),
            "sent_on": follow_up.sent_on.isoformat(),
            "due_on": follow_up.due_on.isoformat(),
            "binding": follow_up.binding,
        }
        if follow_up
        else None,
        "steps": steps,
    }


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _unknown(wanted: str, report: Report) -> str:
    touched = report.ids()
    if not touched:
        return f"you have no saved progress on '{wanted}', nor on any other guide."
    return f"you have no saved progress on '{wanted}'. Guides with progress: {', '.join(touched)}."


# ---- progress reset GUIDE ------------------------------------------------------------


def _reset(report: Report, store, wanted: str | None, yes: bool) -> int:
    if wanted is None:
        raise _Stop("say which guide to forget, for example: optout-tui progress reset linkedin")
    gid = report.find(wanted)
    count = len(report.records.get(gid, {})) if gid else 0
    if gid is None or not count:
        raise _Stop(_unknown(wanted, report))
    name = visible(report.name(gid))
    steps = f"{count} step{'s' if count != 1 else ''}"
    if not yes:
        if not sys.stdin or not sys.stdin.isatty():
            raise _Stop(f"to forget your progress on {name} without being asked, add --yes.")
        sys.stderr.write(f"Forget your progress on {name} ({steps})? [y/N] ")
        sys.stderr.flush()
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            print("Nothing was changed.")
            return 0
    removed = store.reset(gid)
    steps = f"{removed} step{'s' if removed != 1 else ''}"
    print(
        f"Forgot your progress on {name} ({steps}). "
        "The dated history is kept as your proof: see `optout-tui progress export`."
    )
    return 0


# ---- progress reply GUIDE ------------------------------------------------------------


def _reply_only(args: argparse.Namespace) -> bool:
    return bool(args.date or args.said or args.case or args.more_time or args.step)


def _reply(report: Report, store, wanted: str | None, args: argparse.Namespace) -> int:
    import datetime

    from walkthrough import dates
    from walkthrough.safe_text import visible

    if wanted is None:
        raise _Stop("say which guide the answer is about, for example: optout-tui progress reply linkedin --case 12345")
    gid = report.find(wanted)
    if gid is None or gid not in report.catalog.guides:
        raise _Stop(_unknown(wanted, report))
    steps = report.catalog.guides[gid].guide.steps
    name = report.name(gid)
    step = _letter_step(report, gid, args.step)
    today = datetime.date.today()
    received = today
    if args.date:
        reading = dates.read(args.date, today, future=False)
        if reading.ambiguous:
            raise _Stop(
                f"{reading.question()} Write the month in words, for example --date '{dates.words(reading.choices[0])}'."
            )
        if reading.date is None:
            raise _Stop(reading.problem or "that date cannot be read.")
        received = reading.date
    follow_up = report.follow_ups(gid).get(step.id)
    if follow_up is not None and received < follow_up.sent_on:
        raise _Stop(
            f"{dates.words(received)} is before you sent it ({dates.words(follow_up.sent_on)}). Check the date."
        )
    store.record_reply(
        gid,
        step.id,
        received_on=received,
        said=args.said.strip(),
        case_number=args.case.strip(),
        more_time=args.more_time,
    )
    number = next(i for i, s in enumerate(steps, start=1) if s.id == step.id)
    from walkthrough.progress.report import Report as Reread
    from walkthrough.progress.status import follow_up_words

    after = Reread(store, report.catalog, today=today).follow_ups(gid).get(step.id)
    now = f" Now: {follow_up_words(after)}." if after else ""
    print(f"Recorded {visible(name)}'s reply of {dates.words(received)} to step {number}, {visible(step.title)}.{now}")
    return 0


def _letter_step(report: Report, gid: str, wanted: str | None):
    """The letter or form step a reply answers: the one asked for, else the only one sent, else the one waiting."""
    from walkthrough.progress.status import SENDING_KINDS

    steps = report.catalog.guides[gid].guide.steps
    records = report.records.get(gid, {})
    name = report.name(gid)
    if wanted is not None:
        if wanted.isdigit() and 1 <= int(wanted) <= len(steps):
            return steps[int(wanted) - 1]
        found = next((s for s in steps if s.id == wanted), None)
        if found is None:
            raise _Stop(f"{name} has no step {wanted}. Its steps are numbered 1 to {len(steps)}.")
        return found
    sent = [s for s in steps if s.kind in SENDING_KINDS and records.get(s.id) and records[s.id].status == "done"]
    if not sent:
        raise _Stop(
            f"you have not marked a letter or form of {name} as sent yet. Mark it done in the app first, "
            "or say which step with --step N."
        )
    if len(sent) == 1:
        return sent[0]
    waiting = [s for s in sent if (f := report.follow_ups(gid).get(s.id)) and f.state != "answered"]
    if len(waiting) == 1:
        return waiting[0]
    numbers = ", ".join(f"{steps.index(s) + 1} ({s.title})" for s in (waiting or sent))
    raise _Stop(f"{name} has several letters you sent: steps {numbers}. Say which with --step N.")


# ---- export: writing the file --------------------------------------------------------


def _deliver(text: str, output: str | None, force: bool) -> int:
    if output is None or output == "-":
        sys.stdout.write(text)
        return 0
    from pathlib import Path

    from walkthrough.progress.export import ExportError, write_new

    try:
        path = write_new(Path(output).expanduser(), text, replace=force)
    except ExportError as exc:
        raise _Stop(str(exc)) from None
    print(f"Saved your record to {visible(path.resolve())}. Only you can read it.", file=sys.stderr)
    return 0
