"""The record to keep, as a file: Markdown, a printable HTML page, or JSON.

All three render one `walkthrough.progress.record.RecordFile`, so they say the
same things. Markdown and HTML are for people: plain words only (no step ids,
no field names, no internal states), per platform what the user did and when,
each letter in full as copied (every version), the date sent, case numbers,
the user's country, the law and the due date. Steps that prove nothing on
their own ("Sign in") are left out of these two; JSON keeps every step and
says which ones the others show (`in_record`).

The HTML page is self-contained: one file, no scripts, no fonts or images to
fetch (a Content-Security-Policy forbids any), styled to print well.

`write_new` and `save_in_records_folder` write the file all at once, readable
only by its owner; the app calls `save_in_records_folder` and shows the path
it returns.
"""

from __future__ import annotations

import datetime
import html
import os
import re
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from walkthrough import dates
from walkthrough.progress.record import (
    Field,
    FollowUpEntry,
    GuideEntry,
    LetterCopy,
    RecordFile,
    ReplyEntry,
    StepEntry,
    build,
    to_json,
)
from walkthrough.progress.report import Report
from walkthrough.safe_text import json_text, visible

Format = Literal["markdown", "json", "html"]
FORMATS: tuple[Format, ...] = ("markdown", "html", "json")
SUFFIXES: dict[str, str] = {"markdown": ".md", "html": ".html", "json": ".json"}

TITLE = "My record of opting out of AI training"
INTRO = "What I did to stop platforms using my data to train AI, and when. Kept by optout-tui on my own computer."


class ExportError(Exception):
    """The record could not be written; the message says why, in plain words."""


def export(report: Report, fmt: Format, *, now: datetime.datetime | None = None) -> str:
    """The record as text in `fmt`. Guide text and typed values are shown, never obeyed: no
    control character reaches a terminal (or a later `cat` of the file) raw."""
    text = RENDERERS[fmt](build(report, now=now))
    if fmt == "json":
        return json_text(text)
    if fmt == "markdown":
        return visible(text, keep_lines=True)
    return text  # HTML escapes everything it shows


def export_markdown(report: Report) -> str:
    return export(report, "markdown")


def export_json(report: Report) -> str:
    return export(report, "json")


def export_html(report: Report) -> str:
    return export(report, "html")


# ---- shared pieces -------------------------------------------------------------------


def _flat(text: str) -> str:
    """User-typed text on one line, so it cannot break the list it sits in."""
    return " ".join(str(text).split())


def _plain(markdown: str) -> str:
    """A guide's Markdown as plain text: the emphasis marks off, the words kept."""
    return _flat(markdown.replace("**", "").replace("__", "").replace("`", ""))


def _field_value(field: Field) -> str:
    return dates.words(field.date) if field.date else _flat(field.value)


def _shown_fields(step: StepEntry) -> list[Field]:
    # The date a letter was sent is shown once, as "Date sent", not again under the guide's label.
    sent = step.follow_up.sent_on if step.follow_up else None
    return [f for f in step.fields if not (sent and f.date == sent)]


def _did(step: StepEntry) -> str:
    if step.status is None or step.marked_at is None:
        return "Not marked done"
    what = "Done" if step.status == "done" else "Skipped"
    return f"{what} on {dates.moment_words(step.marked_at)}"


def _letter_heading(letter: LetterCopy, count: int) -> str:
    which = f", version {letter.version} of {count}" if count > 1 else ""
    return f"The letter as I copied it on {dates.moment_words(letter.copied_at)}{which}"


def _letter_facts(letter: LetterCopy) -> list[tuple[str, str]]:
    facts = []
    if letter.to:
        facts.append(("To", _flat(letter.to)))
    if letter.subject:
        facts.append(("Subject", _flat(letter.subject)))
    if letter.country:
        facts.append(("My country when I copied it", letter.country.name))
    if letter.law:
        facts.append(("The law it relies on", letter.law.name))
    return facts


def _reply_facts(reply: ReplyEntry) -> list[tuple[str, str]]:
    facts = [("Reply received on", dates.words(reply.received_on))]
    if reply.said:
        facts.append(("What they said", _flat(reply.said)))
    if reply.case_number:
        facts.append(("Case or ticket number", _flat(reply.case_number)))
    if reply.more_time:
        facts.append(("They asked for more time", "yes"))
    return facts


