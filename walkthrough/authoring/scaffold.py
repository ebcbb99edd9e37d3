"""A new guide file with every field in place, for `optout-tui new`.

The values an author must supply are written as text starting with `TODO:`.
Where a TODO sits in a checked field (a host, a source or link address, a step
title) it breaks an existing lint rule, so `optout-tui validate` points at it
until it is replaced; `new` then names exactly those lines. Prose TODOs (the
summary, a step's body) pass validate, since no rule can judge writing, so
`new` lists them separately and the CI workflow looks for any `TODO:` left.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from walkthrough.authoring.docs import field_description
from walkthrough.content import yamlsafe
from walkthrough.content.loader import GUIDE_ID, load_guide
from walkthrough.content.model import Guide, Link, Source, Step
from walkthrough.content.problems import Problem, ProblemError

TODO = "TODO:"
SCHEMA_FILE = "schema.json"


def suggest_id(text: str) -> str:
    """`Acme Cloud!` -> `acme-cloud`: what the author probably meant."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def id_problem(gid: str) -> str | None:
    if GUIDE_ID.match(gid) and len(gid) <= 60:
        return None
    hint = suggest_id(gid)
    tip = f" such as `{hint}`" if hint and hint != gid else ""
    return (
        f"`{gid}` cannot be a guide id. Use lowercase letters, digits and hyphens{tip} "
        "(it becomes the file name and the word people type: `optout-tui ID`)."
    )


def name_problem(name: str) -> str | None:
    if not name.strip():
        return "The name is empty. Give the platform's name as people know it, for example --name LinkedIn."
    if len(name) > 200:
        return "The name is longer than 200 characters."
    if yamlsafe._CONTROL.search(name):
        return "The name holds an invisible control character. Type it again without it."
    return None


def _q(text: str) -> str:
    # A JSON string is a valid YAML double-quoted string, so any name is safe.
    return json.dumps(text, ensure_ascii=False)


