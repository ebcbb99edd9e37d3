"""A guide as plain text: for screen readers, printing, and `optout-tui show`.

Written to be read aloud as well as on paper: no lines of `====` or `----`
(a screen reader reads each character), headings on their own line after a
blank one, dates in words. Markdown is reduced to what a reader needs: bold and
code marks go, code blocks and deliberate line breaks stay exactly as written
(robots.txt lines must not run together), and a link shows its address.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable

from walkthrough import dates
from walkthrough.content import regions
from walkthrough.content.guidefile import LoadedGuide
from walkthrough.content.model import DIFFICULTY_WORDS, WHO_WORDS, SharedTemplate, Source, Step
from walkthrough.content.templates import Resolved, fill, resolve

WIDTH = 78
CODE_INDENT = "    "

_ITEM = re.compile(r"^(?:[-*]|\d+[.)])\s+")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"\[([^\]\n]+)\]\((\S+?)\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")


def _inline(text: str) -> str:
    """Prose without Markdown's marks: **bold** and `code` lose the marks, a link shows its address."""
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})", text)
    text = _AUTOLINK.sub(r"\1", text)
    return text.replace("**", "").replace("__", "").replace("`", "")


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """Split Markdown into ("code", lines) and ("prose", lines) blocks, in order."""
    lines = text.strip("\n").splitlines()
    blocks: list[tuple[str, list[str]]] = []
    i = 0
    after_blank = True
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            fence = _FENCE.match(line).group(1)  # type: ignore[union-attr]
            body = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence):
                body.append(lines[i])
                i += 1
            i += 1  # the closing fence (or the end)
            blocks.append(("code", textwrap.dedent("\n".join(body)).splitlines()))
            after_blank = True
            continue
        if not line.strip():
            after_blank = True
            i += 1
            continue
        if after_blank and (line.startswith("    ") or line.startswith("\t")):
            body = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(("    ", "\t"))):
                body.append(lines[i])
                i += 1
            while body and not body[-1].strip():
                body.pop()
            blocks.append(("code", textwrap.dedent("\n".join(body)).splitlines()))
            after_blank = True
            continue
        body = []
        while i < len(lines) and lines[i].strip() and not _FENCE.match(lines[i]):
            body.append(lines[i])
            i += 1
        blocks.append(("prose", body))
        after_blank = False
    return blocks


def _prose(lines: list[str], indent: str) -> str:
    """Rewrap a paragraph, keeping list items and the author's hard line breaks.

    A list item that the author wrapped over two lines stays one item, and its
    second line hangs under the item's text, as it would on paper. A line that
    ends in two spaces or a backslash ends there, as Markdown says.
    """
    pieces: list[str] = []
    joined = True  # whether the next line continues the piece before it
    for raw in lines:
        hard_break = raw.endswith(("  ", "\\"))
        line = raw.strip().rstrip("\\").strip()
        if _ITEM.match(line) or not pieces or not joined:
            pieces.append(line)
        else:
            pieces[-1] += " " + line
        joined = not hard_break
    wrapped = []
    for piece in pieces:
        marker = _ITEM.match(piece)
        hang = indent + " " * (len(marker.group()) if marker else 0)
        wrapped.append(textwrap.fill(_inline(piece), WIDTH, initial_indent=indent, subsequent_indent=hang))
    return "\n".join(wrapped)


def markdown_text(text: str, indent: str = "") -> str:
    """Markdown as plain text: prose rewrapped to the page, code exactly as written."""
    out = []
    for kind, lines in _blocks(text):
        if kind == "code":
            out.append("\n".join(indent + CODE_INDENT + line if line.strip() else "" for line in lines))
        else:
            out.append(_prose(lines, indent))
    return "\n\n".join(out)


def _source_line(source: Source) -> str:
    dated = f" ({dates.words(source.date)})" if source.date else ""
    return f"- {source.title or source.url}{dated}: {source.url}"


def _where(g) -> str:
    """Where a guide applies, honestly: a guide for everywhere whose steps have regions says so."""
    if g.regions:
        return regions.describe(g.regions)
    limited: list[str] = []
    for step in g.steps:
        for code in step.regions or []:
            if code not in limited:
                limited.append(code)
    if not limited:
        return "everywhere"
    return f"everywhere, but some steps only in {regions.describe(limited)}"


