"""The small rules the loader and the app share: links, templates, regions, readability."""

from __future__ import annotations

import subprocess
import sys

import pytest

from walkthrough.content import readability, regions
from walkthrough.content.links import link_problem
from walkthrough.content.model import Blank, SharedTemplate, Template
from walkthrough.content.templates import fill, resolve

DOMAINS = ["linkedin.com"]


@pytest.mark.parametrize(
    "url",
    [
        "https://linkedin.com/",
        "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
        "https://www.linkedin.com:443/help",
    ],
)
def test_links_on_declared_domains_are_allowed(url):
    assert link_problem(url, DOMAINS) is None


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://www.linkedin.com/", "https://"),
        ("https://linkedln.com/", "not one of this guide's domains"),
        ("https://linkedin.com.evil.io/", "not one of this guide's domains"),
        ("https://evillinkedin.com/", "not one of this guide's domains"),
        ("https://linkedin.com@evil.io/", "@ sign"),
        ("https://www.lіnkedin.com/", "only look like"),  # Cyrillic і
        ("https://www.linkedin.com:8443/", "port 8443"),
        ("javascript:alert(1)", "https://"),
        ("https://", "no valid host"),
    ],
)
def test_links_elsewhere_are_refused_in_plain_words(url, words):
    reason = link_problem(url, DOMAINS)
    assert reason is not None and words in reason


def test_template_fill_uses_guide_values_and_names_missing_blanks():
    shared = {
        "letter": SharedTemplate(
            name="Letter",
            text="Dear {platform}, I am {full_name} ({email}).",
            subject="Hello {platform}",
            blanks=[Blank("platform", "Company"), Blank("full_name", "Your full name"), Blank("email", "Your email")],
        )
    }
    resolved = resolve(Template(use="letter", values={"platform": "LinkedIn"}), shared)
    assert [b.name for b in resolved.blanks] == ["full_name", "email"]  # the guide already fills platform

    partial = fill(resolved, {"full_name": "Ada Lovelace", "email": "  "})
    assert partial.text == "Dear LinkedIn, I am Ada Lovelace ([Your email])."
    assert [b.name for b in partial.missing] == ["email"] and not partial.complete

    done = fill(resolved, {"full_name": "Ada", "email": "ada@example.org"})
    assert done.complete
    assert done.as_text() == "Subject: Hello LinkedIn\n\nDear LinkedIn, I am Ada (ada@example.org)."


def test_regions_groups_and_countries():
    assert regions.applies(["EU"], "DE")
    assert not regions.applies(["EU"], "GB")
    assert regions.applies(["UK"], "GB")
    assert regions.applies(["EEA"], "NO")
    assert regions.applies(None, "US")
    assert regions.applies(["US"], None)  # no country chosen: show everything
    assert regions.describe(["EU", "UK", "CA"]) == "EU, UK and Canada"
    assert len(regions.EU) == 27


def test_readability_tells_plain_from_dense_text():
    plain = "Open the page. Click the switch. It turns grey. You are done. Close the page now."
    dense = (
        "Notwithstanding the aforementioned organisational considerations, individuals contemplating "
        "discontinuation of algorithmic personalisation functionality should systematically investigate "
        "administrative configuration alternatives."
    )
    assert readability.grade(plain) < 4
    assert readability.grade(dense) > 12
    assert readability.grade("Too short.") is None


def test_core_never_imports_textual_or_httpx():
    code = (
        "import sys, walkthrough.cli, walkthrough.catalog.loading, walkthrough.content.lint, walkthrough.content.plaintext;"
        "from walkthrough.cli import build_parser; build_parser();"
        "bad = [m for m in ('textual', 'httpx', 'rich') if m in sys.modules]; print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
