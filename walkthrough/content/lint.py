"""Checks on what a guide's values mean, after its shape is known to be right.

Each check yields Problems with a code from problems.RULES, pointed at the
line of the value in question. Style checks (readability, verbs, staleness)
are warnings and can be skipped when the app loads guides, where only what
keeps the user safe matters.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from walkthrough.content import readability, regions, templates
from walkthrough.content.links import (
    blocked_source,
    domain_problem,
    has_space_or_control,
    hosts_in_text,
    link_problem,
    on_domains,
    shown_urls,
    text_fields,
    valid_domain,
)
from walkthrough.content.model import Guide, SharedTemplate, Source, Step, Template
from walkthrough.content.problems import Problem
from walkthrough.content.yamlsafe import locate, locate_text
from walkthrough.safe_text import visible

STALE_DAYS = 180
MAX_GRADE = 8.0

# Step titles are instructions, so they start with what to do. The list is the
# verbs guides use; add one here when a good title is flagged.
VERBS = frozenset(
    """
    accept add allow answer archive ask avoid block cancel change check choose clear click close
    come confirm consider contact copy deactivate decide delete disable disconnect do don't
    download edit email enable enter export fill find finish follow get give go hide keep know
    learn leave limit lock log look make manage mark note object open opt pick press protect quit
    read record reload remove repeat reply report request return review revoke save scroll search
    see select send set share sign skip start stop submit switch tap tell think tick turn type
    uncheck understand unlink unsubscribe untick update upload use visit wait wipe write
    """.split()
)


class _Sink:
    def __init__(self, path: Path, root: yaml.Node, text: str = ""):
        self.path, self.root, self.text = path, root, text
        self.items: list[Problem] = []

    def add(self, code: str, message: str, where: list, *, key: bool = False, word: str | None = None) -> None:
        """A problem at the value at `where` (its key with key=True, or `word` inside it)."""
        if word:
            line, column = locate_text(self.root, where, word, self.text)
        else:
            line, column = locate(self.root, where, key=key)
        self.items.append(Problem(self.path, line, column, code, message))


def check_guide(
    guide: Guide,
    path: Path,
    root: yaml.Node,
    shared: dict[str, SharedTemplate],
    *,
    today: datetime.date,
    style: bool = True,
    text: str = "",
) -> list[Problem]:
    """Every problem with what a guide's values mean. `text` (the file) lets a problem point inside a long value."""
    out = _Sink(path, root, text)
    # A day of slack: a guide checked "today" where the date is already tomorrow (a contributor in
    # Auckland, a release built at UTC midnight) is not from the future for someone in Hawaii.
    latest = today + datetime.timedelta(days=1)

    if guide.last_verified > latest:
        out.add("E209", f"`last_verified` is {guide.last_verified}, which is after today ({today}).", ["last_verified"])
    elif style and (today - guide.last_verified).days > STALE_DAYS:
        age = (today - guide.last_verified).days
        out.add(
            "W301",
            f"The guide was last verified {age} days ago. Check each step on the real site, then set "
            f"`last_verified` to the day you checked.",
            ["last_verified"],
        )

    for i, domain in enumerate(guide.domains):
        if reason := domain_problem(domain):
            out.add("E204", reason, ["domains", i])
    _check_sources(out, guide.sources, ["sources"], today)
    every_source = [s.url for s in guide.sources] + [s.url for step in guide.steps for s in step.sources]
    checkable = all(valid_domain(d) for d in guide.domains) and all(u.startswith("https://") for u in every_source)
    # Only once the hosts and addresses are written right can "none is official" be told apart from a typo.
    if checkable and not any(on_domains(url, guide.domains) for url in every_source):
        out.add(
            "E213",
            "No source is on the platform's own domains ("
            + ", ".join(guide.domains)
            + "). Cite at least one of its own help, policy or blog pages; news reports may support it.",
            ["sources"],
            key=True,
        )

    _check_regions(out, guide.regions, ["regions"])
    _check_shown_urls(out, guide, shared)
    if style:
        _check_hosts_in_text(out, guide)
    _check_one_line_names(out, guide)

    if style and guide.difficulty in ("impossible", "limited") and not guide.limits:
        out.add(
            "W307",
            f"A guide of difficulty `{guide.difficulty}` should say in `limits` what the user cannot do.",
            ["difficulty"],
        )

    seen: dict[str, int] = {}
    for i, step in enumerate(guide.steps):
        where = ["steps", i]
        if step.id in seen:
            out.add(
                "E201",
                f"Step id `{step.id}` is used twice (also by step {seen[step.id] + 1}). Give each step its own id.",
                [*where, "id"],
            )
        seen.setdefault(step.id, i)
        _check_regions(out, step.regions, [*where, "regions"])
        _check_sources(out, step.sources, [*where, "sources"], today)
        if step.checked and step.checked > latest:
            out.add("E209", f"`checked` is {step.checked}, which is after today ({today}).", [*where, "checked"])
        _check_names(out, [r.name for r in step.record], [*where, "record"], "record field")
        if step.template:
            _check_template(out, step.template, shared, [*where, "template"], style)
        if style:
            _check_style(out, step, where)
    return out.items


