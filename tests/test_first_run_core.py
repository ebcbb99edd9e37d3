"""The headless rules behind a new user's first run (issue 15): countries, guide names, plain text,
the terminal check, how a link is opened, the clipboard tools, and saving a letter."""

from __future__ import annotations

import datetime
import stat
from pathlib import Path

import pytest

from walkthrough.catalog import lookup
from walkthrough.catalog.loading import load_catalog
from walkthrough.commands.app import terminal_problem
from walkthrough.content import regions
from walkthrough.content.plaintext import markdown_text
from walkthrough.tui import browser, clipboard
from walkthrough.tui.saving import file_stem, save_private

# ---- countries ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("USA", "US"),
        ("u.s.a.", "US"),
        ("America", "US"),
        ("United States of America", "US"),
        ("England", "GB"),
        ("Great Britain", "GB"),
        ("Britain", "GB"),
        ("uk", "GB"),
        ("Deutschland", "DE"),
        ("Holland", "NL"),
        ("the Netherlands", "NL"),
        ("ÖSTERREICH", "AT"),
        ("osterreich", "AT"),
        ("Schweiz", "CH"),
        ("Suisse", "CH"),
        ("España", "ES"),
        ("espana", "ES"),
        ("Ελλάδα", "GR"),
        ("Polska", "PL"),
        ("Brasil", "BR"),
        ("Bharat", "IN"),
        ("Canada", "CA"),
        ("Australia", "AU"),
        ("Éire", "IE"),
        ("Sverige", "SE"),
        ("Norge", "NO"),
        ("Ísland", "IS"),
        ("Liechtenstein", "LI"),
        ("de", "DE"),
        ("  germany ", "DE"),
    ],
)
def test_a_country_is_found_by_any_name_people_use(typed, code):
    assert regions.find_country(typed) == code


def test_every_country_a_guide_or_the_eea_names_has_another_name_or_is_plain_english():
    # The EU/EEA, the UK, Switzerland, the US, Canada, Brazil, India and Australia, and every
    # country a bundled guide names: each has an entry people can find by its own name.
    wanted = set(regions.EEA) | {"GB", "CH", "US", "CA", "BR", "IN", "AU"}
    catalog = load_catalog()
    for loaded in catalog.guides.values():
        for codes in [loaded.guide.regions or []] + [s.regions or [] for s in loaded.guide.steps]:
            wanted |= {c for c in codes if c in regions.COUNTRIES}
    assert wanted - set(regions.ALIASES) == set()


def test_a_part_of_a_name_is_never_an_exact_match():
    found = regions.search("United")
    assert [m.code for m in found][:3] == ["AE", "GB", "US"]
    assert not any(m.exact for m in found)
    america = regions.search("America")
    assert america[0].code == "US" and america[0].exact  # not American Samoa
    assert regions.find_country("United") is None


def test_the_name_that_matched_is_shown_beside_the_english_one():
    assert regions.search("Deutschland")[0].label == "Germany (DE), Deutschland"
    assert regions.search("germ")[0].label == "Germany (DE)"


def test_nothing_matching_says_so_with_a_suggestion():
    words = regions.no_match_words("Germny")
    assert words.startswith("No country matches 'Germny'.") and "Did you mean Germany" in words
    assert "No country matches 'Xyzzy'." in regions.no_match_words("Xyzzy")
    assert "\x1b" not in regions.no_match_words("\x1b[2J")


def test_country_names_take_the_article_english_needs():
    assert regions.country_phrase("US") == "the United States"
    assert regions.country_phrase("GB") == "the United Kingdom"
    assert regions.country_phrase("NL") == "the Netherlands"
    assert regions.country_phrase("DE") == "Germany"
    assert regions.describe(["EU", "UK", "US"], articles=True) == "the EU, the UK and the United States"
    assert regions.describe(["EU", "UK", "CA"]) == "EU, UK and Canada"  # unchanged for tables


# ---- guide names -------------------------------------------------------------


@pytest.fixture(scope="module")
def guides():
    return load_catalog().guides


@pytest.mark.parametrize(
    ("typed", "gid"),
    [
        ("LinkedIn", "linkedin"),
        ("LINKEDIN", "linkedin"),
        ("facebook", "meta"),
        ("Instagram", "meta"),
        ("twitter", "x"),
        ("Stack Overflow", "stackoverflow"),
        ("github copilot", "github-copilot"),
        ("Microsoft 365", "microsoft-365"),
        ("character.ai", "character-ai"),
        ("copilot", "copilot"),  # an id wins over another guide's alias
    ],
)
def test_a_guide_is_found_by_id_in_any_case_name_or_alias(guides, typed, gid):
    found = lookup.find(guides, typed).found
    assert found is not None and found.id == gid


def test_an_alias_two_guides_share_is_not_guessed(guides):
    result = lookup.find(guides, "Amazon")
    assert result.found is None
    assert {gid for gid, _ in result.ambiguous} == {"alexa", "kindle"}
    assert "could be more than one guide: alexa (Amazon), kindle (Amazon)" in lookup.not_found_words(guides, "Amazon")


def test_a_misspelling_suggests_ids_and_aliases(guides):
    assert "Did you mean: meta (Facebook)" in lookup.not_found_words(guides, "facebok")
    assert "Did you mean: linkedin" in lookup.not_found_words(guides, "linkdin")
    assert "x (Twitter)" in lookup.not_found_words(guides, "twiter")


# ---- plain text ----------------------------------------------------------------


