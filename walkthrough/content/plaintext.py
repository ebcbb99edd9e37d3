"""A guide as plain text: for screen readers, printing, and `optout-tui show`."""

from __future__ import annotations

import re
import textwrap

from walkthrough.content import regions
from walkthrough.content.guidefile import LoadedGuide
from walkthrough.content.model import DIFFICULTY_WORDS, WHO_WORDS, SharedTemplate
from walkthrough.content.templates import fill, resolve

WIDTH = 78


_ITEM = re.compile(r"^(?:[-*]|\d+[.)])\s+")


def _para(text: str, indent: str = "") -> str:
    """Rewrap prose but keep the author's paragraphs and list items.

    A list item that the author wrapped over two lines stays one item, and its
    second line hangs under the item's text, as it would on paper.
    """
    text = text.replace("**", "").replace("__", "").replace("`", "")
    out = []
    for block in text.strip().split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not any(_ITEM.match(line) for line in lines):
            out.append(textwrap.fill(" ".join(lines), WIDTH, initial_indent=indent, subsequent_indent=indent))
            continue
        items: list[str] = []
        for line in lines:
            if _ITEM.match(line) or not items:
                items.append(line)
            else:
                items[-1] += " " + line
        wrapped = []
        for item in items:
            marker = _ITEM.match(item)
            hang = indent + " " * (len(marker.group()) if marker else 0)
            wrapped.append(textwrap.fill(item, WIDTH, initial_indent=indent, subsequent_indent=hang))
        out.append("\n".join(wrapped))
    return "\n\n".join(out)


def guide_text(loaded: LoadedGuide, shared: dict[str, SharedTemplate]) -> str:
    g = loaded.guide
    lines = [
        f"{g.name}: {g.title}",
        "=" * min(WIDTH, len(g.name) + len(g.title) + 2),
        "",
        _para(g.summary),
        "",
        f"Difficulty:     {DIFFICULTY_WORDS[g.difficulty]}",
        f"Time:           about {g.minutes} minutes",
        f"Applies to:     {regions.describe(g.regions)}",
        f"Last checked:   {g.last_verified.isoformat()}",
        f"Check again:    every {g.recheck_days} days",
    ]
    for number, step in enumerate(g.steps, 1):
        lines += ["", f"Step {number} of {len(g.steps)}: {step.title}", "-" * min(WIDTH, len(step.title) + 14)]
        if step.regions:
            lines.append(f"Only for: {regions.describe(step.regions)}")
        if step.who != "you":
            lines.append(f"Who can do this: {WHO_WORDS[step.who]}")
        lines.append(_para(step.body))
        if step.link:
            lines += ["", f"{step.link.label}: {step.link.url}"]
        if step.template:
            t = resolve(step.template, shared)
            filled = fill(t, {})
            lines += ["", "Text to copy:"]
            if filled.to:
                lines.append(f"  To: {filled.to}")
            if filled.subject:
                lines.append(f"  Subject: {filled.subject}")
            lines += ["  " + line if line else "" for line in filled.text.rstrip().splitlines()]
            if t.blanks:
                lines += ["", "Fill in the blanks:"]
                lines += [f"  [{b.label}]" + (f": {b.hint}" if b.hint else "") for b in t.blanks]
        if step.expect:
            lines += ["", _para("When it worked: " + step.expect.strip())]
        if step.fallback:
            lines += ["", "If the page looks different:", _para(step.fallback, "  ")]
        if step.record:
            lines += ["", "Write down: " + "; ".join(r.label for r in step.record)]
    if g.limits:
        lines += ["", "What this does not do", "---------------------"]
        lines += [textwrap.fill(limit, WIDTH, initial_indent="- ", subsequent_indent="  ") for limit in g.limits]
    lines += ["", "Sources"]
    for source in g.sources:
        dated = f" ({source.date.isoformat()})" if source.date else ""
        lines.append(f"- {source.title or source.url}{dated}: {source.url}")
    return "\n".join(lines) + "\n"
