"""Every address a guide shows obeys the one link rule: hostile variants of items 5 and 6 of the review.

Each variant is a guide that differs from a good one in one value; each must be
refused with the rule's code, and the good one must pass, so a failure here is
the variant and nothing else.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from walkthrough.content.links import link_problem
from walkthrough.content.loader import load_guide

TODAY = datetime.date(2026, 11, 22)

GUIDE = """\
name: Alpha
title: Stop Alpha training AI
summary: Alpha trains AI on your posts.
last_verified: 2026-11-01
difficulty: easy
minutes: 5
recheck_days: 90
domains: [{domains}]
sources:
  - url: https://help.alpha.example/ai
steps:
  - id: turn-off
    kind: setting
    title: Turn off AI training
    body: {body}
    expect: The switch shows Off.
    link:
      url: {url}
      label: {label}
"""
GOOD = {
    "domains": "alpha.example",
    "body": "Open the setting page.",
    "url": "https://www.alpha.example/settings",
    "label": "Open the setting",
}


def load(tmp_path: Path, **changes: str):
    path = tmp_path / "alpha.yaml"
    path.write_text(GUIDE.format(**{**GOOD, **changes}), encoding="utf-8")
    return load_guide(path, today=TODAY, style=False)


def test_the_good_guide_loads(tmp_path):
    result = load(tmp_path)
    assert result.ok, [p.format() for p in result.problems]


# A step's link: (YAML value of `url`, the rule it breaks)
LINK_VARIANTS = {
    "newline then a fake line": ('"https://www.alpha.example/a\\nReal address: https://evil.example/login"', "E215"),
    "carriage return": ('"https://www.alpha.example/a\\rhttps://evil.example/"', "E007"),  # refused as it is read
    "tab": ('"https://www.alpha.example/\\tx"', "E215"),
    "space": ('"https://www.alpha.example/a b"', "E215"),
    "no-break space": ('"https://www.alpha.example/a\\u00a0b"', "E215"),
    "zero-width space in the host": ('"https://www.alpha\\u200b.example/"', "E215"),
    "trailing newline from a block": ("|\n        https://www.alpha.example/settings", "E215"),
    "markup click action": ("\"https://www.alpha.example/[@click=app.screenshot('x.svg','/tmp')]x[/]\"", "E203"),
    "markup closing tag": ('"https://www.alpha.example/[/foo]"', "E203"),
    "markup link": ('"https://www.alpha.example/[link=https://evil.example/]x"', "E203"),
    "backslash host": ('"https://evil.example\\\\.alpha.example/"', "E203"),
    "userinfo": ('"https://www.alpha.example@evil.example/"', "E203"),
    "encoded dot in host": ('"https://evil.example%2e.alpha.example/"', "E203"),
    "encoded host": ('"https://%65vil.example/"', "E203"),
    "unicode look-alike host": ('"https://www.\\u0430lpha.example/"', "E203"),
    "punycode host off the domains": ('"https://xn--lpha-4ve.example/"', "E203"),
    "redirect inside the query": ('"https://www.alpha.example/r?to=https://evil.example/login"', "E203"),
    "encoded redirect inside the query": ('"https://www.alpha.example/r?to=https%3A%2F%2Fevil.example"', "E203"),
    "protocol-relative": ('"//evil.example/"', "E202"),
    "http": ('"http://www.alpha.example/settings"', "E202"),
    "javascript": ('"javascript:alert(1)"', "E202"),
    "data": ('"data:text/html,<script>alert(1)</script>"', "E202"),
    "port": ('"https://www.alpha.example:8443/"', "E203"),
}


@pytest.mark.parametrize("variant", sorted(LINK_VARIANTS))
def test_a_hostile_link_is_refused(tmp_path, variant):
    url, code = LINK_VARIANTS[variant]
    result = load(tmp_path, url=url)
    assert not result.ok
    assert code in [p.code for p in result.problems], [p.format() for p in result.problems]
    for problem in result.problems:
        assert "\n" not in problem.format() and "\x1b" not in problem.format()


# Addresses written in the step's text (Markdown, HTML, bare).
TEXT_VARIANTS = {
    "markdown link with markup": '"[Open](https://www.alpha.example/[@click=app.bell]x)"',
    "markdown link carrying a redirect": '"[Open](https://www.alpha.example/r?u=https://evil.example/)"',
    "image": '"![switch](https://evil.example/x.png)"',
    "autolink": '"<https://evil.example/>"',
    "html href, single quotes": "\"<a href='https://evil.example/'>Open</a>\"",
    "html href, protocol-relative": '"<a href=\\"//evil.example/\\">Open</a>"',
    "html src": '"<img src=https://evil.example/x.png>"',
    "html entity in scheme": '"<a href=\\"&#104;ttps://evil.example/\\">x</a>"',
    "bare www": '"Go to www.evil.example now."',
    "label that is another address": '"[https://www.alpha.example/settings](https://evil.example/)"',
    "address shown as the label, another behind it": '"[Open https://evil.example/login](https://www.alpha.example/)"',
    "reference definition": '"[Open][1]\\n\\n[1]: https://evil.example/"',
}


@pytest.mark.parametrize("variant", sorted(TEXT_VARIANTS))
def test_a_hostile_address_in_text_is_refused(tmp_path, variant):
    result = load(tmp_path, body=TEXT_VARIANTS[variant])
    assert not result.ok, variant
    assert {p.code for p in result.problems} <= {"E202", "E203", "E215"}, [p.format() for p in result.problems]


@pytest.mark.parametrize(
    "label",
    ['"https://evil.example/login"', '"www.evil.example"', '"Open <https://evil.example/>"'],
)
def test_a_button_label_that_shows_another_address_is_refused(tmp_path, label):
    result = load(tmp_path, label=label)
    assert not result.ok
    assert "E203" in [p.code for p in result.problems]


DOMAIN_VARIANTS = {
    "newline after the domain": '"alpha.example\\n"',
    "newline and another host": '"alpha.example\\nevil.example"',
    "a scheme": '"https://alpha.example"',
    "a path": '"alpha.example/settings"',
    "punycode look-alike": '"xn--lpha-4ve.example"',
    "a shared second-level suffix": '"co.uk"',
    "a shared hosting suffix": '"github.io"',
    "a bare top-level domain": '"example"',
    "upper case": '"Alpha.Example"',
}


@pytest.mark.parametrize("variant", sorted(DOMAIN_VARIANTS))
def test_a_hostile_domain_is_refused_as_e204(tmp_path, variant):
    result = load(tmp_path, domains=DOMAIN_VARIANTS[variant] + ", alpha.example")
    assert "E204" in [p.code for p in result.problems], [p.format() for p in result.problems]
    assert not result.ok


def test_the_domain_check_itself_uses_the_end_of_the_text_not_of_a_line():
    assert link_problem("https://alpha.example/", ["alpha.example\n"]) is not None
    assert link_problem("https://alpha.example\n/", ["alpha.example"]) is not None


def test_show_never_prints_a_second_address_line(tmp_path, capsys):
    from walkthrough import cli

    folder = tmp_path / "guides"
    folder.mkdir()
    load(folder, url=LINK_VARIANTS["newline then a fake line"][0])
    code = cli.main(["show", "alpha", "--guides-dir", str(folder), "--json"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "Real address" not in out
    assert json.dumps("alpha.yaml")[1:-1] in err
