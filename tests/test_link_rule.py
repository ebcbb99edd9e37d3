"""The link rule covers every address a guide shows, in every field, as validate and check-links see it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from walkthrough.catalog.loading import load_paths
from walkthrough.linkcheck import targets as found

GUIDE = """\
name: Alpha
title: Stop Alpha training AI
summary: {summary}
last_verified: 2026-11-01
difficulty: easy
minutes: 5
recheck_days: 90
domains: [alpha.example]
sources:
  - url: https://help.alpha.example/ai
limits:
  - {limit}
steps:
  - id: turn-off
    kind: setting
    title: Turn off AI training
    body: |
      Open the setting page.
      {body}
    expect: {expect}
    fallback: {fallback}
    link:
      url: https://www.alpha.example/settings
      label: Open the setting
  - id: object
    kind: email
    title: Send the objection email
    body: Copy the text below.
    template:
      text: |
        I object. {letter}
"""
PLAIN = {k: "Nothing to see." for k in ("summary", "limit", "body", "expect", "fallback", "letter")}

HOSTILE_FORMS = {
    "markdown link": "Read [Alpha](https://evil.example/phish).",
    "markdown image": "See ![the switch](https://evil.example/x.png).",
    "autolink": "Go to <https://evil.example/login>.",
    "html link": 'Go to <a href="https://evil.example/login">Alpha</a>.',
    "bare address": "Go to https://evil.example/login now.",
    "www address": "Go to www.evil.example/login now.",
    "reference link": "[Alpha][1]\n\n      [1]: https://evil.example/ref",
    "javascript link": "[Alpha](javascript:alert(1))",
    "plain http": "Read [Alpha](http://www.alpha.example/settings).",
}


def write(tmp_path: Path, **fields: str) -> Path:
    folder = tmp_path / "guides"
    folder.mkdir(exist_ok=True)
    path = folder / "alpha.yaml"
    path.write_text(GUIDE.format(**{**PLAIN, **fields}), encoding="utf-8")
    return path


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "walkthrough", "validate", "--strict", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_plain_guide_passes(tmp_path):
    assert validate(write(tmp_path)).returncode == 0


@pytest.mark.parametrize("form", sorted(HOSTILE_FORMS))
def test_an_address_off_the_guides_domains_in_a_step_body_fails_validate_at_its_line(tmp_path, form):
    path = write(tmp_path, body=HOSTILE_FORMS[form])
    out = validate(path)
    assert out.returncode == 1, out.stdout
    problems = json.loads(out.stdout)
    assert [p["code"] for p in problems] in (["E202"], ["E203"]), problems
    # Pointed at the line of the address itself, inside the step's text.
    needle = {"javascript link": "javascript:", "plain http": "http://"}.get(form, "evil.example/")
    lines = path.read_text(encoding="utf-8").splitlines()
    where = next(n for n, line in enumerate(lines, 1) if needle in line and "[Alpha][1]" not in line)
    assert problems[0]["line"] == where
    assert "address in the text" in problems[0]["message"]


@pytest.mark.parametrize("field", ["summary", "limit", "expect", "fallback", "letter"])
def test_every_text_field_is_checked(tmp_path, field):
    out = validate(write(tmp_path, **{field: "Go to [Alpha](https://evil.example/phish) now."}))
    assert out.returncode == 1, out.stdout
    assert {p["code"] for p in json.loads(out.stdout)} == {"E203"}


def test_a_space_or_line_break_inside_an_address_is_refused(tmp_path):
    path = write(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "url: https://www.alpha.example/settings", 'url: "https://www.alpha.example/settings\\nReal address: x"'
    )
    path.write_text(text, encoding="utf-8")
    out = validate(path)
    assert out.returncode == 1
    assert [p["code"] for p in json.loads(out.stdout)] == ["E215"]


def test_check_links_collects_addresses_in_text_with_their_guide_and_step(tmp_path):
    path = write(
        tmp_path,
        body="Read [the help](https://help.alpha.example/settings-help).",
        limit="See <https://www.alpha.example/ai>.",
    )
    catalog = load_paths([path])
    assert not catalog.failed, catalog.problems
    uses = {t.url: t.uses for t in found.collect(catalog)}
    (in_body,) = uses["https://help.alpha.example/settings-help"]
    assert (in_body.guide, in_body.step, in_body.step_number, in_body.field) == ("alpha", "turn-off", 1, "body")
    (in_limits,) = uses["https://www.alpha.example/ai"]
    assert (in_limits.step, in_limits.kind) == (None, "guide")
    assert "https://www.alpha.example/settings" in uses and "https://help.alpha.example/ai" in uses


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Go to linkedln.com and sign in.", "linkedln.com"),
        ("Open alpha.example.evil.io/settings.", "alpha.example.evil.io"),
        ("Type ALPHA-LOGIN.COM in your browser.", "alpha-login.com"),
        ("Write to help.alpha.example.co.uk today.", "help.alpha.example.co.uk"),
    ],
)
def test_a_site_named_in_the_text_must_be_one_of_the_guides(tmp_path, text, flagged):
    # People type what they read: "linkedln.com" in a step would send them to a look-alike.
    out = validate(write(tmp_path, body=text))
    assert out.returncode == 1, out.stdout
    problems = json.loads(out.stdout)
    assert [(p["code"], flagged in p["message"]) for p in problems] == [("W310", True)]


@pytest.mark.parametrize(
    "text",
    [
        "Open alpha.example and sign in.",  # the guide's own domain
        "Open help.alpha.example/ai.",  # a subdomain of it
        "If your site is example.com, open example.com/robots.txt.",  # reserved for examples
        "Edit the robots.txt file.",  # a file, not a site
        "It runs on Node.js.",
    ],
)
def test_the_guides_own_sites_examples_and_file_names_are_not_flagged(tmp_path, text):
    out = validate(write(tmp_path, body=text))
    assert out.returncode == 0, out.stdout
