"""The record to keep, built once: what every export says, and the JSON format's definition.

`build(report)` gathers, per platform, what the user did and when, each letter
exactly as copied (every version), the date sent, replies and case numbers,
the law each letter relies on and the user's country, the due date and where
it stands, and for setting steps what the guide said the screen would show.
Markdown, HTML and JSON are three renderings of this one object, so they
cannot say different things.

The types below are the JSON format (`optout-tui progress export --format
json`). Their descriptions make the JSON Schema in docs/record-schema.json:

    python -m walkthrough.progress.record --write

A test fails when that file is out of date. Change `VERSION` when a change
would break a program reading the old format (a field removed or renamed, a
meaning changed); adding a field does not.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct

from walkthrough import __version__, dates
from walkthrough.content import authorities, laws, regions
from walkthrough.content.model import Step
from walkthrough.progress import status as rules
from walkthrough.progress.report import Report, StepRow, field_labels, label_for
from walkthrough.progress.store import Letter, Reply, StepRecord

KIND: Literal["optout-tui progress record"] = "optout-tui progress record"
VERSION: Literal[2] = 2
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "record-schema.json"

# Steps that are proof by their nature; other steps are in the record only when
# the user kept something on them (a case number, a date), so "Sign in" is not.
PROOF_KINDS = frozenset({"setting", "check", "form", "email"})

ACTION_WORDS = {
    "done": "Marked done",
    "skipped": "Marked skipped",
    "unmarked": "Marked not done again",
    "reset": "Progress forgotten (reset)",
}


def _d(text: str):  # a field's documentation, for the JSON Schema
    return Meta(description=text)


class Country(Struct, kw_only=True):
    """A country, as the user chose it in optout-tui."""

    code: Annotated[str, _d("ISO 3166 country code, for example `DE`.")]
    name: Annotated[str, _d("Its name in English.")]


class LawInfo(Struct, kw_only=True):
    """A law a letter relies on."""

    id: Annotated[
        str, _d("The law's id in optout-tui: `gdpr`, `uk-gdpr`, `ch-fadp`, `br-lgpd`, `us-ca-ccpa`, `us-state`.")
    ]
    name: Annotated[str, _d("Its name, as a sentence says it.")]
    deadline_rule: Annotated[str, _d("What it says about the time to answer, with the article.")]
    source: Annotated[str, _d("Where its text is published.")]


class Field(Struct, kw_only=True):
    """Something the user typed and kept on a step: a date, a case number, a letter's blank."""

    name: Annotated[str, _d("The field's name in the guide.")]
    label: Annotated[str, _d("What the guide asked, as shown to the user.")]
    value: Annotated[str, _d("What the user typed; a date field holds an ISO date (YYYY-MM-DD).")]
    type: Annotated[Literal["text", "date"], _d("`date` when the guide marks the field as a date.")] = "text"
    date: Annotated[datetime.date | None, _d("The value as a date, when it is one.")] = None


class LetterCopy(Struct, kw_only=True):
    """A letter exactly as the user copied it, to paste into a form or an email."""

    version: Annotated[int, _d("1 for the first copy of this step's letter, 2 after an edit, and so on.")]
    copied_at: Annotated[datetime.datetime, _d("When it was copied (RFC 3339, in UTC).")]
    to: Annotated[str | None, _d("The recipient's email address, for an email.")] = None
    subject: Annotated[str | None, _d("The email's subject line.")] = None
    text: Annotated[str, _d("The full text, as copied.")]
    country: Annotated[Country | None, _d("The user's country when it was copied.")] = None
    law: Annotated[LawInfo | None, _d("The law it relied on for that country, if one of its laws covers it.")] = None


class ReplyEntry(Struct, kw_only=True):
    """A company's answer, as the user recorded it."""

    received_on: Annotated[datetime.date, _d("The day the answer came.")]
    said: Annotated[str, _d("What they said, in the user's words.")] = ""
    case_number: Annotated[str, _d("The case or ticket number they gave.")] = ""
    more_time: Annotated[bool, _d("They said they need more time to answer.")] = False
    recorded_at: Annotated[datetime.datetime, _d("When the user recorded it (RFC 3339, in UTC).")]


