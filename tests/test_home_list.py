"""The list of guides, driven as a person drives it: typing, filtering, ordering, at any speed.

Progress is a real SQLite file (OPTOUT_TUI_DATA_DIR), the guides real files
made from the app fixture, and the checks read what the screen shows.
"""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest
from textual import events

from walkthrough.catalog.loading import load_catalog
from walkthrough.content.model import step_fingerprint
from walkthrough.progress.store import ProgressStore
from walkthrough.tui.app import OptOutApp, make_app

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = datetime.date(2026, 11, 22)
NOON = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.timezone.utc)
ALPHA = (FIXTURES / "app" / "alpha.yaml").read_text()
BETA = (FIXTURES / "app" / "beta.yaml").read_text()


def write(folder: Path, gid: str, name: str, *, text: str = ALPHA, summary: str = "", more: str = "") -> None:
    text = text.replace("name: Alpha Social", f"name: {name}").replace("name: Beta Chat", f"name: {name}")
    if summary:
        text = text.replace(
            "summary: Alpha Social trains AI on your posts unless you switch it off.", f"summary: {summary}"
        )
    if more:
        text = text.replace("difficulty: easy", f"difficulty: easy\n{more}")
    (folder / f"{gid}.yaml").write_text(text)


def screen_text(app: OptOutApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def shown(app: OptOutApp, names: list[str]) -> list[str]:
    """The guides the list shows, top to bottom, by name."""
    out = []
    for line in screen_text(app).splitlines():
        found = [n for n in names if line.strip().startswith(n)]
        if found:
            out.append(max(found, key=len))
    return out


def burst(app: OptOutApp, keys: list[str]) -> None:
    """Keys arriving all at once, as from a fast typist or a paste (Pilot waits between keys)."""
    for key in keys:
        char = {"space": " ", "enter": "\r"}.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, char))


async def ready(pilot, app: OptOutApp) -> None:
    """After the first screen, the app looks at the files and reads new ones: wait for that too."""
    deadline = time.monotonic() + 30
    while not app.catalog.surveyed or app.catalog.pending():
        assert time.monotonic() < deadline
        await pilot.pause(0.05)
    await pilot.pause()


def app_for(folder: Path, **kwargs) -> OptOutApp:
    kwargs.setdefault("region", "DE")
    return make_app([str(folder)], bundled=False, today=TODAY, **kwargs)


@pytest.fixture
def guides(tmp_path, data_dir) -> Path:
    folder = tmp_path / "guides"
    folder.mkdir()
    write(folder, "meta", "Meta", more="aliases: [Facebook, Instagram, Threads]")
    write(folder, "x", "X", more="aliases: [Twitter]")
    write(folder, "chatty", "Chatty", summary="Chatty keeps your voice notes for its models.")
    write(folder, "zoe", "Zoë Notes")
    write(folder, "numbers", "500px")
    write(folder, "eclair", "Éclair Cloud")
    write(folder, "quiet", "Quiet Hours")
    return folder


# ---- typing on the list searches -----------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "box", "expect"),
    [
        (list("meta"), "meta", ["Meta"]),
        (["M", "e", "t", "A"], "MetA", ["Meta"]),
        (list("500"), "500", ["500px"]),
        (list("éclair"), "éclair", ["Éclair Cloud"]),
        (list("quiet"), "quiet", ["Quiet Hours"]),  # q searches here, it does not quit
    ],
    ids=["letters", "capitals", "digits", "accented-first-letter", "q"],
)
async def test_any_letter_typed_on_the_list_starts_a_search_and_none_is_lost(guides, keys, box, expect):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        burst(app, keys)
        await pilot.pause()
        assert app.is_running
        assert app.screen.query_one("#search").value == box
        names = ["Meta", "X", "Chatty", "Zoë Notes", "500px", "Éclair Cloud", "Quiet Hours"]
        assert shown(app, names) == expect


async def test_letters_typed_before_the_first_screen_is_ready_land_in_the_search(guides):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, list("zoe"))  # no pause: straight after the app started
        await ready(pilot, app)
        assert app.screen.query_one("#search").value == "zoe"
        assert "Zoë Notes" in screen_text(app)


async def test_ctrl_q_quits_from_the_list(guides):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.parametrize(
    ("typed", "first", "why"),
    [
        ("instagram", "Meta", "(Instagram)"),
        ("twit", "X", "(Twitter)"),
        ("voice notes", "Chatty", None),
        ("zoe", "Zoë Notes", None),
    ],
    ids=["alias", "alias-start", "summary-words", "no-accent"],
)
async def test_search_finds_other_names_and_summary_words_and_says_which_name(guides, typed, first, why):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press(*["space" if c == " " else c for c in typed])
        await pilot.pause()
        text = screen_text(app)
        lines = [line for line in text.splitlines() if line.strip().startswith(first)]
        assert lines, text
        if why:
            assert why in lines[0]
        assert f"match “{typed}”" in text


