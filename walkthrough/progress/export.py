"""The text of `optout-tui progress export`: a personal record to keep as proof of an objection.

Markdown is for people (it prints well: headings and lists, no wide tables);
JSON is for programs. Both include guides that were reset, because their
history still proves what was done and when.
"""

from __future__ import annotations

import datetime
import json

from walkthrough import __version__
from walkthrough.progress.report import Report, field_labels, label_for, local_time
from walkthrough.progress.status import state_words

ACTION_WORDS = {
    "done": "Marked done",
    "skipped": "Marked skipped",
    "unmarked": "Marked not done again",
    "reset": "Progress forgotten (reset)",
}


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def _flat(text: str) -> str:
    """User-typed text on one line, so it cannot break the list it sits in."""
    return " ".join(str(text).split())


def export_markdown(report: Report) -> str:
    ids = report.ids(with_history=True)
    out = [
        "# My record of opting out of AI training",
        "",
        "What I did to stop platforms using my data to train AI, and when. Kept by optout-tui on my own computer.",
        "",
        f"Made on {local_time(_now(), offset=True)}. Times are my local time, with the difference from UTC.",
    ]
    if not ids:
        out += ["", "Nothing has been recorded yet."]
    for gid in ids:
        out += ["", *_guide_markdown(report, gid)]
    return "\n".join(out) + "\n"


def _guide_markdown(report: Report, gid: str) -> list[str]:
    loaded = report.catalog.guides.get(gid)
    status = report.status(gid)
    title = f"{loaded.guide.name}: {loaded.guide.title}" if loaded else gid
    lines = [f"## {_flat(title)}", ""]
    if loaded is None:
        lines.append("This guide is no longer installed; below is what was recorded.")
    elif gid not in report.records or status is None:
        lines.append("Progress on this guide was reset; the history below is what was recorded.")
    else:
        where = f"Where I stand: {state_words(status)}."
        if status.recheck_on and status.state in ("done", "recheck_due"):
            where += f" Check again from {status.recheck_on.isoformat()}."
        lines.append(where)

    for row in report.rows(gid):
        record = row.record
        if record is None:
            continue
        lines += ["", f"### {_flat(row.title)}", ""]
        if record.status and record.at:
            lines.append(f"- {record.status.capitalize()}: {local_time(record.at, offset=True)}")
        else:
            lines.append("- Not marked done")
        if row.state == "changed":
            lines.append("- The guide changed this step after I did it.")
        if row.link:
            lines.append(f"- Page: <{row.link}>")
        for name, value in record.fields.items():
            lines.append(f"- {label_for(name, row.labels)}: {_flat(value)}")

    events = [e for e in report.history if e.guide_id == gid]
    if events:
        steps = report.steps_by_id(gid)
        lines += ["", "### History, oldest first", ""]
        for event in events:
            step = steps.get(event.step_id)
            what = f"- {local_time(event.at, offset=True)}: {ACTION_WORDS.get(event.action, event.action)}"
            what += f": {_flat(step.title if step else event.step_id)}"
            labels = field_labels(step, report.catalog.templates) if step else {}
            saved = "; ".join(f"{label_for(k, labels)}: {_flat(v)}" for k, v in event.fields.items())
            lines.append(what + (f" ({saved})" if saved else ""))
    return lines


def export_json(report: Report) -> str:
    guides = []
    for gid in report.ids(with_history=True):
        loaded = report.catalog.guides.get(gid)
        status = report.status(gid) if gid in report.records else None
        steps = report.steps_by_id(gid)
        guides.append(
            {
                "id": gid,
                "name": report.name(gid),
                "title": loaded.guide.title if loaded else None,
                "installed": loaded is not None,
                "state": status.state if status else None,
                "finished_at": status.finished_at.isoformat() if status and status.finished_at else None,
                "recheck_on": status.recheck_on.isoformat() if status and status.recheck_on else None,
                "steps": [
                    {
                        "id": row.id,
                        "title": row.title,
                        "link": row.link,
                        "status": row.record.status,
                        "at": row.record.at.isoformat() if row.record.at else None,
                        "fingerprint": row.record.fingerprint,
                        "changed": row.state == "changed",
                        "fields": dict(row.record.fields),
                    }
                    for row in report.rows(gid)
                    if row.record is not None
                ],
                "history": [
                    {
                        "at": e.at.isoformat(),
                        "step_id": e.step_id,
                        "step_title": steps[e.step_id].title if e.step_id in steps else None,
                        "action": e.action,
                        "fingerprint": e.fingerprint,
                        "fields": e.fields,
                    }
                    for e in report.history
                    if e.guide_id == gid
                ],
            }
        )
    record = {
        "kind": "optout-tui progress record",
        "version": 1,
        "app": f"optout-tui {__version__}",
        "exported_at": _now().isoformat(),
        "guides": guides,
    }
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"
