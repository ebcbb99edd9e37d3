"""`optout-tui progress`: see, export or reset what you have done.

    optout-tui progress [GUIDE] [--json]          what you did, guide by guide
    optout-tui progress export [--format markdown|json] [-o FILE] [--force]
    optout-tui progress reset GUIDE [--yes]

The export is the user's proof of an objection, so it includes the dated
history (kept even after a step was undone or a guide reset), the saved fields
and each step's link. Every failure is one plain line on stderr and exit 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from walkthrough.safe_text import json_text, visible

if TYPE_CHECKING:
    from walkthrough.progress.report import Report

ACTIONS = ("list", "export", "reset")


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument(
        "action",
        nargs="?",
        default="list",
        metavar="ACTION",
        help="nothing (list what you have done), `export` (a record to keep) or `reset GUIDE` (forget a guide)",
    )
    parser.add_argument("guide", nargs="?", metavar="GUIDE", help="the guide to reset, or the only one to list")
    parser.add_argument("--json", action="store_true", help="list as JSON for other programs")
    parser.add_argument(
        "--format", choices=["markdown", "json"], default="markdown", help="export: markdown (default) or json"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="export: write to FILE instead of the screen")
    parser.add_argument("--force", action="store_true", help="export: replace FILE if it exists")
    parser.add_argument("-y", "--yes", action="store_true", help="reset: do not ask first")


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
                f"there is no `progress {action}`: use `progress`, `progress export` or `progress reset GUIDE`."
            )
        action, guide = "list", action  # `optout-tui progress linkedin`: just that guide
    if action == "export" and guide is not None:
        raise _Stop("`progress export` takes no guide: it exports everything you have done.")

    from walkthrough import paths
    from walkthrough.progress.store import ProgressStore

    if not paths.progress_file().exists() and action != "list":
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
        if action == "export":
            from walkthrough.progress.export import export_json, export_markdown

            # Guide text and typed values are shown, never obeyed: a terminal (or a later `cat`) gets no escapes.
            if args.format == "json" or args.json:
                text = json_text(export_json(report))
            else:
                text = visible(export_markdown(report), keep_lines=True)
            return _deliver(text, args.output, args.force)
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
    from walkthrough.progress.report import label_for, local_time
    from walkthrough.progress.status import STEP_STATE_WORDS, state_words

    status = report.status(gid)
    if status is None:
        lines = [f"{gid}: this guide is no longer installed. What you saved:"]
    else:
        lines = [f"{report.name(gid)}: {state_words(status)}"]
        if status.state in ("done", "recheck_due") and status.recheck_on:
            lines[0] += f" (check again from {status.recheck_on.isoformat()})"
    width = max(len(label) for label in STEP_STATE_WORDS.values())
    for row in report.rows(gid):
        record = row.record
        when = local_time(record.at) if record and record.at else ""
        title = row.title + (" (no longer in the guide)" if row.gone else "")
        lines.append(f"  {STEP_STATE_WORDS[row.state]:<{width}}  {when:<16}  {title}".rstrip())
        for name, value in (record.fields if record else {}).items():
            lines.append(f"  {'':<{width}}  {'':<16}    {label_for(name, row.labels)}: {_one_line(value)}")
    return "\n".join(lines)


def _guide_json(report: Report, gid: str) -> dict:
    status = report.status(gid)
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


# ---- export: writing the file --------------------------------------------------------


def _deliver(text: str, output: str | None, force: bool) -> int:
    if output is None or output == "-":
        sys.stdout.write(text)
        return 0
    from pathlib import Path

    path = Path(output).expanduser()
    _write_new(path, text, force)
    print(f"Saved your record to {visible(path)}.", file=sys.stderr)
    return 0


def _write_new(path, text: str, force: bool) -> None:
    """Write all or nothing: a reader never sees half a file, and an existing one is kept unless --force.

    Only a regular file is ever replaced: a device (/dev/null, a disk), a pipe
    or a link is refused even with --force, since renaming over it would
    replace the device node itself (as root) or leave the link's file alone.
    """
    import os
    import stat
    import tempfile

    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _Stop(f"cannot write {path} ({exc.strerror or exc}).") from None
    if st is not None:
        if path.is_dir():
            raise _Stop(f"{path} is a folder. Give a file name, for example {path / 'my-opt-outs.md'}.")
        if stat.S_ISLNK(st.st_mode):
            raise _Stop(
                f"{path} is a link to another file, so it is not replaced. "
                f"Give the file's own name ({os.path.realpath(path)}) or another name."
            )
        if not stat.S_ISREG(st.st_mode):
            raise _Stop(
                f"{path} is not an ordinary file (it is a device or a pipe), so it is never replaced. "
                "Choose another name."
            )
        if not force:
            raise _Stop(f"{path} already exists. Add --force to replace it, or choose another name.")
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _Stop(f"cannot write in {path.parent} ({exc.strerror or exc}).") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the file appeared meanwhile: never replace it by surprise
            except FileExistsError:
                raise _Stop(f"{path} already exists. Add --force to replace it, or choose another name.") from None
            except OSError:
                # Some file systems have no hard links; the check above has to do.
                os.replace(tmp, path)
    except OSError as exc:
        raise _Stop(f"cannot write {path} ({exc.strerror or exc}).") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