async def test_escape_clears_the_search_and_then_shows_all_guides_again(guides):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("ctrl+f", *"zzz")
        await pilot.pause()
        assert "No guide matches “zzz”" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "Showing guides to do: 7 of 7" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "Showing all 7 guides" in screen_text(app)


# ---- what is shown, and in which order ----------------------------------------------------

NAMES = ["Changed Co", "Done Deal", "Due Again", "Far Away", "Half Way", "Nothing Here", "Not Yet"]


@pytest.fixture
def progress_guides(tmp_path, data_dir) -> Path:
    folder = tmp_path / "progress-guides"
    folder.mkdir()
    for gid, name in (("changed", "Changed Co"), ("done", "Done Deal"), ("due", "Due Again")):
        write(folder, gid, name)
    write(folder, "half", "Half Way")
    write(folder, "notyet", "Not Yet")
    write(folder, "far", "Far Away", text=BETA)  # for the US only; the user lives in Germany
    (folder / "nothing.yaml").write_text(
        ALPHA.replace("name: Alpha Social", "name: Nothing Here").replace(
            "difficulty: easy", "difficulty: nothing-to-do"
        )
    )
    guides = load_catalog([str(folder)], bundled=False, today=TODAY).guides

    def mark(gid: str, steps: list[str] | None = None, *, at: datetime.datetime = NOON, wrong: bool = False) -> None:
        guide = guides[gid].guide
        with ProgressStore.open_default(clock=lambda: at)[0] as store:
            for step in guide.steps:
                if steps is None or step.id in steps:
                    store.mark(gid, step.id, "done", "0" * 16 if wrong else step_fingerprint(step))

    mark("done")
    mark("due", at=NOON - datetime.timedelta(days=200))
    mark("half", ["sign-in"])
    mark("changed", ["sign-in"], wrong=True)
    return folder


async def test_ctrl_f_shows_each_status_in_turn_and_the_line_says_which(progress_guides):
    app = app_for(progress_guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert shown(app, NAMES) == sorted(NAMES, key=str.casefold)
        expected = [
            ("to do", ["Not Yet"]),
            ("in progress", ["Half Way"]),
            ("waiting or re-check due", ["Changed Co", "Due Again"]),
            ("done", ["Done Deal"]),
            ("not for my country", ["Far Away"]),
        ]
        for words, names in expected:
            await pilot.press("ctrl+f")
            await pilot.pause()
            assert f"Showing guides {words}: {len(names)} of 7" in screen_text(app)
            assert shown(app, NAMES) == names
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert "Showing all 7 guides" in screen_text(app)


async def test_ctrl_o_orders_by_what_needs_the_user_first_then_by_difficulty(progress_guides):
    app = app_for(progress_guides)
    async with app.run_test(size=(80, 30)) as pilot:
        await ready(pilot, app)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "what needs me first" in screen_text(app)
        assert shown(app, NAMES) == [
            "Changed Co",
            "Due Again",
            "Half Way",
            "Not Yet",
            "Done Deal",
            "Nothing Here",
            "Far Away",
        ]
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "by difficulty" in screen_text(app)
        order = shown(app, NAMES)
        assert order.index("Far Away") < order.index("Nothing Here")  # medium before nothing to do
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert shown(app, NAMES) == sorted(NAMES, key=str.casefold)


async def test_a_filter_and_a_search_together_and_enter_opens_what_is_shown(progress_guides):
    app = app_for(progress_guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("ctrl+f", "ctrl+f", "ctrl+f", *"due", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "GuideScreen"
        assert app.screen.loaded.id == "due"


# ---- every key is shown, and explained ----------------------------------------------------


async def test_every_key_of_the_list_is_in_the_key_bar_and_in_the_help(guides):
    app = app_for(guides)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot, app)
        bar = screen_text(app).splitlines()[-1]
        keys = {
            key: active.binding.description for key, active in app.screen.active_bindings.items() if active.binding.show
        }
        for key, words in keys.items():
            assert f"{app.get_key_display(app.screen.active_bindings[key].binding)} {words}" in bar, (key, bar)
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = screen_text(app)
        for key in keys:
            if key in ("enter", "question_mark", "slash", "ctrl+p"):
                continue  # the help says Enter, ? and / in their own words
            assert key in help_text, key
        for words in ("Enter", "/", "ctrl+p", "a letter"):
            assert words in help_text


# ---- guide text is only ever text -------------------------------------------------------------

HOSTILE_NAMES = [
    '[link="https://evil.example/"]Free upgrade[/link]',
    "[@click=app.quit]Free money[/]",
    "Open [/foo] settings",
    "[b]Bold[/b] claims",
]


@pytest.fixture
def hostile(tmp_path, data_dir) -> Path:
    folder = tmp_path / "hostile"
    folder.mkdir()
    for n, name in enumerate(HOSTILE_NAMES):
        text = ALPHA.replace("name: Alpha Social", "name: " + '"' + name.replace('"', '\\"') + '"')
        text = text.replace(
            "title: Stop Alpha Social training AI on your posts", 'title: "[@click=app.quit]Stop Alpha Social"'
        )
        (folder / f"h{n}.yaml").write_text(text)
    return folder


async def test_guide_names_reach_the_list_as_plain_text(hostile):
    app = app_for(hostile)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot, app)
        text = screen_text(app)
        for name in HOSTILE_NAMES:
            assert name in text
        await pilot.click("#guides", offset=(5, 1))  # the first row's name: a click opens the guide
        await pilot.pause()
        assert app.is_running
        assert type(app.screen).__name__ == "GuideScreen"


async def test_guide_names_and_titles_reach_the_command_palette_as_plain_text(hostile):
    app = app_for(hostile)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"free")
        await pilot.pause(0.5)
        text = screen_text(app)
        assert "[@click=app.quit]Free money[/]" in text
        assert "[@click=app.quit]Stop Alpha Social" in text
        await pilot.click("CommandList", offset=(20, 1))  # on "Free money"
        await pilot.pause()
        assert app.is_running  # the click opened the guide; the name's [@click] did nothing
        assert type(app.screen).__name__ == "GuideScreen"