class _Letters:
    """Prints each letter once: a later step with the same letter says which step to take it from."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[str, Resolved, str]] = {}  # key -> (step title, resolved, filled text)

    def lines(self, step: Step, shared: dict[str, SharedTemplate]) -> list[str]:
        assert step.template is not None
        t = resolve(step.template, shared)
        filled = fill(t, {})
        whole = "\n".join(filter(None, [filled.to, filled.subject, filled.text]))
        key = step.template.use or whole
        earlier = self.seen.get(key)
        if earlier is not None:
            title, before, before_text = earlier
            if before_text == whole:
                return ["", f"Text to copy: the same as in the step “{title}”."]
            same_letter = (t.text, t.subject, t.to, set(t.values), t.blanks) == (
                before.text,
                before.subject,
                before.to,
                set(before.values),
                before.blanks,
            )
            if same_letter:
                changes = [
                    f"“{value}” instead of “{before.values[name]}”"
                    for name, value in t.values.items()
                    if before.values[name] != value
                ]
                return ["", f"Text to copy: the letter from the step “{title}”, with {' and '.join(changes)}."]
        else:
            self.seen[key] = (step.title, t, whole)
        out = ["", "Text to copy:"]
        if filled.to:
            out.append(f"  To: {filled.to}")
        if filled.subject:
            out.append(f"  Subject: {filled.subject}")
        out += ["  " + line if line else "" for line in filled.text.rstrip().splitlines()]
        if t.blanks:
            out += ["", "Fill in the blanks:"]
            out += [f"  [{b.label}]" + (f": {b.hint}" if b.hint else "") for b in t.blanks]
        return out


def _step_lines(heading: str, step: Step, shared: dict[str, SharedTemplate], letters: _Letters) -> list[str]:
    lines = ["", heading]
    if step.regions:
        lines.append(f"Only for: {regions.describe(step.regions)}")
    if step.who != "you":
        lines.append(f"Who can do this: {WHO_WORDS[step.who]}")
    lines.append(markdown_text(step.body))
    if step.link:
        lines += ["", f"{step.link.label}: {step.link.url}"]
    if step.template:
        lines += letters.lines(step, shared)
    if step.expect:
        lines += ["", markdown_text("When it worked: " + step.expect.strip())]
    if step.fallback:
        lines += ["", "If the page looks different:", markdown_text(step.fallback, "  ")]
    if step.record:
        lines += ["", "Write down: " + "; ".join(r.label for r in step.record)]
    if step.sources:
        lines += ["", "Source for this step:" if len(step.sources) == 1 else "Sources for this step:"]
        lines += [_source_line(s) for s in step.sources]
    return lines


def guide_text(
    loaded: LoadedGuide,
    shared: dict[str, SharedTemplate],
    *,
    country: str | None = None,
    counts: Callable[[Step], bool] | None = None,
) -> str:
    """The whole guide. With the user's `country` (and `counts`, the rule for which steps are theirs),
    their steps come first, numbered as the app numbers them, and the others follow, marked."""
    g = loaded.guide
    lines = [
        f"{g.name}: {g.title}",
        "",
        markdown_text(g.summary),
        "",
        f"Difficulty:     {DIFFICULTY_WORDS[g.difficulty]}",
        f"Time:           about {g.minutes} minutes",
        f"Applies to:     {_where(g)}",
        f"Last checked:   {dates.words(g.last_verified)}",
        f"Check again:    every {g.recheck_days} days",
    ]
    letters = _Letters()
    mine = list(g.steps)
    others: list[Step] = []
    if country is not None and counts is not None:
        place = regions.country_phrase(country)
        mine = [s for s in g.steps if counts(s)]
        others = [s for s in g.steps if not counts(s)]
        if not regions.applies(g.regions, country):
            lines.append(f"You live in:    {place}. This guide is not for {place}; every step is shown below.")
            mine, others = list(g.steps), []
        elif others:
            lines.append(
                f"You live in:    {place}. {len(mine)} of {len(g.steps)} steps are for you; "
                "the steps for other countries follow them."
            )
        else:
            lines.append(f"You live in:    {place}. Every step is for you.")
    for number, step in enumerate(mine, 1):
        lines += _step_lines(f"Step {number} of {len(mine)}: {step.title}", step, shared, letters)
    if others:
        lines += ["", "", f"Steps for other countries (not for {regions.country_phrase(country or '')})"]
        for step in others:
            lines += _step_lines(f"Not for you: {step.title}", step, shared, letters)
    if g.limits:
        lines += ["", "", "What this does not do"]
        lines += [textwrap.fill(limit, WIDTH, initial_indent="- ", subsequent_indent="  ") for limit in g.limits]
    lines += ["", "", "Sources"]
    lines += [_source_line(source) for source in g.sources]
    return "\n".join(lines) + "\n"