def check_shared_template(template: SharedTemplate, path: Path, root: yaml.Node) -> list[Problem]:
    out = _Sink(path, root)
    _check_names(out, [b.name for b in template.blanks], ["blanks"], "blank")
    used = templates.placeholders(template.subject, template.text)
    declared = {b.name for b in template.blanks}
    for name in used:
        if name not in declared:
            out.add(
                "E207", f"The text uses `{{{name}}}`, but no blank is named `{name}`. Add it under `blanks`.", ["text"]
            )
    for i, blank in enumerate(template.blanks):
        if blank.name not in used:
            out.add("W304", f"The blank `{blank.name}` is never used in the text.", ["blanks", i, "name"])
    return out.items


def _check_hosts_in_text(out: _Sink, guide: Guide) -> None:
    """A site named in the prose ("go to linkedin.com") must be one of the guide's own, like a link."""
    for path, text in text_fields(guide):
        for host in hosts_in_text(text):
            if not on_domains("https://" + host, guide.domains):
                out.add(
                    "W310",
                    f"The text names the site `{visible(host)}`, which is not one of this guide's domains "
                    f"({', '.join(guide.domains)}). A reader may type it: add it to `domains` if it is the "
                    "platform's own, or write `example.com` for an example.",
                    list(path),
                    word=host,
                )


def _check_shown_urls(out: _Sink, guide: Guide, shared: dict[str, SharedTemplate]) -> None:
    """Every address the guide shows, in any field, must obey the link rule."""
    for shown in shown_urls(guide, shared):
        if shown.kind == "source":
            continue  # sources may cite the press; _check_sources has their rule
        url = "https://" + shown.url if shown.kind != "link" and shown.url.startswith("www.") else shown.url
        reason = link_problem(url, guide.domains)
        if reason is None:
            continue
        if shown.kind == "letter":
            reason = f"The shared letter this step uses shows an address this guide may not show: {reason}"
        elif shown.kind == "text":
            reason = f"An address in the text: {reason}"
        if not url.startswith("https://"):
            code = "E202"
        elif has_space_or_control(url):
            code = "E215"
        else:
            code = "E203"
        out.add(code, reason, list(shown.path), word=shown.url if shown.kind == "text" else None)


def _check_one_line_names(out: _Sink, guide: Guide) -> None:
    """Ids, region codes and blank names end where they seem to: a `$` in their patterns lets a final line break in.

    A step id `sign-in` followed by a line break would be saved as another step; a code
    that carries a line break splits any message that quotes it.
    """
    names: list[tuple[str, list]] = [(code, ["regions", i]) for i, code in enumerate(guide.regions or [])]
    for i, step in enumerate(guide.steps):
        where = ["steps", i]
        names.append((step.id, [*where, "id"]))
        names += [(code, [*where, "regions", j]) for j, code in enumerate(step.regions or [])]
        names += [(r.name, [*where, "record", j, "name"]) for j, r in enumerate(step.record)]
        if step.template:
            names += [(b.name, [*where, "template", "blanks", j, "name"]) for j, b in enumerate(step.template.blanks)]
            names += [(key, [*where, "template", "values"]) for key in step.template.values]
            if step.template.use:
                names.append((step.template.use, [*where, "template", "use"]))
    for value, where in names:
        if value != value.strip():
            out.add("E103", f"`{value.strip()}` ends with a line break or a space. Write it on one line.", where)