def test_markdown_code_blocks_and_hard_breaks_keep_their_lines():
    body = (
        "Add these two\nlines:\n\n    User-agent: GPTBot\n    Disallow: /\n\n"
        "Then save.\n\n```\nUser-agent: CCBot\nDisallow: /\n```\n\n"
        "First line  \nSecond line\\\nThird line"
    )
    text = markdown_text(body)
    assert "Add these two lines:" in text  # prose is still rewrapped
    assert "    User-agent: GPTBot\n    Disallow: /" in text
    assert "    User-agent: CCBot\n    Disallow: /" in text
    assert "First line\nSecond line\nThird line" in text


def test_markdown_links_show_their_address():
    assert markdown_text("Open [the page](https://x.example/a) or <https://x.example/b>.") == (
        "Open the page (https://x.example/a) or https://x.example/b."
    )


# ---- terminals -----------------------------------------------------------------


def test_a_dumb_terminal_or_a_non_utf8_locale_is_refused_in_words():
    assert "TERM=dumb" in (terminal_problem({"TERM": "dumb"}, "utf-8") or "")
    assert "ISO-8859-1" in (terminal_problem({"TERM": "xterm", "LANG": "en_US.ISO-8859-1"}, "utf-8") or "")
    assert "latin-1" in (terminal_problem({"TERM": "xterm"}, "latin-1") or "")
    # LC_ALL wins over LANG, as in C.
    assert terminal_problem({"TERM": "xterm", "LC_ALL": "C.UTF-8", "LANG": "de_DE.ISO-8859-15"}, "utf-8") is None
    # Python's own C.UTF-8 stand-in for a plain C locale says nothing about the terminal.
    assert terminal_problem({"TERM": "xterm", "LC_CTYPE": "C.UTF-8", "LANG": "en_US.ISO-8859-1"}, "utf-8")
    for fine in ({"TERM": "xterm-256color", "LANG": "en_US.UTF-8"}, {"TERM": "xterm", "LANG": "de_DE.utf8@euro"}, {}):
        assert terminal_problem(fine, "utf-8") is None


# ---- links and the clipboard -------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "platform", "how"),
    [
        ({"BROWSER": "w3m"}, "linux", "user"),
        ({"BROWSER": "false", "SSH_CONNECTION": "1 2 3 4"}, "linux", "user"),
        ({"SSH_CONNECTION": "1 2 3 4"}, "linux", "ssh"),
        ({"SSH_TTY": "/dev/pts/1"}, "darwin", "ssh"),
        ({"SSH_CONNECTION": "1 2 3 4", "DISPLAY": "localhost:10"}, "linux", "system"),
        ({"DISPLAY": ":0"}, "linux", "system"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", "system"),
        ({}, "darwin", "system"),
        ({}, "linux", "none"),  # no display: only a text-mode browser could be found
        ({"BROWSER": "  "}, "linux", "none"),
    ],
)
def test_how_a_link_is_opened_follows_the_environment(env, platform, how):
    assert browser.how_to_open(env, platform) == how


def test_clipboard_tools_are_those_that_can_reach_the_user():
    have = {"tmux", "pbcopy", "wl-copy", "xclip", "xsel"}.__contains__
    assert clipboard.tools({"TMUX": "/tmp/x,1,0"}, "linux", have) == [["tmux", "load-buffer", "-w", "-"]]
    assert clipboard.tools({}, "darwin", have) == [["pbcopy"]]
    assert clipboard.tools({"SSH_CONNECTION": "1"}, "darwin", have) == []  # would copy on the far computer
    assert clipboard.tools({"DISPLAY": ":0"}, "linux", have) == [["xclip", "-selection", "clipboard"]]
    assert clipboard.tools({"DISPLAY": ":0"}, "linux", lambda n: n == "xsel") == [["xsel", "--clipboard", "--input"]]
    assert clipboard.tools({"DISPLAY": ":0", "WAYLAND_DISPLAY": "w"}, "linux", have) == [["wl-copy"]]
    assert clipboard.tools({}, "linux", have) == []


def test_clipboard_tools_really_receive_the_text(tmp_path):
    out = tmp_path / "got.txt"
    tool = tmp_path / "fake-copy"
    tool.write_text(f"#!/bin/sh\ncat > {out}\n")
    tool.chmod(0o755)
    assert clipboard.copy_with_tools("Dear LinkedIn,\nI object.", [[str(tool)]])
    assert out.read_text() == "Dear LinkedIn,\nI object."
    assert not clipboard.copy_with_tools("x", [[str(tmp_path / "missing")]])


# ---- saving a letter -----------------------------------------------------------


def test_a_saved_letter_is_private_named_and_never_replaces_another(tmp_path):
    folder = tmp_path / "Documents" / "optout-tui"
    day = datetime.date(2026, 11, 23)
    first = save_private(folder, file_stem("LinkedIn", "Objection form"), "Dear LinkedIn", day)
    second = save_private(folder, file_stem("LinkedIn", "Objection form"), "Dear LinkedIn, again", day)
    assert first.name == "linkedin-objection-form-2026-11-23.txt"
    assert second.name == "linkedin-objection-form-2026-11-23-2.txt"
    assert first.read_text() == "Dear LinkedIn\n"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_the_saved_files_folder_is_documents_or_home(tmp_path, monkeypatch):
    from walkthrough import paths

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    assert paths.saved_files_dir() == home / "optout-tui"
    (home / "Documents").mkdir()
    assert paths.saved_files_dir() == home / "Documents" / "optout-tui"
    assert not Path(home / "Documents" / "optout-tui").exists()  # found, not made, until something is saved