def _follow_up_facts(follow_up: FollowUpEntry) -> list[tuple[str, str]]:
    facts = [("Date sent", dates.words(follow_up.sent_on))]
    if follow_up.law:
        facts.append(("The law it relies on", follow_up.law.name))
    facts.append(("Reply due" if follow_up.binding else "Follow up from", dates.words(follow_up.due_on)))
    if follow_up.law:
        facts.append(("The deadline in the law", follow_up.law.deadline_rule))
    if follow_up.state == "overdue":
        when = "it was due" if follow_up.binding else "I meant to follow up"
        facts.append(("Where it stands", f"No reply by {dates.words(follow_up.due_on)}, the day {when}"))
    else:
        facts.append(("Where it stands", follow_up.words))
    return facts


def _guide_facts(guide: GuideEntry) -> list[tuple[str, str]]:
    facts = []
    if not guide.installed:
        facts.append(("Note", "This guide is no longer installed; below is what was recorded."))
    elif guide.state is None:
        facts.append(("Note", "Progress on this guide was reset; below is what was recorded."))
    if guide.state_words:
        facts.append(("Where I stand", guide.state_words))
    if guide.recheck_on and guide.state in ("done", "recheck_due"):
        facts.append(("Check the settings again from", dates.words(guide.recheck_on)))
    if guide.follow_up:
        facts.append(("Reply", guide.follow_up.words))
    return facts


def _history_line(guide: GuideEntry, index: int) -> str:
    event = guide.history[index]
    line = f"{dates.moment_words(event.at)}: {event.words}: {event.step_title or 'a step no longer in the guide'}"
    kept = "; ".join(f"{f.label}: {_field_value(f)}" for f in event.fields)
    return line + (f" ({kept})" if kept else "")


def _in_history(guide: GuideEntry) -> list[int]:
    """History lines worth reading: not those of steps such as signing in."""
    return [i for i, e in enumerate(guide.history) if e.in_record]


# ---- Markdown -----------------------------------------------------------------------


def render_markdown(record: RecordFile) -> str:
    out = [f"# {TITLE}", "", INTRO, ""]
    out.append(
        f"- Made on: {dates.moment_words(record.exported_at)}. Times are my local time, with the difference from UTC."
    )
    out.append(f"- The country I live in: {record.country.name if record.country else 'not given'}")
    if not record.guides:
        out += ["", "Nothing has been recorded yet."]
    for guide in record.guides:
        out += ["", *_guide_markdown(guide)]
    return "\n".join(out) + "\n"


def _guide_markdown(guide: GuideEntry) -> list[str]:
    lines = [f"## {_flat(guide.name)}", ""]
    if guide.title:
        lines += [_flat(guide.title), ""]
    lines += [f"- {k}: {v}" for k, v in _guide_facts(guide)]
    for step in guide.steps:
        if step.in_record:
            lines += ["", *_step_markdown(step)]
    history = _in_history(guide)
    if history:
        lines += ["", "### History, oldest first", ""]
        lines += [f"- {_history_line(guide, i)}" for i in history]
    return lines


def _step_markdown(step: StepEntry) -> list[str]:
    lines = [f"### {_flat(step.title)}", "", f"- {_did(step)}"]
    if step.no_longer_in_guide:
        lines.append("- The guide no longer has this step.")
    if step.changed:
        lines.append("- The guide changed this step after I did it.")
    if step.expected:
        said = "now says" if step.changed else "said"
        lines.append(f"- What the guide {said} the screen would show: {_plain(step.expected)}")
        if step.status == "done":
            lines.append("- I confirmed it by marking the step done.")
    if step.link:
        lines.append(f"- Page: <{step.link}>")
    lines += [f"- {_flat(f.label)}: {_field_value(f)}" for f in _shown_fields(step)]
    if step.follow_up:
        lines += [f"- {k}: {v}" for k, v in _follow_up_facts(step.follow_up)]
        lines += _advice_markdown(step.follow_up)
    for letter in step.letters:
        lines += ["", f"#### {_letter_heading(letter, len(step.letters))}", ""]
        lines += [f"- {k}: {v}" for k, v in _letter_facts(letter)]
        fence = "`" * max(3, _longest_run(letter.text, "`") + 1)
        lines += ["", f"{fence}text", letter.text.rstrip("\n"), fence]
    for reply in step.replies:
        lines += ["", f"#### Their reply of {dates.words(reply.received_on)}", ""]
        lines += [f"- {k}: {v}" for k, v in _reply_facts(reply)]
    return lines