class AuthorityInfo(Struct, kw_only=True):
    """The data protection authority for the user's country."""

    name: Annotated[str, _d("Its name in English.")]
    local_name: Annotated[str, _d("Its name in its own language.")] = ""
    page: Annotated[str, _d("Where to start a complaint: its complaint page, or its website.")]
    is_complaint_page: Annotated[bool, _d("`page` is its page on making a complaint (not only its website).")]
    note: Annotated[str, _d("What to know before complaining.")] = ""


class FollowUpEntry(Struct, kw_only=True):
    """Where a letter or form stands after it was sent."""

    state: Annotated[
        Literal["waiting", "overdue", "answered"],
        _d("`waiting` for a reply, `overdue` (the due date passed with no reply), or `answered`."),
    ]
    words: Annotated[str, _d("The same words the app shows, for example `Waiting for a reply, due 23 December 2026`.")]
    sent_on: Annotated[
        datetime.date, _d("The day it was sent: the date the user gave, else the day it was marked done.")
    ]
    due_on: Annotated[datetime.date, _d("The legal deadline when `binding`, else the day to follow up.")]
    due_words: Annotated[str, _d("One sentence on the deadline and the law it comes from.")]
    binding: Annotated[bool, _d("A law that protects the user's country sets `due_on`.")]
    extended: Annotated[bool, _d("The company said it needs more time and the law allows it; `due_on` includes it.")]
    law: Annotated[LawInfo | None, _d("The law that protects the user for this letter, if any.")] = None
    what_you_can_do: Annotated[list[str], _d("When overdue: what the user can do, in order.")] = msgspec.field(
        default_factory=list
    )
    authority: Annotated[AuthorityInfo | None, _d("When overdue: where to complain.")] = None


class StepEntry(Struct, kw_only=True):
    """One step of a guide and what the user did on it."""

    id: Annotated[str, _d("The step's id in the guide (internal; stable across edits).")]
    number: Annotated[int | None, _d("Its position in the guide, from 1; null if the guide no longer has it.")]
    title: Annotated[str, _d("The step's title.")]
    kind: Annotated[str | None, _d("setting, form, email, action, info or check; null if no longer in the guide.")]
    in_record: Annotated[
        bool, _d("Shown in the Markdown and HTML record (proof steps, and steps with something kept).")
    ]
    status: Annotated[Literal["done", "skipped"] | None, _d("What the user marked, if anything.")] = None
    marked_at: Annotated[datetime.datetime | None, _d("When they marked it (RFC 3339, in UTC).")] = None
    changed: Annotated[bool, _d("The guide changed this step after the user marked it.")] = False
    no_longer_in_guide: Annotated[bool, _d("The guide no longer has this step.")] = False
    link: Annotated[str | None, _d("The page the step opens.")] = None
    expected: Annotated[
        str | None,
        _d("For setting and check steps: what the guide says the screen shows when it worked (Markdown)."),
    ] = None
    fields: Annotated[list[Field], _d("What the user kept on the step.")] = msgspec.field(default_factory=list)
    letters: Annotated[list[LetterCopy], _d("Every version of its letter as copied, oldest first.")] = msgspec.field(
        default_factory=list
    )
    replies: Annotated[list[ReplyEntry], _d("Answers recorded, oldest first.")] = msgspec.field(default_factory=list)
    follow_up: Annotated[FollowUpEntry | None, _d("For a letter or form that relies on a law, after it was sent.")] = (
        None
    )


class HistoryEntry(Struct, kw_only=True):
    """One dated line of the history (kept after an undo or a reset)."""

    at: Annotated[datetime.datetime, _d("When it happened (RFC 3339, in UTC).")]
    step_id: Annotated[str, _d("The step's id.")]
    step_title: Annotated[str | None, _d("The step's title, if the guide still has it.")] = None
    action: Annotated[Literal["done", "skipped", "unmarked", "reset"], _d("What happened.")]
    words: Annotated[str, _d("The same in words.")]
    in_record: Annotated[bool, _d("Shown in the Markdown and HTML record (not for steps such as signing in).")] = True
    fields: Annotated[list[Field], _d("The step's kept fields at that moment.")] = msgspec.field(default_factory=list)


