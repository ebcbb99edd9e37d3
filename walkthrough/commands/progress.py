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
    from ..progress import StoreError

    try:
        return _run(args)
    except (StoreError, _Stop) as exc:
        print(f"optout-tui: {exc}", file=sys.stderr)
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

    from ..progress import ProgressStore, default_path

    if not default_path().exists() and action != "list":
        raise _Stop("you have not saved any progress yet, so there is nothing to " + action + ".")
    if not default_path().exists() and guide is None:
        # Listing must not create a store (or fail on a read-only disk) just to say there is nothing.
        print("[]" if args.json else "You have not marked any steps yet. Start with: optout-tui")
        return 0

    store, notice = ProgressStore.open_default()
    if notice:
        print(f"optout-tui: {notice}", file=sys.stderr)
    try:
        from ..catalog import load_catalog

        report = _Report(store, load_catalog(args.guides_dir))
        if action == "reset":
            return _reset(report, store, guide, args.yes)
        if action == "export":
            from .progress_export import export_json, export_markdown

            text = export_json(report) if args.format == "json" or args.json else export_markdown(report)
            return _deliver(text, args.output, args.force)
        return _list(report, guide, args.json)
    finally:
        store.close()


# ---- what the user has done, joined with the guides as they are now -------------------


class _Report:
    def __init__(self, store, catalog) -> None:
        import datetime

        from ..status import guide_status

        self.catalog = catalog
        self.country = store.get_setting("region")
        self.records = store.all()
        self.history = store.history()
        self.today = datetime.date.today()
        self._guide_status = guide_status

    def ids(self, with_history: bool = False) -> list[str]:
        ids = set(self.records) | ({e.guide_id for e in self.history} if with_history else set())
        return sorted(ids, key=lambda gid: (self.name(gid).lower(), gid))

    def name(self, gid: str) -> str:
        loaded = self.catalog.guides.get(gid)
        return loaded.guide.name if loaded else gid

    def status(self, gid: str):
        loaded = self.catalog.guides.get(gid)
        return self._guide_status(loaded, self.records.get(gid, {}), self.country, self.today) if loaded else None

    def find(self, wanted: str) -> str | None:
        """A guide id from what the user typed: its id or its name, in any case."""
        if wanted in self.catalog.guides or wanted in self.records:
            return wanted
        lowered = wanted.lower()
        for gid, loaded in self.catalog.guides.items():
            if lowered in (gid.lower(), loaded.guide.name.lower()):
                return gid
        return next((gid for gid in self.records if gid.lower() == lowered), None)

    def rows(self, gid: str) -> list[dict]:
        """One row per step: the guide's steps in order, then records of steps it no longer has."""
        from ..status import step_state

        loaded = self.catalog.guides.get(gid)
        records = self.records.get(gid, {})
        rows = []
        for step in loaded.guide.steps if loaded else []:
            record = records.get(step.id)
            rows.append(
                {
                    "id": step.id,
                    "title": step.title,
                    "link": step.link.url if step.link else None,
                    "state": step_state(step, record, self.country),
                    "record": record,
                    "labels": field_labels(step, self.catalog.templates),
                }
            )
        known = {row["id"] for row in rows}
        for sid, record in records.items():
            if sid not in known:
                state = record.status or "todo"
                rows.append({"id": sid, "title": sid, "link": None, "state": state, "record": record, "labels": {}})
                rows[-1]["gone"] = True
        return rows


def field_labels(step, shared) -> dict[str, str]:
    labels = {r.name: r.label for r in step.record}
    if step.template:
        from ..templates import resolve

        for blank in resolve(step.template, shared).blanks:
            labels.setdefault(blank.name, blank.label)
    return labels


def label_for(name: str, labels: dict[str, str]) -> str:
    return labels.get(name) or name.replace("_", " ").capitalize()


def local_time(moment, offset: bool = False) -> str:
    """The user's clock: what they remember. With `offset`, unambiguous for a printed record."""
    here = moment.astimezone()
    text = here.strftime("%Y-%m-%d %H:%M")
    if offset:
        z = here.strftime("%z")
        text += f" (UTC{z[:3]}:{z[3:]})" if z else ""
    return text


