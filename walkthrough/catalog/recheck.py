"""The checks a guide from the cache goes through again before anyone sees it.

The cache is a file in the user's cache folder, and anything could have written
it: an old version of the app, a crash half-way through a write, or someone who
wants a phishing link shown. Decoding it with the model's types already refuses
a wrong shape (an unknown field, a bad step id or region code, a number out of
range). These are the checks that come after the shape, the ones the loader
runs on a parsed file (walkthrough.content.lint and yamlsafe), done on the
decoded guide with the same rules and no YAML: the link rule on every address
the guide shows, no control characters in any text, one id per step, and the
rest of the error checks. They cost a fraction of a millisecond per guide and
run only when a guide is opened (the list reads the outline, see outline.py).

A guide that fails any check is not used: the catalogue reads its file again
(walkthrough.catalog.loading), so the user gets what the file says, checked.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

import msgspec

from walkthrough.content import regions
from walkthrough.content.model import Guide, SharedTemplate, Template
from walkthrough.safe_text import visible


def _texts(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)


def _control_text(value: msgspec.Struct) -> str | None:
    for text in _texts(msgspec.to_builtins(value)):
        # The same characters `visible` escapes when text is printed; line breaks and tabs are text.
        if visible(text, keep_lines=True) != text:
            return f"text holds a control character: {visible(text)[:80]}"
    return None


def _listed(domain: str, text: str) -> bool:
    """Whether `domain` is written in `text` as a host of its own, not only inside an address or a longer host."""
    return re.search(r"(?<![\w./@-])" + re.escape(domain) + r"(?![\w-]|\.[\w-])", text) is not None


def _duplicate(names: list[str]) -> str | None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            return name
        seen.add(name)
    return None


def template_problems(template: SharedTemplate) -> list[str]:
    """Why a shared letter from the cache may not be used (empty when it may).

    Blanks the letter uses without describing them are checked with each guide
    that uses it (guide_problems), where the guide's own values count too.
    """
    found = []
    if reason := _control_text(template):
        found.append(reason)
    if name := _duplicate([b.name for b in template.blanks]):
        found.append(f"two blanks are named {name}")
    return found


def guide_problems(
    guide: Guide, shared: dict[str, SharedTemplate], today: datetime.date, file_text: str | None = None
) -> list[str]:
    """Why a guide from the cache may not be shown (empty when it may): every error check of the loader.

    With `file_text` (the guide's file as it is now), also that every address and domain the
    cached guide shows is written in that file: a cache edited to point a link elsewhere, or
    to declare another domain for it, does not match its file any more.
    """
    from walkthrough.content.links import blocked_source, link_problem, on_domains, shown_urls, valid_domain

    found = []
    if file_text is not None:
        found += [
            f"the domain {visible(d)} is not in the guide's file" for d in guide.domains if not _listed(d, file_text)
        ]
    if reason := _control_text(guide):
        found.append(reason)
    found += [f"`{visible(d)}` is not a plain host name" for d in guide.domains if not valid_domain(d)]
    for shown in shown_urls(guide, shared):
        if file_text is not None and shown.kind != "letter" and shown.url not in file_text:
            found.append(f"the address {visible(shown.url)} is not in the guide's file")
        if shown.kind == "source":
            if not shown.url.startswith("https://"):
                found.append(f"the source {visible(shown.url)} is not an https:// address")
            elif blocked := blocked_source(shown.url):
                found.append(f"the source is on {blocked}, which may never be cited")
            continue
        url = "https://" + shown.url if shown.kind != "link" and shown.url.startswith("www.") else shown.url
        if reason := link_problem(url, guide.domains):
            found.append(reason)
    every_source = [s.url for s in guide.sources] + [s.url for step in guide.steps for s in step.sources]
    checkable = all(valid_domain(d) for d in guide.domains) and all(u.startswith("https://") for u in every_source)
    if checkable and not any(on_domains(url, guide.domains) for url in every_source):
        found.append("no source is on the guide's own domains")
    if guide.last_verified > today:
        found.append(f"last_verified {guide.last_verified} is after today")
    found += [f"a source is dated {s.date}, after today" for s in guide.sources if s.date and s.date > today]
    found += [f"`{code}` is not a known region" for code in guide.regions or [] if not regions.is_known(code)]
    if step_id := _duplicate([step.id for step in guide.steps]):
        found.append(f"step id {step_id} is used twice")
    for step in guide.steps:
        found += [f"`{code}` is not a known region" for code in step.regions or [] if not regions.is_known(code)]
        found += [f"a source is dated {s.date}, after today" for s in step.sources if s.date and s.date > today]
        if step.checked and step.checked > today:
            found.append(f"step {step.id} was checked on {step.checked}, after today")
        if name := _duplicate([r.name for r in step.record]):
            found.append(f"two record fields of step {step.id} are named {name}")
        if step.template:
            found += _template_problems(step.id, step.template, shared)
    return found


def _template_problems(step_id: str, t: Template, shared: dict[str, SharedTemplate]) -> list[str]:
    from walkthrough.content.templates import placeholders

    if (t.text is None) == (t.use is None):
        return [f"the letter of step {step_id} needs either text or use"]
    base = shared.get(t.use) if t.use else None
    if t.use and base is None:
        return [f"step {step_id} uses a shared letter that does not exist: {t.use}"]
    found = []
    if name := _duplicate([b.name for b in t.blanks]):
        found.append(f"two blanks of step {step_id} are named {name}")
    text = t.text if t.text is not None else (base.text if base else "")
    subject = t.subject if t.subject is not None else (base.subject if base else None)
    declared = {b.name for b in t.blanks} | set(t.values) | ({b.name for b in base.blanks} if base else set())
    if missing := [n for n in placeholders(subject, text) if n not in declared]:
        found.append(f"the letter of step {step_id} uses blanks it does not describe: {', '.join(missing)}")
    if base is not None and (name := _duplicate([b.name for b in base.blanks])):
        found.append(f"two blanks of the shared letter {t.use} are named {name}")
    return found
