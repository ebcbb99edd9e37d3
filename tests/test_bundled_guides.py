"""The guides we ship: every platform people asked for, links only where they claim, sources over https."""

from __future__ import annotations

import pytest

from walkthrough.catalog.loading import load_catalog
from walkthrough.content.links import link_problem
from walkthrough.content.templates import fill, resolve

ASKED_FOR = """
    linkedin reddit meta x gemini chatgpt claude copilot slack quora tumblr wordpress substack medium
    pinterest adobe figma grammarly squarespace zoom deviantart stackoverflow alexa perplexity discord
    snapchat udemy kindle
""".split()

CATALOG = load_catalog(bundled=True)
GUIDES = CATALOG.sorted_guides()


def test_every_platform_people_asked_for_has_a_guide():
    assert CATALOG.failed == []
    assert set(ASKED_FOR) <= set(CATALOG.guides)


@pytest.mark.parametrize("loaded", GUIDES, ids=lambda g: g.id)
def test_links_stay_on_the_guides_own_domains_and_sources_are_https(loaded):
    guide = loaded.guide
    for step in guide.steps:
        if step.link:
            assert link_problem(step.link.url, guide.domains) is None, (step.id, step.link.url)
    assert guide.sources, "every guide names where its facts come from"
    for source in guide.sources:
        assert source.url.startswith("https://"), source.url


@pytest.mark.parametrize("loaded", GUIDES, ids=lambda g: g.id)
def test_templates_name_every_blank_they_leave_open(loaded):
    # After filling every blank the user is asked for, no `{placeholder}` may be left in the letter.
    for step in loaded.guide.steps:
        if step.template:
            resolved = resolve(step.template, CATALOG.templates)
            filled = fill(resolved, {b.name: "x" for b in resolved.blanks})
            assert "{" not in filled.text and "[" not in filled.text.replace("[x]", ""), step.id


@pytest.mark.parametrize(
    "loaded", [g for g in GUIDES if g.guide.difficulty in ("impossible", "limited")], ids=lambda g: g.id
)
def test_guides_without_a_full_way_out_say_what_is_left(loaded):
    assert loaded.guide.limits
    assert len(loaded.guide.steps) >= 2  # partial steps remain even when no switch exists