def _advice_markdown(follow_up: FollowUpEntry) -> list[str]:
    if not follow_up.what_you_can_do:
        return []
    return [
        "",
        "No reply yet: what I can do",
        "",
        *[f"{n}. {line}" for n, line in enumerate(follow_up.what_you_can_do, 1)],
    ]


def _longest_run(text: str, char: str) -> int:
    return max((len(m) for m in re.findall(re.escape(char) + "+", text)), default=0)


# ---- HTML ---------------------------------------------------------------------------

_STYLE = """
:root { color-scheme: light; }
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; color: #111; background: #fff;
       max-width: 46em; margin: 2em auto; padding: 0 1.2em; overflow-wrap: anywhere; }
h1 { font-size: 1.7em; margin-bottom: .2em; }
h2 { font-size: 1.35em; border-bottom: 1px solid #888; padding-bottom: .15em; margin-top: 2em; }
h3 { font-size: 1.1em; margin: 1.4em 0 .4em; }
h4 { font-size: 1em; margin: 1em 0 .3em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: .4em 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
pre.letter { white-space: pre-wrap; overflow-wrap: anywhere; font: 10pt/1.4 "DejaVu Sans Mono", Consolas, monospace;
             border: 1px solid #999; padding: .8em; background: #f7f7f7; }
.note { font-style: italic; }
.overdue { border-left: 4px solid #a00; padding-left: .8em; }
a { color: inherit; overflow-wrap: anywhere; }
@page { margin: 18mm 16mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  h2 { break-before: page; }
  section.guide:first-of-type h2 { break-before: auto; }
  h2, h3, h4 { break-after: avoid; }
  dl.facts, .reply { break-inside: avoid; }
  pre.letter { background: none; }
  a { text-decoration: none; }
}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _facts_html(facts: list[tuple[str, str]]) -> str:
    if not facts:
        return ""
    rows = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts)
    return f'<dl class="facts">{rows}</dl>'


def render_html(record: RecordFile) -> str:
    head = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        # Nothing may load: no scripts, fonts, images or frames, whatever the text holds.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{_e(TITLE)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
    )
    body = [f"<header><h1>{_e(TITLE)}</h1><p>{_e(INTRO)}</p>"]
    body.append(
        _facts_html(
            [
                ("Made on", dates.moment_words(record.exported_at)),
                ("Times", "My local time, with the difference from UTC."),
                ("The country I live in", record.country.name if record.country else "not given"),
            ]
        )
    )
    body.append("</header>")
    if not record.guides:
        body.append("<p>Nothing has been recorded yet.</p>")
    for guide in record.guides:
        body.append(_guide_html(guide))
    return head + "\n".join(body) + "\n</body>\n</html>\n"


def _guide_html(guide: GuideEntry) -> str:
    parts = [f'<section class="guide"><h2>{_e(guide.name)}</h2>']
    if guide.title:
        parts.append(f"<p>{_e(guide.title)}</p>")
    parts.append(_facts_html(_guide_facts(guide)))
    for step in guide.steps:
        if step.in_record:
            parts.append(_step_html(step))
    history = _in_history(guide)
    if history:
        items = "".join(f"<li>{_e(_history_line(guide, i))}</li>" for i in history)
        parts.append(f"<h3>History, oldest first</h3><ul>{items}</ul>")
    parts.append("</section>")
    return "\n".join(parts)


def _step_html(step: StepEntry) -> str:
    facts: list[tuple[str, str]] = [("What I did", _did(step))]
    if step.no_longer_in_guide:
        facts.append(("Note", "The guide no longer has this step."))
    if step.changed:
        facts.append(("Note", "The guide changed this step after I did it."))
    if step.expected:
        facts.append(
            (
                "What the guide " + ("now says" if step.changed else "said") + " the screen would show",
                _plain(step.expected),
            )
        )
        if step.status == "done":
            facts.append(("Confirmed", "I confirmed it by marking the step done."))
    if step.link:
        facts.append(("Page", step.link))
    facts += [(f.label, _field_value(f)) for f in _shown_fields(step)]
    if step.follow_up:
        facts += _follow_up_facts(step.follow_up)
    parts = [f'<article class="step"><h3>{_e(step.title)}</h3>', _facts_html(facts)]
    if step.follow_up and step.follow_up.what_you_can_do:
        items = "".join(f"<li>{_e(line)}</li>" for line in step.follow_up.what_you_can_do)
        parts.append(f'<div class="overdue"><h4>No reply yet: what I can do</h4><ol>{items}</ol></div>')
    for letter in step.letters:
        parts.append(f"<h4>{_e(_letter_heading(letter, len(step.letters)))}</h4>")
        parts.append(_facts_html(_letter_facts(letter)))
        parts.append(f'<pre class="letter">{_e(letter.text)}</pre>')
    for reply in step.replies:
        heading = f"Their reply of {dates.words(reply.received_on)}"
        parts.append(f'<div class="reply"><h4>{_e(heading)}</h4>{_facts_html(_reply_facts(reply))}</div>')
    parts.append("</article>")
    return "\n".join(parts)


RENDERERS: dict[str, Callable[[RecordFile], str]] = {
    "markdown": render_markdown,
    "html": render_html,
    "json": to_json,
}


# ---- writing the file -------------------------------------------------------------------


def write_new(path: Path, text: str, *, replace: bool = False) -> Path:
    """Write all or nothing, readable only by the owner (0600). An existing file is kept unless `replace`.

    Only a regular file is ever replaced: a device (/dev/null, a disk), a pipe or
    a link is refused even with `replace`, since renaming over it would replace
    the device node itself (as root) or leave the link's file alone.
    """
    shown = visible(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise ExportError(f"cannot write {shown} ({exc.strerror or exc}).") from None
    if st is not None:
        if path.is_dir():
            raise ExportError(f"{shown} is a folder. Give a file name, for example {visible(path / 'my-opt-outs.md')}.")
        if stat.S_ISLNK(st.st_mode):
            raise ExportError(
                f"{shown} is a link to another file, so it is not replaced. "
                f"Give the file's own name ({visible(os.path.realpath(path))}) or another name."
            )
        if not stat.S_ISREG(st.st_mode):
            raise ExportError(
                f"{shown} is not an ordinary file (it is a device or a pipe), so it is never replaced. "
                "Choose another name."
            )
        if not replace:
            raise ExportError(f"{shown} already exists. Add --force to replace it, or choose another name.")
    try:
        # mkstemp makes the file 0600 from the start: the record holds a name, an email and what was objected to.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportError(f"cannot write in {path.parent} ({exc.strerror or exc}).") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the file appeared meanwhile: never replace it by surprise
            except FileExistsError:
                raise ExportError(
                    f"{path} already exists. Add --force to replace it, or choose another name."
                ) from None
            except OSError:
                # Some file systems have no hard links; the check above has to do.
                os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path} ({exc.strerror or exc}).") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def save_in_records_folder(report: Report, fmt: Format, *, folder: Path | None = None) -> Path:
    """Export into the records folder (`walkthrough.paths.records_dir`) under a new dated name; the full path.

    The folder is created owner-only (0700) if it is missing; an existing file is never replaced
    ("my-ai-opt-outs-2026-12-01-2.html" when the first name is taken).
    """
    from walkthrough import paths

    target = folder or paths.records_dir()
    try:
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the folder {target} ({exc.strerror or exc}).") from None
    text = export(report, fmt)
    stem = f"my-ai-opt-outs-{report.today.isoformat()}"
    for n in range(1, 1000):
        path = target / f"{stem}{'' if n == 1 else f'-{n}'}{SUFFIXES[fmt]}"
        if path.exists():
            continue
        try:
            return write_new(path.resolve(), text)
        except ExportError:
            if path.exists():
                continue  # taken between our look and our write: try the next name
            raise
    raise ExportError(f"there are already 999 records for today in {target}.")
