"""How each screen looks, at the smallest supported terminal (80x24) and a roomy one (120x40).

The SVGs in tests/__snapshots__/test_snapshots/ were looked at by a person and
show what a user should see. When a change to the app changes a screen on
purpose, run `python3 -m pytest tests/test_snapshots.py --snapshot-update`,
open snapshot_report.html or the SVGs, and commit them only if they look right.

Everything a screen shows is pinned, so only a change to the app can change a
snapshot: guides come from tests/fixtures/snap/ (not the bundled ones, which
others edit), "today" and the clock that stamps progress are fixed, the
country is fixed, the data dir is empty per test, and the text cursor does not
blink.

Snapshot tests are plain `def` tests: pytest-textual-snapshot runs the app in
its own event loop.
"""

from __future__ import annotations

import datetime
import shutil
import sys
import time
import webbrowser
from pathlib import Path

import pytest
from textual.widgets import Input

FIXTURES = Path(__file__).parent / "fixtures" / "snap"
TODAY = datetime.date(2026, 11, 22)
# Noon UTC on TODAY: what the progress store stamps on every mark during these tests.
FROZEN_NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.timezone.utc)

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
# A window below 80 columns: the guide screen is one column, the list of steps behind a key.
SIZES_WITH_NARROW = [*SIZES, pytest.param((60, 20), id="60x20")]

# Step 2 of the LinkedIn fixture (a setting with a link) and step 4 (the objection form with a letter).
TO_AI_SETTING = ["n"]
TO_OBJECTION_FORM = ["n", "n", "n"]


