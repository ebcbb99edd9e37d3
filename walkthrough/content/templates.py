"""Templates: the text a user copies into a form or an email, with their blanks filled.

A step's template is either written in the guide or names a shared letter in
guides/templates/. `resolve` merges the two into one thing to show; `fill`
puts the user's answers in.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from walkthrough import dates
from walkthrough.content.model import Blank, SharedTemplate, Template

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


@dataclass(frozen=True)
class Resolved:
    to: str | None
    subject: str | None
    text: str
    blanks: list[Blank]  # what the user is asked, in order; blanks the guide fills are left out
    values: dict[str, str]  # what the guide fills in itself


@dataclass(frozen=True)
class Filled:
    to: str | None
    subject: str | None
    text: str
    missing: list[Blank]

    @property
    def complete(self) -> bool:
        return not self.missing

    def as_text(self) -> str:
        """What goes on the clipboard: the subject line first, when there is one."""
        return f"Subject: {self.subject}\n\n{self.text}" if self.subject else self.text


def resolve(template: Template, shared: dict[str, SharedTemplate]) -> Resolved:
    base = shared.get(template.use) if template.use else None
    text = template.text if template.text is not None else (base.text if base else "")
    subject = template.subject if template.subject is not None else (base.subject if base else None)
    blanks = [*(base.blanks if base else []), *template.blanks]
    seen: set[str] = set()
    asked = []
    for blank in blanks:
        if blank.name not in seen and blank.name not in template.values:
            seen.add(blank.name)
            asked.append(blank)
    return Resolved(template.to, subject, text, asked, dict(template.values))


def placeholders(*texts: str | None) -> list[str]:
    names: list[str] = []
    for text in texts:
        for name in PLACEHOLDER.findall(text or ""):
            if name not in names:
                names.append(name)
    return names


def fill(resolved: Resolved, answers: dict[str, str], today: datetime.date | None = None) -> Filled:
    """The letter with the answers in. A date blank is written in words; an empty one is `today`, when given."""
    values = {**resolved.values, **{k: v.strip() for k, v in answers.items() if v and v.strip()}}
    for blank in resolved.blanks:
        if blank.type == "date":
            if blank.name in values:
                values[blank.name] = dates.stored_words(values[blank.name])
            elif today is not None:
                values[blank.name] = dates.words(today)
    missing = [b for b in resolved.blanks if b.name not in values]
    labels = {b.name: b.label for b in resolved.blanks}

    def put(match: re.Match) -> str:
        name = match.group(1)
        return values.get(name) or f"[{labels.get(name, name)}]"

    subject = PLACEHOLDER.sub(put, resolved.subject) if resolved.subject else None
    return Filled(resolved.to, subject, PLACEHOLDER.sub(put, resolved.text), missing)