async def test_escape_codes_in_the_cache_listing_are_shown_not_sent(guides, tmp_path):
    from tests.test_cache_hostile import IDS, NAMES, edit_listing

    make_app([str(guides)], bundled=False, today=TODAY, region="DE")  # writes the cache

    def change(listing: list) -> None:
        listing[NAMES][listing[IDS].index("meta")] = "Meta\x1b]0;owned\x07\x1b[2J"

    edit_listing(tmp_path / "data" / "cache" / "guides.cache", change)
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "\x1b" not in text
        assert "Meta\\x1b]0;owned\\x07" in text


# ---- what the first screen costs ----------------------------------------------------------------


async def test_only_the_rows_on_screen_are_worked_out(tmp_path, data_dir):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(400):
        write(folder, f"g{i:03d}", f"Platform {i:03d}")
    make_app([str(folder)], bundled=False, today=TODAY, region="DE")
    load_catalog([str(folder)], bundled=False, today=TODAY, cache_dir=data_dir / "cache")  # a warm cache
    app = app_for(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        # A status worked out for each row drawn, not for each guide: about a screenful.
        assert len(app.screen._statuses) < 40
        assert app.catalog.guides._decoded == {}  # and no guide decoded for the list
        await pilot.press("end")
        await pilot.pause()
        assert "Platform 399" in screen_text(app)


async def test_all_statuses_come_from_one_read_of_the_store(progress_guides, monkeypatch):
    reads: list[str | None] = []
    real = ProgressStore._records

    def counted(self, guide_id):
        reads.append(guide_id)
        return real(self, guide_id)

    monkeypatch.setattr(ProgressStore, "_records", counted)
    app = app_for(progress_guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert reads and all(r is None for r in reads)  # every read is of all guides at once
        assert len(reads) <= 2  # the first screen, and once more if the survey changed the list
        # "Nothing Here" (nothing-to-do) is not a task, so it is not counted among the guides to do.
        assert "3 of 5 guides done, 1 to re-check, 1 changed since you did it" in screen_text(app)


async def test_in_a_narrow_terminal_progress_is_never_cut_and_names_keep_room(progress_guides):
    app = app_for(progress_guides)
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot, app)
        text = screen_text(app)
        assert "In progress (1 of 4)" in text
        assert "Changed since you did it" in text
        assert "Nothing Here" in text and "Due Again" in text  # whole names
        # Too narrow for every key: whole keys give way (Help lists them all), none is cut in half.
        keys = text.splitlines()[-1]
        assert "^q Quit" in keys and keys.rstrip().endswith("? Help")


async def test_enter_on_a_search_whose_guide_is_not_read_yet_opens_it_once_read(tmp_path, data_dir):
    # The first start after an install reads most guides after the first screen. Someone who types
    # a name and Enter at once means that guide, though it may not be read yet; typing on cancels.
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(300):
        write(folder, f"g{i:03d}", f"Guide {i:03d}")
    write(folder, "zz-last", "Zebra Last")  # read last: files are read in the order of their ids
    write(folder, "zz-other", "Zebu Other")
    app = app_for(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, [*"zebra", "enter"])  # handled while some 290 guides are still to be read
        await ready(pilot, app)
        await pilot.pause()
        assert "Zebra Last" in screen_text(app) and "Step 1 of" in screen_text(app)

    app = app_for(folder)  # the same again, but the search changes after Enter: nothing opens
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, [*"zebra", "enter", "x"])
        await ready(pilot, app)
        await pilot.pause()
        assert app.screen.query_one("#search").value == "zebrax"
        assert "Step 1 of" not in screen_text(app)