@pytest.fixture(autouse=True)
def pinned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("OPTOUT_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("OPTOUT_TUI_GUIDES", raising=False)
    # Dates of marks are shown in the local time zone: pin it, or a run near midnight draws another day.
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    # A focused Input blinks its cursor on a timer: the screenshot would catch it on or off at random.
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    # The headless driver really calls webbrowser.open; a test must never start a browser.
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    # The app opens links through $BROWSER in a process of its own (walkthrough/tui/browser.py),
    # so a recorder there writes down what it was asked to open.
    log = tmp_path / "opened.txt"
    recorder = tmp_path / "record-browser.py"
    recorder.write_text(f"import sys\nopen({str(log)!r}, 'a').write(sys.argv[1] + '\\n')\n")
    monkeypatch.setenv("BROWSER", f"{sys.executable} {recorder} %s")
    yield opened
    monkeypatch.undo()
    time.tzset()


def make(guides_dir: Path = FIXTURES, **kwargs):
    from walkthrough.tui.app import make_app

    options = {"region": "DE", "bundled": False, "today": TODAY, "clock": lambda: FROZEN_NOW, **kwargs}
    return make_app([str(guides_dir)], **options)


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, size) -> None:
    assert snap_compare(make(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_home_notice_for_a_bad_guide_file(snap_compare, size, tmp_path: Path) -> None:
    guides = tmp_path / "guides"
    shutil.copytree(FIXTURES, guides)
    (guides / "broken.yaml").write_text("name: Broken\nnmae: a typo\n")
    assert snap_compare(make(guides), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_region_picker_on_first_start(snap_compare, size) -> None:
    # No --region and nothing saved: the first start asks where the user lives.
    assert snap_compare(make(region=None), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_region_picker_after_typing(snap_compare, size) -> None:
    assert snap_compare(make(region=None), press=[*"germ"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_guide_step_with_a_link(snap_compare, size) -> None:
    assert snap_compare(make(guide="linkedin"), press=TO_AI_SETTING, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_guide_step_after_opening_the_link(snap_compare, size, tmp_path: Path) -> None:
    assert snap_compare(make(guide="linkedin"), press=[*TO_AI_SETTING, "o"], terminal_size=size)
    opened = (tmp_path / "opened.txt").read_text().splitlines()
    assert opened == ["https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"]


@pytest.mark.parametrize("size", SIZES)
def test_form_step_with_a_letter(snap_compare, size) -> None:
    assert snap_compare(make(guide="linkedin"), press=TO_OBJECTION_FORM, terminal_size=size)


async def tab_to(pilot, widget_id: str, limit: int = 40) -> None:
    """Press Tab until the widget has focus, the way a keyboard user reaches it (and scrolls it into view)."""
    for _ in range(limit):
        focused = pilot.app.focused
        if focused is not None and focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached #{widget_id}")


async def fill_in_the_letter(pilot) -> None:
    await pilot.press(*TO_OBJECTION_FORM)
    for blank, answer in (
        ("blank-full_name", "Alex Example"),
        ("blank-email", "alex@example.org"),
        ("blank-account", "https://www.linkedin.com/in/alex-example"),
    ):
        await tab_to(pilot, blank)
        await pilot.press(*answer)
    # Escape: back to the step; PageDown until the copy button under the filled-in letter shows.
    # (Tab goes round the boxes of the step now, so it no longer reaches the button.)
    await pilot.press("escape")
    view = pilot.app.screen.query_one("#step")
    button = pilot.app.screen.query_one("#copy-text")
    for _ in range(10):
        if view.region.contains_region(button.region):
            return
        await pilot.press("pagedown")
        await pilot.pause()
    raise AssertionError("PageDown never brought the copy button on screen")


@pytest.mark.parametrize("size", SIZES)
def test_form_step_with_the_letter_filled_in(snap_compare, size) -> None:
    assert snap_compare(make(guide="linkedin"), run_before=fill_in_the_letter, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_guide_with_no_way_out(snap_compare, size) -> None:
    assert snap_compare(make(guide="examplenet"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_finished(snap_compare, size) -> None:
    # Every step of the LinkedIn fixture marked done, one key press each.
    assert snap_compare(make(guide="linkedin"), press=["space"] * 5, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_home_with_progress(snap_compare, size) -> None:
    # LinkedIn finished, then back to the list, which now says so.
    assert snap_compare(make(guide="linkedin"), press=[*["space"] * 5, "enter"], terminal_size=size)


def test_home_in_a_narrow_terminal(snap_compare) -> None:
    # 60x20: the time column gives way before a name or the progress is cut.
    assert snap_compare(make(guide="linkedin"), press=["space", "escape"], terminal_size=(60, 20))


@pytest.mark.parametrize("size", SIZES)
def test_home_searching_by_another_name(snap_compare, size) -> None:
    # A letter typed on the list opens the search; "Microsoft" is one of ExampleNet's other names.
    assert snap_compare(make(), press=[*"micro"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_home_showing_what_is_in_progress(snap_compare, size) -> None:
    assert snap_compare(make(guide="linkedin"), press=["space", "escape", "ctrl+f", "ctrl+f"], terminal_size=size)


def test_home_showing_a_status_no_guide_has(snap_compare) -> None:
    assert snap_compare(make(), press=["ctrl+f", "ctrl+f"], terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, size) -> None:
    assert snap_compare(make(), press=["question_mark"], terminal_size=size)


async def type_a_long_reason(pilot) -> None:
    # Enter: into the first box; the footer then says what Enter, Tab and Escape do.
    await pilot.press("enter", *"I translate for a living and my posts are my work samples")


@pytest.mark.parametrize("size", SIZES_WITH_NARROW)
def test_form_step_with_long_blanks(snap_compare, size) -> None:
    guides = Path(__file__).parent / "fixtures" / "guide_screen"
    assert snap_compare(make(guides, guide="long-blanks"), run_before=type_a_long_reason, terminal_size=size)


# ---- the record: dates, waiting for a reply, what to do when none comes (issue 14) ----------------

# The LinkedIn fixture's objection form marked done (sent on FROZEN_NOW's day, 22 November 2026), then back to it.
TO_SENT_FORM = ["space", "space", "space", "space", "p"]


async def after_the_footer_catches_up(pilot) -> None:
    from walkthrough.tui.screens.guide import FOOTER_DELAY

    await pilot.pause(FOOTER_DELAY + 0.2)  # a step's own keys (r, a) join the footer a moment after a move


def pressing(*keys: str):
    async def run(pilot) -> None:
        await pilot.press(*keys)
        await after_the_footer_catches_up(pilot)

    return run


@pytest.mark.parametrize("size", SIZES_WITH_NARROW)
def test_form_step_waiting_for_a_reply(snap_compare, size) -> None:
    assert snap_compare(make(guide="linkedin"), run_before=pressing(*TO_SENT_FORM), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_form_step_with_no_reply_in_time(snap_compare, size) -> None:
    app = make(guide="linkedin", today=datetime.date(2027, 1, 10))
    assert snap_compare(app, run_before=pressing(*TO_SENT_FORM), terminal_size=size)


@pytest.mark.parametrize("size", SIZES_WITH_NARROW)
def test_reply_form(snap_compare, size) -> None:
    assert snap_compare(make(guide="linkedin"), run_before=pressing(*TO_SENT_FORM, "r"), terminal_size=size)


# A copy of the complaint letter in a folder of its own (the release tests build tests/fixtures/snap as it is).
COMPLAINT = Path(__file__).parent / "fixtures" / "snap-complaint"


@pytest.mark.parametrize("size", SIZES)
def test_no_reply_yet_what_you_can_do(snap_compare, size) -> None:
    from walkthrough.tui.app import make_app

    app = make_app(
        [str(FIXTURES), str(COMPLAINT)],
        guide="linkedin",
        region="DE",
        bundled=False,
        today=datetime.date(2027, 1, 10),
        clock=lambda: FROZEN_NOW,
    )
    assert snap_compare(app, run_before=pressing(*TO_SENT_FORM, "a"), terminal_size=size)


async def type_a_date_that_could_be_two_days(pilot) -> None:
    await pilot.press(*TO_OBJECTION_FORM, "enter")
    await tab_to(pilot, "record-date_sent")
    await pilot.press(*"03/04/2026", "escape")
    await after_the_footer_catches_up(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_a_date_that_could_be_two_days(snap_compare, size) -> None:
    assert snap_compare(make(guide="linkedin"), run_before=type_a_date_that_could_be_two_days, terminal_size=size)