def _about(kind: type, name: str, indent: str) -> str:
    """The model's own description of a field, as a comment above it."""
    words = field_description(kind, name).split()
    lines, line = [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > 76 - len(indent):
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(f"{indent}# {text}" for text in lines)


def render(gid: str, name: str | None, *, today: datetime.date, shared: list[str]) -> str:
    """The text of a new guide file. Every Guide and Step field is present."""
    shown = name or "the platform"
    name_value = _q(name) if name else _q(f"{TODO} the platform's name as people know it, such as LinkedIn")
    shared_list = ", ".join(shared) if shared else "none yet"
    G, S = Guide, Step
    return f"""\
# yaml-language-server: $schema={SCHEMA_FILE}
#
# A new guide for optout-tui. Replace every value marked TODO below.
# Check it with:   optout-tui validate --strict {gid}.yaml
# CONTRIBUTING.md says what reviewers look for. Write for a reader of about
# 12: short sentences, one action per step, the exact words on the screen.

{_about(G, "name", "")}
name: {name_value}
{_about(G, "title", "")}
title: {_q(f"{TODO} what the guide achieves, such as Stop {shown} using your posts to train AI")}
{_about(G, "summary", "")}
summary: {_q(f"{TODO} one to three plain sentences: what {shown} does with your data, and what this guide changes.")}
{_about(G, "last_verified", "")}
# Change it to the day you check every step on the real site.
last_verified: {today.isoformat()}
{_about(G, "difficulty", "")}
difficulty: medium
{_about(G, "minutes", "")}
minutes: 10
{_about(G, "recheck_days", "")}
# Platforms change these pages often; 90 days suits most.
recheck_days: 90
{_about(G, "domains", "")}
# Just the host, no https:// and no path. Links to www.example.com are allowed
# when example.com is listed.
domains:
  - {_q(f"{TODO} the platform's host name, such as example.com")}
{_about(G, "sources", "")}
# Each source is a page you read. Use https:// addresses.
sources:
{_about(Source, "url", "  ")}
  - url: {_q(f"{TODO} the https:// address of the platform's own help page")}
{_about(Source, "title", "    ")}
    title: {_q(f"{TODO} the title of that page, as shown on it")}
{_about(Source, "date", "    ")}
    # Leave it empty if the page shows no date.
    date:
{_about(G, "regions", "")}
# Example: [EU, EEA, UK, CH]
regions:
{_about(G, "limits", "")}
limits:
  - {_q(f"{TODO} for example: AI models already trained on your posts keep what they learned.")}
{_about(G, "aliases", "")}
# Example: [Facebook, Instagram]
aliases: []

{_about(G, "steps", "")}
steps:
{_about(S, "id", "  ")}
  - id: sign-in
{_about(S, "kind", "    ")}
    kind: action
{_about(S, "title", "    ")}
    title: Sign in to your account
{_about(S, "body", "    ")}
    body: |
      Open {shown} in your browser and sign in.
      Use the account you want to protect.
{_about(S, "link", "    ")}
    link:
{_about(Link, "url", "      ")}
      url: {_q(f"{TODO} the https:// address of the sign-in page")}
{_about(Link, "label", "      ")}
      label: Open the sign-in page
{_about(S, "expect", "    ")}
    expect: {_q(f"{TODO} what the user sees once signed in, such as: You see your home page.")}
{_about(S, "fallback", "    ")}
    fallback:
{_about(S, "regions", "    ")}
    regions:
{_about(S, "who", "    ")}
    who: you
{_about(S, "template", "    ")}
    template:
{_about(S, "record", "    ")}
    record: []
{_about(S, "sources", "    ")}
    # Same shape as the guide's sources, for a claim only this step makes.
    sources: []
{_about(S, "checked", "    ")}
    checked:
{_about(S, "law", "    ")}
    law:

  - id: turn-off-training
    kind: setting
    title: {_q(f"{TODO} what to do, starting with a verb, such as Turn off AI training")}
    body: |
      {TODO} what to click, one short sentence at a time.
      Quote the words on the screen exactly.
    link:
      url: {_q(f"{TODO} the https:// address of the setting")}
      label: Open the setting
    expect: {_q(f"{TODO} what done looks like, in the words on screen, such as: The switch shows Off.")}
    fallback: {_q(f"{TODO} how to find the setting by hand if the link fails: Settings, then Privacy, then ...")}
    regions:
    who: you
    # A form or email step gives the text to copy. Use a shared letter from
    # guides/templates/ ({shared_list}):
    #   template:
    #     use: gdpr-objection
    #     values:
    #       platform: {shown}
    # or write one here:
    #   template:
    #     to: privacy@example.com
    #     subject: Please stop using my data to train AI
    #     text: |
    #       Please do not use my data to train AI. My account is {{account}}.
    #     blanks:
    #       - name: account
    #         label: The email address of your account
    #         hint: It is in your account settings.
    #         example: sam@example.com
    #     values: {{}}
    template:
    # For example, after a form:
    #   record:
    #     - name: date_sent
    #       label: The date you sent the form
    #       type: date
    #     - name: case_number
    #       label: The case number in the reply email
    record: []
    sources: []
    checked:
    # A form with no letter to copy that makes a request under a law names the law,
    # so the app can say when a reply is due (a shared letter names its own):
    #   law: [gdpr, uk-gdpr]
    law:

  - id: check-setting
    kind: check
    title: Check that the setting stayed off
    body: |
      Reload the page in your browser.
      Look at the setting again.
      If it changed back, turn it off again.
    link:
      url: {_q(f"{TODO} the https:// address of the setting again")}
      label: Open the setting
    expect: {_q(f"{TODO} what the user sees after a reload, such as: The switch still shows Off.")}
"""


@dataclass(frozen=True)
class Placeholder:
    path: str  # where it is, as validate would name it: steps[1].title
    line: int
    column: int
    problem: Problem | None  # what validate reports here, or None when validate cannot tell


def _todos(node: yaml.Node, path: list[str | int]) -> list[tuple[str, yaml.Node]]:
    if isinstance(node, yaml.ScalarNode):
        return [(_path_words(path), node)] if node.value.lstrip().startswith(TODO) else []
    if isinstance(node, yaml.SequenceNode):
        return [t for i, item in enumerate(node.value) for t in _todos(item, [*path, i])]
    if isinstance(node, yaml.MappingNode):
        return [t for key, value in node.value for t in _todos(value, [*path, key.value])]
    return []


def _path_words(path: list[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def check(path: Path, shared: dict | None = None, *, today: datetime.date) -> tuple[list[Placeholder], list[Problem]]:
    """The TODOs left in a guide file, each with what validate says about it.

    The second list is whatever validate reports that is not at a TODO, so a
    caller can show it too and never claim less than validate will.
    """
    raw = path.read_bytes()
    result = load_guide(path, shared or {}, today=today, style=True, raw=raw)
    try:
        root = yamlsafe.parse(raw).root
    except ProblemError:
        return [], list(result.problems)
    by_place = {(p.line, p.column): p for p in result.problems}
    lines = raw.decode("utf-8").splitlines()
    found = []
    for where, node in _todos(root, []):
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        problem = by_place.pop((line, column), None)
        if getattr(node, "style", None) in ("|", ">") and problem is None:
            # Point at the TODO itself, not at the `|` that opens the block.
            line = next(n for n in range(line + 1, len(lines) + 1) if TODO in lines[n - 1])
            column = len(lines[line - 1]) - len(lines[line - 1].lstrip()) + 1
        found.append(Placeholder(where, line, column, problem))
    return found, sorted(by_place.values(), key=lambda p: (p.line, p.column))