class GuideEntry(Struct, kw_only=True):
    """One platform."""

    id: Annotated[str, _d("The guide's id (its file name).")]
    name: Annotated[str, _d("The platform's name.")]
    title: Annotated[str | None, _d("What the guide achieves; null if it is no longer installed.")] = None
    installed: Annotated[bool, _d("The guide is still installed.")]
    state: Annotated[
        str | None,
        _d("not_started, in_progress, done, recheck_due, changed, no_opt_out or nothing_to_do; null after a reset."),
    ] = None
    state_words: Annotated[str | None, _d("The state in words.")] = None
    finished_on: Annotated[datetime.date | None, _d("When the last step was marked, once all are.")] = None
    recheck_on: Annotated[datetime.date | None, _d("When to check the settings again.")] = None
    follow_up: Annotated[FollowUpEntry | None, _d("The most pressing letter: overdue, then next due.")] = None
    steps: Annotated[list[StepEntry], _d("Every step the user marked or kept something on.")]
    history: Annotated[list[HistoryEntry], _d("Every mark, undo and reset, oldest first.")]


class RecordFile(Struct, kw_only=True):
    """A person's record of opting out of AI training, exported by optout-tui."""

    kind: Annotated[Literal["optout-tui progress record"], _d("Always this text: what the file is.")]
    version: Annotated[Literal[2], _d("The format version. Programs should refuse a version they do not know.")]
    app: Annotated[str, _d("The optout-tui version that made it.")]
    exported_at: Annotated[datetime.datetime, _d("When it was made (RFC 3339, in UTC).")]
    country: Annotated[Country | None, _d("The country the user told optout-tui they live in.")] = None
    guides: Annotated[list[GuideEntry], _d("One entry per platform, by name.")]


# ---- building ------------------------------------------------------------------------


def build(report: Report, *, now: datetime.datetime | None = None) -> RecordFile:
    moment = now or datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return RecordFile(
        kind=KIND,
        version=VERSION,
        app=f"optout-tui {__version__}",
        exported_at=moment,
        country=_country(report.country),
        guides=[_guide(report, gid) for gid in report.ids(with_history=True)],
    )


def _country(code: str | None) -> Country | None:
    return Country(code=code, name=regions.country_name(code)) if code else None


def _law(law_id: str | None) -> LawInfo | None:
    law = laws.LAWS.get(law_id or "")
    return LawInfo(id=law.id, name=law.name, deadline_rule=law.rule, source=law.source_url) if law else None


def _guide(report: Report, gid: str) -> GuideEntry:
    loaded = report.catalog.guides.get(gid)
    status = report.status(gid) if gid in report.records else None
    follow_ups = report.follow_ups(gid)
    steps = [_step(report, gid, row, follow_ups.get(row.id)) for row in _rows(report, gid)]
    known = report.steps_by_id(gid)
    history = [
        HistoryEntry(
            at=e.at,
            step_id=e.step_id,
            step_title=known[e.step_id].title if e.step_id in known else None,
            action=e.action,
            words=ACTION_WORDS.get(e.action, e.action),
            fields=_fields(e.fields, _labels(report, known.get(e.step_id)), known.get(e.step_id)),
            in_record=bool(e.fields) or e.step_id not in known or is_proof_step(known[e.step_id]),
        )
        for e in report.history
        if e.guide_id == gid
    ]
    overall = report.follow_up(gid)
    return GuideEntry(
        id=gid,
        name=report.name(gid),
        title=loaded.guide.title if loaded else None,
        installed=loaded is not None,
        state=status.state if status else None,
        state_words=rules.state_words(status, long_dates=True) if status else None,
        finished_on=status.finished_at if status else None,
        recheck_on=status.recheck_on if status else None,
        follow_up=_follow_up(overall, report, gid) if overall else None,
        steps=steps,
        history=history,
    )


def is_proof_step(step: Step) -> bool:
    """A step whose marking proves something: it changes a setting, sends something, checks, or keeps a note."""
    return step.kind in PROOF_KINDS or bool(step.record)


def _labels(report: Report, step: Step | None) -> dict[str, str]:
    return field_labels(step, report.catalog.templates) if step is not None else {}


def _rows(report: Report, gid: str) -> list[StepRow]:
    """The guide's steps with a record, plus steps that have only letters or replies."""
    touched = {x.step_id for x in report.letters if x.guide_id == gid} | {r.step_id for r in report.replies_for(gid)}
    return [row for row in report.rows(gid) if row.record is not None or row.id in touched] + [
        StepRow(sid, sid, None, "todo", None, gone=True)
        for sid in sorted(touched - {row.id for row in report.rows(gid)})
    ]