def _check_sources(out: _Sink, sources: list[Source], where: list, today: datetime.date) -> None:
    for i, source in enumerate(sources):
        if not source.url.startswith("https://"):
            out.add("E205", f"The source `{source.url}` must be an https:// address.", [*where, i, "url"])
        elif blocked := blocked_source(source.url):
            out.add(
                "E214",
                f"`{blocked}` may not be cited: it is on the list of aggregators, copies and shorteners "
                "in walkthrough/content/blocked_sources.txt. Cite the original page instead.",
                [*where, i, "url"],
            )
        if source.date and source.date > today + datetime.timedelta(days=1):
            out.add("E212", f"The source date {source.date} is after today ({today}).", [*where, i, "date"])


def _check_regions(out: _Sink, codes: list[str] | None, where: list) -> None:
    for i, code in enumerate(codes or []):
        if not regions.is_known(code):
            groups = ", ".join(regions.GROUPS)
            out.add(
                "E206",
                f"`{code}` is not a known region. Use a two-letter country code (DE, US, GB) or a group: {groups}.",
                [*where, i],
            )


def _check_names(out: _Sink, names: list[str], where: list, what: str) -> None:
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            out.add("E211", f"Two {what}s are named `{name}`. Give each its own name.", [*where, i, "name"])
        seen.add(name)


def _check_template(out: _Sink, t: Template, shared: dict[str, SharedTemplate], where: list, style: bool) -> None:
    if (t.text is None) == (t.use is None):
        out.add(
            "E210",
            "A template needs either `text` (the words to copy) or `use` (a shared template), not both.",
            where,
        )
        return
    base = shared.get(t.use) if t.use else None
    if t.use and base is None:
        known = ", ".join(sorted(shared)) or "none"
        out.add("E208", f"There is no shared template `{t.use}`. Known shared templates: {known}.", [*where, "use"])
        return
    _check_names(out, [b.name for b in t.blanks], [*where, "blanks"], "blank")
    text = t.text if t.text is not None else (base.text if base else "")
    subject = t.subject if t.subject is not None else (base.subject if base else None)
    used = templates.placeholders(subject, text)
    declared = {b.name for b in t.blanks} | set(t.values) | ({b.name for b in base.blanks} if base else set())
    for name in used:
        if name not in declared:
            out.add(
                "E207",
                f"The template uses `{{{name}}}`, but no blank or value is named `{name}`. "
                "Add it under `blanks` or `values`.",
                [*where, "text" if t.text is not None else "use"],
            )
    if style:
        for i, blank in enumerate(t.blanks):
            if blank.name not in used:
                out.add("W304", f"The blank `{blank.name}` is never used in the text.", [*where, "blanks", i, "name"])


def _check_style(out: _Sink, step: Step, where: list) -> None:
    first = step.title.split()[0].strip("\"'“”").lower() if step.title.split() else ""
    if first not in VERBS:
        out.add(
            "W303",
            f"Start the step title with what to do, such as `Open`, `Turn off` or `Check` (it starts with `{first}`).",
            [*where, "title"],
        )
    grade = readability.grade(step.body)
    if grade is not None and grade > MAX_GRADE:
        out.add(
            "W302",
            f"This step reads at school grade {grade:.0f}; aim for {MAX_GRADE:.0f} or below. "
            "Use shorter sentences and shorter words.",
            [*where, "body"],
        )
    if step.kind in ("setting", "check") and not step.expect:
        out.add("W305", "Say in `expect` what the user sees when it worked.", [*where, "kind"])
    if step.kind in ("form", "email") and not step.template:
        out.add("W306", f"A `{step.kind}` step should give the text to copy in `template`.", [*where, "kind"])
