"""The guides we ship: every platform people asked for, links only where they claim, sources over https."""

from __future__ import annotations

import pytest

from walkthrough.catalog.loading import load_catalog
from walkthrough.content.links import blocked_source, link_problem, on_domains
from walkthrough.content.templates import fill, resolve

ASKED_FOR = """
    linkedin reddit meta x gemini chatgpt claude copilot slack quora tumblr wordpress substack medium
    pinterest adobe figma grammarly squarespace zoom deviantart stackoverflow alexa perplexity discord
    snapchat udemy kindle
    github-copilot grok whatsapp youtube tiktok google dropbox canva deepseek mistral character-ai otter
    wix shopify flickr duolingo microsoft-365 apple notion spotify bluesky
""".split()
# Platforms people ask for that are part of another guide, and found by that guide's other names.
ASKED_FOR_AS_ALIAS = {"threads": "meta", "facebook": "meta", "instagram": "meta", "twitter": "x"}

CATALOG = load_catalog(bundled=True)
GUIDES = CATALOG.sorted_guides()


def test_every_platform_people_asked_for_has_a_guide():
    assert CATALOG.failed == []
    assert set(ASKED_FOR) <= set(CATALOG.guides)
    for alias, gid in ASKED_FOR_AS_ALIAS.items():
        assert alias in [a.lower() for a in CATALOG.guides[gid].guide.aliases], (alias, gid)


@pytest.mark.parametrize("loaded", GUIDES, ids=lambda g: g.id)
def test_every_guide_cites_its_platform_and_nothing_blocked(loaded):
    guide = loaded.guide
    every = [*guide.sources, *(s for step in guide.steps for s in step.sources)]
    assert any(on_domains(s.url, guide.domains) for s in every), "no source on the platform's own pages"
    assert not [s.url for s in every if blocked_source(s.url)], "a source on a host that may never be cited"
    assert all(s.url.startswith("https://") for s in every)


@pytest.mark.parametrize("loaded", [g for g in GUIDES if g.guide.difficulty == "nothing-to-do"], ids=lambda g: g.id)
def test_nothing_to_do_guides_say_how_to_check(loaded):
    # "The platform says it does not train on your data" is a claim to check, not a task.
    assert any(step.kind in ("check", "info") for step in loaded.guide.steps)


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