STATE_LABELS = {
    "done": "Done",
    "skipped": "Skipped",
    "todo": "To do",
    "changed": "Changed",
    "not_here": "Not for you",
}


# ---- progress [GUIDE] [--json] ------------------------------------------------------


def _list(report: _Report, wanted: str | None, as_json: bool) -> int:
    if wanted is not None:
        gid = report.find(wanted)
        if gid is None:
            raise _Stop(_unknown(wanted, report))
        ids = [gid]
    else:
        ids = report.ids()
    if as_json:
        import json

        print(json.dumps([_guide_json(report, gid) for gid in ids], indent=2, ensure_ascii=False))
        return 0
    if not ids:
        print("You have not marked any steps yet. Start with: optout-tui")
        return 0
    blocks = [_guide_text(report, gid) for gid in ids]
    print("\n\n".join(blocks))
    if any(row["state"] == "changed" for gid in ids for row in report.rows(gid)):
        print("\nChanged: the guide changed this step after you did it. Open the guide and look at it again.")
    return 0


def _guide_text(report: _Report, gid: str) -> str:
    from ..status import state_words

    status = report.status(gid)
    if status is None:
        lines = [f"{gid}: this guide is no longer installed. What you saved:"]
    else:
        lines = [f"{report.name(gid)}: {state_words(status)}"]
        if status.state in ("done", "recheck_due") and status.recheck_on:
            lines[0] += f" (check again from {status.recheck_on.isoformat()})"
    width = max(len(label) for label in STATE_LABELS.values())
    for row in report.rows(gid):
        record = row["record"]
        when = local_time(record.at) if record and record.at else ""
        title = row["title"] + (" (no longer in the guide)" if row.get("gone") else "")
        lines.append(f"  {STATE_LABELS[row['state']]:<{width}}  {when:<16}  {title}".rstrip())
        for name, value in (record.fields if record else {}).items():
            lines.append(f"  {'':<{width}}  {'':<16}    {label_for(name, row['labels'])}: {_one_line(value)}")
    return "\n".join(lines)


def _guide_json(report: _Report, gid: str) -> dict:
    status = report.status(gid)
    loaded = report.catalog.guides.get(gid)
    out = {
        "id": gid,
        "name": report.name(gid),
        "installed": loaded is not None,
        "state": status.state if status else None,
        "done": status.done if status else None,
        "total": status.total if status else None,
        "finished_at": status.finished_at.isoformat() if status and status.finished_at else None,
        "recheck_on": status.recheck_on.isoformat() if status and status.recheck_on else None,
        "steps": [],
    }
    for row in report.rows(gid):
        record = row["record"]
        out["steps"].append(
            {
                "id": row["id"],
                "title": row["title"],
                "status": record.status if record else None,
                "state": row["state"],
                "at": record.at.isoformat() if record and record.at else None,
                "fields": dict(record.fields) if record else {},
            }
        )
    return out


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _unknown(wanted: str, report: _Report) -> str:
    touched = report.ids()
    if not touched:
        return f"you have no saved progress on '{wanted}', nor on any other guide."
    return f"you have no saved progress on '{wanted}'. Guides with progress: {', '.join(touched)}."


# ---- progress reset GUIDE ------------------------------------------------------------


def _reset(report: _Report, store, wanted: str | None, yes: bool) -> int:
    if wanted is None:
        raise _Stop("say which guide to forget, for example: optout-tui progress reset linkedin")
    gid = report.find(wanted)
    count = len(report.records.get(gid, {})) if gid else 0
    if not count:
        raise _Stop(_unknown(wanted, report))
    name = report.name(gid)
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
    print(f"Saved your record to {path}.", file=sys.stderr)
    return 0


def _write_new(path, text: str, force: bool) -> None:
    """Write all or nothing: a reader never sees half a file, and an existing one is kept unless --force."""
    import os
    import tempfile

    if path.exists() and not force:
        raise _Stop(f"{path} already exists. Add --force to replace it, or choose another name.")
    if path.is_dir():
        raise _Stop(f"{path} is a folder. Give a file name, for example {path / 'my-opt-outs.md'}.")
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
