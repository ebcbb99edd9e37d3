"""What the app shows from outside is text, never markup and never an escape sequence (review items 2 and 4).

The app's notices (raised from walkthrough/tui/app.py and by every screen
through it) and the finished screen show addresses, paths, guide text and
typed values. Driven through Pilot with the real store.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from textual.widgets._toast import Toast

from walkthrough.content.model import step_fingerprint
from walkthrough.progress.store import ProgressStore, StoreError
from walkthrough.tui.app import make_app

FIXTURES = Path(__file__).parent / "fixtures" / "app"
TODAY = datetime.date(2026, 11, 22)

HOSTILE_TEXT = [
    "[@click=app.screenshot('x.svg','/tmp')]Case number[/]",
    "Open [/foo] settings",
    '[link="https://evil.example/"]Open settings[/link]',
    "[b]bold[/b] and [red]red",
    "title\x1b]0;PWNED\x07 and \x1b[2J",
]


@pytest.fixture
def guides(tmp_path) -> Path:
    folder = tmp_path / "guides"
    shutil.copytree(FIXTURES, folder)
    return folder


def app_for(guides: Path):
    store = ProgressStore.open_default()[0]
    store.set_setting("region_asked", "yes")
    store.close()
    return make_app([str(guides)], bundled=False, today=TODAY)


def toasts(app) -> list[str]:
    """What each notice on screen says, as rendered."""
    return [toast.render().plain for toast in app.screen.query(Toast)]


def no_actions_or_links(app) -> None:
    for toast in app.screen.query(Toast):
        for span in toast.render().spans:
            style = str(span.style)
            assert "@click" not in style and "link" not in style, style


@pytest.mark.parametrize("text", HOSTILE_TEXT)
async def test_a_refused_address_is_shown_as_typed_in_the_notice(guides, text, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        url = "https://www.alpha.example/" + text
        assert app.open_link(url, app.catalog.guides["alpha"]) is False
        await pilot.pause()
        shown = "\n".join(toasts(app))
        assert "Link not opened" in shown
        assert "\x1b" not in shown and "\x07" not in shown
        if "\x1b" not in text:
            assert text in shown  # every bracket as written
        no_actions_or_links(app)


@pytest.mark.parametrize("text", HOSTILE_TEXT)
async def test_a_store_error_naming_a_strange_folder_is_shown_as_typed(guides, text, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()

        def fail() -> None:
            raise StoreError(f"Your progress file /home/{text}/progress.sqlite3 could not be used.")

        app.guarded(fail)
        await pilot.pause()
        shown = "\n".join(toasts(app))
        assert "could not be used" in shown
        assert "\x1b" not in shown
        no_actions_or_links(app)


async def test_a_screen_asking_for_markup_still_gets_text(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        app.screen.notify("Copied the address: https://www.alpha.example/[/foo]", markup=True)
        app.action_help_quit()
        await pilot.pause()
        shown = toasts(app)
        assert any("[/foo]" in t for t in shown)
        assert any("Press q to quit the app." in t for t in shown)


async def test_the_finished_screen_shows_typed_values_and_titles_as_text(guides, data_dir):
    text = (guides / "alpha.yaml").read_text()
    (guides / "alpha.yaml").write_text(text.replace("title: Sign in to Alpha Social", "title: Sign in [/foo] now"))
    app = app_for(guides)
    loaded = app.catalog.guides["alpha"]
    for step in loaded.guide.steps:
        app.store.mark("alpha", step.id, "done", step_fingerprint(step))
    record_step = next(s for s in loaded.guide.steps if s.record)
    app.store.save_fields(
        "alpha", record_step.id, {record_step.record[0].name: "A1\x1b]0;PWNED\x07 [@click=app.bell]x[/]"}
    )
    async with app.run_test(size=(100, 40)) as pilot:
        from walkthrough.tui.screens.finished import FinishedScreen

        await pilot.pause()
        app.push_screen(FinishedScreen(loaded))
        await pilot.pause()
        lines = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        for strip in app.screen._compositor.render_strips():
            for segment in strip:
                assert "\x1b" not in segment.text and "\x07" not in segment.text
        assert "Sign in [/foo] now" in lines
        assert "A1\\x1b]0;PWNED\\x07" in lines
