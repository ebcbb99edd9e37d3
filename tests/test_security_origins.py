"""A guide or letter from another folder says so wherever it is shown (item 7), and look-alike names are warned about.

The bundled guides are loaded for real, beside a folder of the test's own.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from pilot_wait import until

from walkthrough import cli
from walkthrough.catalog.loading import load_catalog, load_paths
from walkthrough.paths import bundled_guides_dir
from walkthrough.progress.store import ProgressStore
from walkthrough.tui.app import make_app

BUNDLED = bundled_guides_dir()
TODAY = datetime.date(2026, 11, 22)


def linkedin_with(**changes: str) -> str:
    text = (BUNDLED / "linkedin.yaml").read_text()
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    return text


@pytest.fixture
def mine(tmp_path) -> Path:
    """A folder that replaces LinkedIn (with one more domain) and the GDPR letter (with other words)."""
    folder = tmp_path / "my guides"
    (folder / "templates").mkdir(parents=True)
    (folder / "linkedin.yaml").write_text(
        linkedin_with(**{"domains: [linkedin.com]": "domains: [linkedin.com, evil.example]"})
    )
    letter = (BUNDLED / "templates" / "gdpr-objection.yaml").read_text()
    (folder / "templates" / "gdpr-objection.yaml").write_text(letter.replace("I object", "I agree to everything", 1))
    return folder


def test_the_catalogue_records_where_each_guide_and_letter_came_from(mine):
    catalog = load_catalog([str(mine)])
    linkedin = catalog.guides["linkedin"]
    assert linkedin.origin is not None and linkedin.origin.folder == mine
    assert linkedin.origin.replaces == BUNDLED / "linkedin.yaml"
    assert catalog.guides["reddit"].origin is None
    letter = catalog.letter_origins["gdpr-objection"]
    assert letter.folder == mine / "templates" or letter.folder == mine
    assert letter.replaces == BUNDLED / "templates" / "gdpr-objection.yaml"


def test_list_says_which_guide_and_letter_replace_ours(mine, capsys):
    assert cli.main(["list", "--guides-dir", str(mine)]) == 0
    err = capsys.readouterr().err
    assert "the guide linkedin comes from another folder" in err and "replaces the guide" in err
    assert "the letter gdpr-objection comes from another folder" in err
    assert "my guides" in err
    assert cli.main(["list", "--json", "--guides-dir", str(mine)]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["linkedin"]["replaces"].endswith("linkedin.yaml") and rows["reddit"]["from_folder"] is None


def test_show_starts_with_where_the_guide_and_its_letter_came_from(mine, capsys):
    assert cli.main(["show", "linkedin", "--guides-dir", str(mine)]) == 0
    out = capsys.readouterr().out
    head = " ".join(out.split("\n\n", 1)[0].split())
    assert head.startswith("Note: This guide comes from another folder")
    assert "replaces the guide of the same name" in head
    assert "The letter `gdpr-objection` it uses comes from another folder" in head
    # A guide of ours that uses the replaced letter says so too.
    users = [
        g
        for g in load_catalog([str(mine)]).guides.values()
        if g.origin is None and any(s.template and s.template.use == "gdpr-objection" for s in g.guide.steps)
    ]
    if users:
        assert cli.main(["show", users[0].id, "--guides-dir", str(mine)]) == 0
        assert "The letter `gdpr-objection` it uses comes from another folder" in capsys.readouterr().out


def test_validate_notes_a_replacement(mine, capsys):
    cli.main(["validate", str(mine / "linkedin.yaml"), str(mine / "templates" / "gdpr-objection.yaml")])
    err = capsys.readouterr().err
    assert "replaces the guide linkedin that came with optout-tui" in err
    assert "letter gdpr-objection" in err


async def shown(pilot, gid: str) -> None:
    for _ in range(50):
        await pilot.pause(0.05)
        if getattr(pilot.app.screen, "loaded", None) is not None and pilot.app.screen.loaded.id == gid:
            await pilot.pause()
            return
    raise AssertionError(f"the guide {gid} was not shown")


async def test_the_app_says_so_at_start_and_on_the_guide_screen(mine):
    store = ProgressStore.open_default()[0]
    store.set_setting("region_asked", "yes")
    store.close()
    app = make_app([str(mine)])  # the real today: bundled guides checked after TODAY would fail
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert any("replace the ones that came with optout-tui: linkedin" in n.message for n in app._notifications)
        app.open_guide("reddit")
        await shown(pilot, "reddit")
        text = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "Reddit" in text and "comes from another folder" not in text
        app.open_guide("linkedin")
        await shown(pilot, "linkedin")
        text = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "This guide comes from another folder" in " ".join(text.replace("\u2588", " ").split())


# ---- look-alike names -------------------------------------------------------------------------

LOOK_ALIKES = {
    "the same name": "LinkedIn",
    "upper case": "LINKEDIN",
    "a space": "Linked In",
    "Cyrillic i": "L\u0456nkedIn",
    "Greek iota": "Linked\u0399n",
    "dotless i": "L\u0131nkedIn",
    "accent": "Lìnkedin",
}


@pytest.mark.parametrize("variant", sorted(LOOK_ALIKES))
def test_a_look_alike_name_is_a_warning(variant, tmp_path):
    folder = tmp_path / "guides"
    folder.mkdir()
    name = LOOK_ALIKES[variant]
    (folder / "other-network.yaml").write_text(linkedin_with(**{"name: LinkedIn": f"name: {name}"}))
    catalog = load_catalog([str(folder)])
    codes = {p.code for p in catalog.problems if p.path.name == "other-network.yaml"}
    assert "W308" in codes, [p.format() for p in catalog.problems]
    if variant in ("Cyrillic i", "Greek iota"):
        assert "W309" in codes
    assert "other-network" in catalog.guides  # a warning: the user decides


def test_validate_strict_fails_on_two_guides_with_one_name(tmp_path, capsys):
    folder = tmp_path / "guides"
    folder.mkdir()
    (folder / "a.yaml").write_text(linkedin_with(**{"name: LinkedIn": "name: Acme"}))
    (folder / "b.yaml").write_text(linkedin_with(**{"name: LinkedIn": "name: \u0410cme"}))
    assert cli.main(["validate", "--strict", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "W308" in out and "W309" in out
    catalog = load_paths([folder], today=TODAY)
    assert {p.code for p in catalog.problems} >= {"W308", "W309"}


def test_distinct_names_are_not_flagged():
    catalog = load_catalog()
    assert [p.format() for p in catalog.problems if p.code in ("W308", "W309")] == []


async def test_many_look_alike_names_make_one_notice_not_one_each(tmp_path, data_dir):
    # A big folder of guides can hold hundreds of look-alikes: one toast says so, with how many.
    folder = tmp_path / "guides"
    folder.mkdir()
    for i, name in enumerate(["LinkedIn", "LINKEDIN", "Linked In", "L\u0456nkedIn", "Reddit", "REDDIT"]):
        (folder / f"g{i}.yaml").write_text(linkedin_with(**{"name: LinkedIn": f"name: {name}"}))
    catalog = load_catalog([str(folder)])
    alike = [p for p in catalog.problems if p.code in ("W308", "W309")]
    assert len(alike) >= 6
    store = ProgressStore.open_default()[0]
    store.set_setting("region_asked", "yes")
    store.close()
    app = make_app([str(folder)])
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await until(pilot, lambda: not app.catalog.pending(), what="every guide to be read")  # a first start
        await pilot.pause()
        notices = [n for n in app._notifications if n.title == "Guides with the same name"]
        assert len(notices) == 1
        words = notices[0].message
        assert words.startswith("Some guides have the same name as another, or a name that looks the same: “")
        # Six guides, each named like another (ours or one of the six): three named, three counted.
        assert " and 3 more." in words and "says so at its top" in words
