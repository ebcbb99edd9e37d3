"""The catalogue as the first screen reads it: a listing from the cache, then only what changed.

Start-up must not grow with the number of guides, so a warm start decodes no
guide and imports no YAML parser; the list's statuses, filters, orders and
search all work on the listing's columns. These tests load real guide folders
through a real cache file and look at what the catalogue did.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from walkthrough.catalog.loading import PARSE_BEFORE_FIRST_SCREEN, load_catalog
from walkthrough.catalog.outline import fold, outline_of, step_regions
from walkthrough.catalog.search import ANYWHERE, NAME_START, SUMMARY_WORDS, WORD_START, other_name, prepare, search
from walkthrough.content import loader
from walkthrough.progress.status import (
    STATUS_FILTERS,
    GuideStatus,
    guide_status,
    in_filter,
    need_rank,
    outline_status,
)

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = datetime.date(2026, 11, 22)
ALPHA = (FIXTURES / "app" / "alpha.yaml").read_text()


def guide_file(folder: Path, gid: str, name: str, *, aliases: str = "", summary: str = "", extra: str = "") -> Path:
    text = ALPHA.replace("name: Alpha Social", f"name: {name}")
    if summary:
        text = text.replace(
            "summary: Alpha Social trains AI on your posts unless you switch it off.", f"summary: {summary}"
        )
    if aliases:
        text = text.replace("difficulty: easy", f"difficulty: easy\naliases: [{aliases}]")
    path = folder / f"{gid}.yaml"
    path.write_text(text + extra)
    return path


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """Every guide file the loader parses, by name (the real loader runs; this only writes it down)."""
    seen: list[str] = []
    real = loader.load_guide

    def counted(path, *args, **kwargs):
        seen.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(loader, "load_guide", counted)
    return seen


def load(folder: Path, cache: Path, today: datetime.date = TODAY, **kwargs):
    return load_catalog([str(folder)], bundled=False, today=today, cache_dir=cache, **kwargs)


# ---- only what changed is parsed -------------------------------------------------------


def test_a_warm_start_parses_nothing_and_an_edit_parses_only_that_file(tmp_path, parses):
    folder, cache = tmp_path / "guides", tmp_path / "cache"
    folder.mkdir()
    for i in range(5):
        guide_file(folder, f"g{i}", f"Guide {i}")
    load(folder, cache)
    assert sorted(parses) == [f"g{i}.yaml" for i in range(5)]
    parses.clear()
    assert len(load(folder, cache).rows()) == 5
    assert parses == []
    edited = folder / "g3.yaml"
    edited.write_text(edited.read_text().replace("name: Guide 3", "name: Guide Three"))
    guide_file(folder, "g9", "Guide 9")
    (folder / "g0.yaml").unlink()
    catalog = load(folder, cache)
    assert sorted(parses) == ["g3.yaml", "g9.yaml"]
    assert sorted(catalog.rows().names) == ["Guide 1", "Guide 2", "Guide 4", "Guide 9", "Guide Three"]


def test_a_new_day_reads_again_only_the_guides_that_failed(tmp_path, parses):
    # A guide dated two days ahead fails today (a day of slack is allowed for time zones) and loads the
    # next day; a guide that loaded stays loaded.
    folder, cache = tmp_path / "guides", tmp_path / "cache"
    folder.mkdir()
    guide_file(folder, "ok", "Fine")
    (folder / "early.yaml").write_text(ALPHA.replace("last_verified: 2026-11-01", "last_verified: 2026-11-24"))
    assert [p.name for p in load(folder, cache).failed] == ["early.yaml"]
    parses.clear()
    tomorrow = load(folder, cache, TODAY + datetime.timedelta(days=1))
    assert parses == ["early.yaml"]
    assert sorted(tomorrow.rows().ids) == ["early", "ok"]


def test_a_changed_shared_letter_checks_every_guide_again(tmp_path, parses):
    folder, cache = tmp_path / "guides", tmp_path / "cache"
    shutil.copytree(FIXTURES / "snap", folder)
    load(folder, cache)
    parses.clear()
    letter = folder / "templates" / "gdpr-objection.yaml"
    letter.write_text(letter.read_text() + "\n")
    load(folder, cache)
    assert sorted(parses) == ["examplenet.yaml", "linkedin.yaml"]


def test_a_guide_from_the_cache_is_the_guide_in_the_file(tmp_path):
    folder, cache = tmp_path / "guides", tmp_path / "cache"
    shutil.copytree(FIXTURES / "snap", folder)
    fresh = load_catalog([str(folder)], bundled=False, today=TODAY)
    load(folder, cache)
    warm = load(folder, cache, defer=True)
    for gid in ("linkedin", "examplenet"):
        assert warm.guides[gid].guide == fresh.guides[gid].guide
        assert warm.guides[gid].path == fresh.guides[gid].path


# ---- the first screen: the listing alone -----------------------------------------------


def test_the_first_screen_decodes_no_guide(tmp_path):
    folder, cache = tmp_path / "guides", tmp_path / "cache"
    folder.mkdir()
    for i in range(30):
        guide_file(folder, f"g{i:02d}", f"Guide {i:02d}")
    load(folder, cache)
    catalog = load(folder, cache, defer=True)
    rows = catalog.rows()
    assert len(rows) == 30 and not catalog.surveyed
    assert catalog.guides._decoded == {} and catalog.guides._changes == {}
    assert rows.names == sorted(rows.names, key=str.casefold)


def test_a_warm_first_screen_imports_no_yaml_parser(tmp_path):
    code = (
        "import sys, pathlib\n"
        "from walkthrough.catalog.loading import load_catalog\n"
        f"c = load_catalog(cache_dir=pathlib.Path({str(tmp_path)!r}), defer=True)\n"
        "assert len(c.rows()) > 40, len(c.rows())\n"
        "print(','.join(m for m in ('yaml', 'walkthrough.content.lint', 'walkthrough.content.loader',"
        " 'walkthrough.content.links', 'walkthrough.content.templates') if m in sys.modules))"
    )
    subprocess.run([sys.executable, "-c", code.replace("defer=True", "defer=False")], check=True, capture_output=True)
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert warm.stdout.strip() == ""


def test_the_survey_after_the_first_screen_finds_new_gone_and_edited_guides(tmp_path):
    folder, cache = tmp_path / "guides", tmp_path / "cache"
    folder.mkdir()
    for i in range(3):
        guide_file(folder, f"g{i}", f"Guide {i}")
    load(folder, cache)
    guide_file(folder, "new", "Brand New")
    (folder / "g1.yaml").unlink()
    edited = folder / "g2.yaml"
    edited.write_text(edited.read_text().replace("name: Guide 2", "name: Guide Two"))
    catalog = load(folder, cache, defer=True)
    assert sorted(catalog.rows().names) == ["Guide 0", "Guide 1", "Guide 2"]  # last time's listing
    assert catalog.apply(catalog.survey(), defer=True)
    assert sorted(catalog.rows().names) == ["Brand New", "Guide 0", "Guide Two"]
    assert "g1" not in catalog.guides
    assert not catalog.apply(catalog.survey(), defer=True)  # nothing changed since


def test_many_new_guides_are_left_for_after_the_first_screen(tmp_path):
    folder, cache = tmp_path / "guides", tmp_path / "cache"
    folder.mkdir()
    count = PARSE_BEFORE_FIRST_SCREEN + 5
    for i in range(count):
        guide_file(folder, f"g{i:02d}", f"Guide {i:02d}")
    catalog = load(folder, cache, defer=True)
    # The first few by id are read before the first screen (the top of the list), the rest after.
    first_few = [f"g{i:02d}" for i in range(PARSE_BEFORE_FIRST_SCREEN)]
    assert sorted(catalog.rows().ids) == first_few
    assert [gid for gid, _ in catalog.pending()] == [f"g{i:02d}" for i in range(PARSE_BEFORE_FIRST_SCREEN, count)]
    last = f"g{count - 1:02d}"
    assert catalog.guides[last].guide.name == f"Guide {count - 1:02d}"  # one asked for by id is read then
    first, *rest = catalog.pending()
    catalog.take(first[0], catalog.parse(first[1]))
    catalog.save()  # what is read so far survives a quit
    assert len(load(folder, cache, defer=True).rows()) == PARSE_BEFORE_FIRST_SCREEN + 2
    catalog.parse_pending()
    assert len(catalog.rows()) == count and not catalog.pending()
    assert len(load(folder, cache, defer=True).rows()) == count


def test_an_extra_folder_replaces_a_bundled_guide_and_a_broken_one_does_not(tmp_path):
    extra, cache = tmp_path / "extra", tmp_path / "cache"
    extra.mkdir()
    linkedin = (FIXTURES / "good" / "linkedin.yaml").read_text()
    (extra / "linkedin.yaml").write_text(linkedin.replace("name: LinkedIn", "name: LinkedIn (my edit)"))
    today = datetime.date.today()  # the bundled guides are checked against the real date
    catalog = load_catalog([str(extra)], today=today, cache_dir=cache)
    assert catalog.guides["linkedin"].guide.name == "LinkedIn (my edit)"
    assert "LinkedIn (my edit)" in catalog.rows().names and "LinkedIn" not in catalog.rows().names
    (extra / "linkedin.yaml").write_text(linkedin + "\nnmae: typo\n")
    catalog = load_catalog([str(extra)], today=today, cache_dir=cache)
    assert catalog.guides["linkedin"].guide.name == "LinkedIn"
    assert [p.name for p in catalog.failed] == ["linkedin.yaml"]


# ---- statuses from the outline, filters and orders ---------------------------------------


@pytest.mark.parametrize("country", [None, "DE", "US", "GB", "BR", "CH"])
def test_the_status_from_an_outline_is_the_status_from_the_guide(country):
    catalog = load_catalog(today=datetime.date.today())
    assert len(catalog.guides) > 40
    for gid, loaded in catalog.guides.items():
        outline = outline_of(gid, loaded.guide)
        quick = outline_status(outline.difficulty, outline.regions, step_regions(outline.steps), country)
        assert quick == guide_status(loaded, {}, country, TODAY), gid


STATES = ["not_started", "in_progress", "done", "recheck_due", "changed", "no_opt_out", "nothing_to_do"]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("applies", [True, False])
def test_every_guide_is_under_all_and_at_most_one_other_filter(state, applies):
    under = [name for name in STATUS_FILTERS if in_filter(name, state, applies)]
    assert under[0] == "all"
    assert len(under) <= 2
    assert ("elsewhere" in under) == (not applies)
    expected = {
        "not_started": "todo",
        "in_progress": "in_progress",
        "done": "done",
        "recheck_due": "follow_up",
        "changed": "follow_up",
    }
    if applies and state in expected:
        assert under == ["all", expected[state]]


def test_what_needs_the_user_first_comes_first():
    ranked = sorted(STATES, key=lambda s: need_rank(s, True))
    assert ranked[:4] == ["changed", "recheck_due", "in_progress", "not_started"]
    assert max(need_rank(s, True) for s in STATES) < min(need_rank(s, False) for s in STATES)
    assert isinstance(GuideStatus, type)


# ---- search --------------------------------------------------------------------------------


def bundled_rows():
    return load_catalog(today=datetime.date.today()).rows()


@pytest.mark.parametrize(
    ("typed", "finds", "by"),
    [
        # The other name is shown beside the name only when the name does not say it already.
        ("instagram", "Meta (Facebook and Instagram)", None),
        ("messenger", "Meta (Facebook and Instagram)", "Messenger"),
        ("THREADS", "Meta (Facebook and Instagram)", "Threads"),
        ("twit", "X (Twitter)", None),
        ("grok on", "X (Twitter)", "Grok on X"),
        ("kdp", "Amazon Kindle and KDP", None),
    ],
)
def test_search_finds_a_platform_by_its_other_names(typed, finds, by):
    rows = bundled_rows()
    names = {rows.ids[i]: rows.names[i] for i in range(len(rows))}
    if finds not in names.values():
        pytest.skip(f"the bundled guides no longer have {finds}")
    query = prepare(typed)
    found = [rows.names[i] for _, i in sorted(search(query, rows.keys, rows.words, range(len(rows))))]
    assert finds in found[:3]
    i = rows.names.index(finds)
    assert other_name(query, rows.aliases[i], rows.keys[i]) == by


def test_search_finds_words_of_the_summary_after_names(tmp_path):
    folder = tmp_path / "guides"
    folder.mkdir()
    guide_file(folder, "chatty", "Chatty", summary="Chatty keeps your voice notes for its models.")
    guide_file(folder, "voice", "Voice Box")
    guide_file(folder, "zoe", "Zoë Notes", aliases="Zoe Studio")
    rows = load(folder, tmp_path / "cache").rows()
    order = range(len(rows))

    def names(typed: str) -> list[tuple[int, str]]:
        return [(r, rows.names[i]) for r, i in sorted(search(prepare(typed), rows.keys, rows.words, order))]

    assert names("voice") == [(NAME_START, "Voice Box"), (SUMMARY_WORDS, "Chatty")]
    assert names("voice notes") == [(SUMMARY_WORDS, "Chatty")]
    assert names("zoe") == [(NAME_START, "Zoë Notes")]
    assert names("ZOË") == [(NAME_START, "Zoë Notes")]
    assert names("notes") == [(WORD_START, "Zoë Notes"), (SUMMARY_WORDS, "Chatty")]
    assert names("oice") == [(ANYWHERE, "Voice Box")]
    assert names("nothing like it") == []
    assert fold("Ärzte") == "arzte"


def test_the_cache_is_left_alone_when_nothing_changed(tmp_path):
    folder, cache = tmp_path / "guides", tmp_path / "cache"
    folder.mkdir()
    guide_file(folder, "a", "A Guide")
    load(folder, cache)
    before = os.stat(cache / "guides.cache")
    load(folder, cache)
    after = os.stat(cache / "guides.cache")
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_the_list_command_reads_the_rows_and_says_what_the_guides_say(tmp_path):
    folder, cache = tmp_path / "guides", tmp_path / "cache"
    shutil.copytree(FIXTURES / "snap", folder)
    fresh = load_catalog([str(folder)], bundled=False, today=TODAY)
    load(folder, cache)
    catalog = load(folder, cache)
    summaries = catalog.summaries()
    assert catalog.guides._decoded == {}  # listing decodes no guide
    for row in summaries:
        guide = fresh.guides[row["id"]].guide
        assert row == {
            "id": row["id"],
            "name": guide.name,
            "title": guide.title,
            "difficulty": guide.difficulty,
            "minutes": guide.minutes,
            "regions": guide.regions,
            "last_verified": guide.last_verified.isoformat(),
            "recheck_days": guide.recheck_days,
            "steps": len(guide.steps),
            "path": str(folder / f"{row['id']}.yaml"),
            "from_folder": None,  # only other folders are loaded: none is "another" (issue 11, item 7)
            "replaces": None,
        }


def test_a_survey_that_finds_nothing_new_says_so_without_touching_the_catalogue(tmp_path):
    extra, cache = tmp_path / "extra", tmp_path / "cache"
    extra.mkdir()
    guide_file(extra, "linkedin", "LinkedIn (my copy)")  # replaces the bundled one
    guide_file(extra, "own", "My Own")
    today = datetime.date.today()
    load_catalog([str(extra)], today=today, cache_dir=cache)
    catalog = load_catalog([str(extra)], today=today, cache_dir=cache, defer=True)
    assert catalog.unchanged(catalog.survey())
    edited = extra / "own.yaml"
    edited.write_text(edited.read_text() + "\n")
    assert not catalog.unchanged(catalog.survey())
    edited.unlink()
    assert not catalog.unchanged(catalog.survey())
    guide_file(extra, "own", "My Own")
    catalog = load_catalog([str(extra)], today=today, cache_dir=cache, defer=True)
    guide_file(extra, "another", "Another")
    assert not catalog.unchanged(catalog.survey())
    (extra / "another.yaml").unlink()
    (extra / "linkedin.yaml").unlink()  # the bundled LinkedIn shows again
    assert not catalog.unchanged(catalog.survey())