def _step(report: Report, gid: str, row: StepRow, follow_up: rules.FollowUp | None) -> StepEntry:
    step = report.steps_by_id(gid).get(row.id)
    record: StepRecord | None = row.record
    letters = report.letters_for(gid, row.id)
    replies = report.replies_for(gid, row.id)
    fields = _fields(record.fields if record else {}, row.labels, step)
    marked = record is not None and record.status is not None
    in_record = bool((marked and (step is None or is_proof_step(step))) or fields or letters or replies)
    number = next((i for i, s in enumerate(_guide_steps(report, gid), start=1) if s.id == row.id), None)
    return StepEntry(
        id=row.id,
        number=number,
        # A step the guide no longer has is known only by its id, which is no word for a person.
        title="A step that is no longer in the guide" if row.gone else row.title,
        kind=step.kind if step else None,
        in_record=in_record,
        status=record.status if record else None,
        marked_at=record.at if record else None,
        changed=row.state == "changed",
        no_longer_in_guide=row.gone,
        link=row.link,
        expected=step.expect if step and step.kind in ("setting", "check") and step.expect else None,
        fields=fields,
        letters=[_letter(x, n) for n, x in enumerate(letters, start=1)],
        replies=[_reply(r) for r in replies],
        follow_up=_follow_up(follow_up, report, gid) if follow_up else None,
    )


def _guide_steps(report: Report, gid: str) -> list[Step]:
    loaded = report.catalog.guides.get(gid)
    return list(loaded.guide.steps) if loaded else []


def _fields(values: dict[str, str], labels: dict[str, str], step: Step | None) -> list[Field]:
    types: dict[str, str] = {}
    if step is not None:
        types = {r.name: r.type for r in step.record}
    out = []
    for name, value in values.items():
        kind = types.get(name, "text")
        out.append(
            Field(
                name=name,
                label=label_for(name, labels),
                value=value,
                type="date" if kind == "date" else "text",
                date=dates.from_iso(value) if kind == "date" else None,
            )
        )
    return out


def _letter(letter: Letter, version: int) -> LetterCopy:
    return LetterCopy(
        version=version,
        copied_at=letter.at,
        to=letter.to,
        subject=letter.subject,
        text=letter.text,
        country=_country(letter.country),
        law=_law(letter.law),
    )


def _reply(reply: Reply) -> ReplyEntry:
    return ReplyEntry(
        received_on=reply.received_on,
        said=reply.said,
        case_number=reply.case_number,
        more_time=reply.more_time,
        recorded_at=reply.at,
    )


def _follow_up(found: rules.FollowUp, report: Report, gid: str) -> FollowUpEntry:
    authority = None
    advice: list[str] = []
    if found.state == "overdue":
        found_authority = authorities.for_country(report.country)
        advice = rules.overdue_advice(found, report.name(gid), found_authority)
        if found_authority is not None:
            authority = AuthorityInfo(
                name=found_authority.name,
                local_name=found_authority.local_name,
                page=found_authority.page,
                is_complaint_page=found_authority.complaint is not None,
                note=found_authority.note,
            )
    return FollowUpEntry(
        state=found.state,
        words=rules.follow_up_words(found),
        sent_on=found.sent_on,
        due_on=found.due_on,
        due_words=rules.due_words(found),
        binding=found.binding,
        extended=found.extended,
        law=_law(found.law.id) if found.law else None,
        what_you_can_do=advice,
        authority=authority,
    )


# ---- JSON -------------------------------------------------------------------------


def to_json(record: RecordFile) -> str:
    data = msgspec.to_builtins(record)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_schema() -> str:
    from walkthrough.authoring.schema import json_schema

    return json.dumps(json_schema(RecordFile, KIND), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        if not (SCHEMA_FILE.parents[1] / "pyproject.toml").exists():
            print("--write updates docs/ in a copy of the repository; this is an installed copy.", file=sys.stderr)
            return 1
        SCHEMA_FILE.parent.mkdir(exist_ok=True)
        SCHEMA_FILE.write_text(render_schema(), encoding="utf-8")
        print(f"Updated {SCHEMA_FILE}.")
        return 0
    sys.stdout.write(render_schema())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
