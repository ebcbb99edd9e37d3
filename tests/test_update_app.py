"""The app's side of guide updates: it says how old the guides are, and "Update guides" asks before it contacts.

A real HTTP server on 127.0.0.1 stands in for the release site and counts what
reaches it: nothing may, until the person says yes.
"""

from __future__ import annotations

import datetime
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from walkthrough.catalog.sources import GuideSet
from walkthrough.tui.app import make_app

FIXTURES = Path(__file__).parent / "fixtures" / "app"
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def release_site():
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/releases", requests
    server.shutdown()


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def app_with(tmp_path, **kwargs):
    guides = tmp_path / "guides"
    shutil.copytree(FIXTURES, guides)
    return make_app([str(guides)], region="DE", today=TODAY, **kwargs)


async def test_update_guides_says_what_it_contacts_and_contacts_nothing_before_yes(
    tmp_path, data_dir, monkeypatch, release_site
):
    url, requests = release_site
    monkeypatch.setenv("OPTOUT_TUI_UPDATE_URL", url)
    app = app_with(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"Update guides")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "UpdateScreen"
        text = " ".join(str(app.screen.query_one("#update-words").content).split())
        assert f"This contacts 127.0.0.1:{url.split(':')[2].split('/')[0]}" in text
        assert "Nothing about you or your progress is sent." in text
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        assert requests == []  # looking at the question contacted nothing

        await pilot.press("ctrl+p", *"Update guides")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press("enter")  # yes
        words = app.screen.query_one("#update-words")
        for _ in range(100):
            await pilot.pause(0.05)
            if "not changed" in str(words.content):
                break
        assert "Your guides were not changed." in " ".join(str(words.content).split())
        assert "Traceback" not in screen_text(app)


async def test_the_list_says_how_old_the_guides_are_once_a_month_has_passed(tmp_path, data_dir):
    app = app_with(tmp_path)
    # What a wheel's bundled guides say about themselves (a source checkout never says it is old).
    app.catalog.guide_set = GuideSet("bundled", tmp_path, 3, datetime.date(2026, 10, 1))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "Guides checked up to 1 October 2026. To get newer ones: optout-tui update" in text
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("end")  # the guide set is said at the end of the help
        await pilot.pause()
        help_text = " ".join(screen_text(app).split())
        assert "Guides in use: the ones that came with optout-tui" in help_text
        assert "release 3" in help_text and "ctrl+p, then Update guides" in help_text


async def test_fresh_guides_say_nothing_about_their_age(tmp_path, data_dir):
    app = app_with(tmp_path)
    app.catalog.guide_set = GuideSet("bundled", tmp_path, 3, datetime.date(2026, 11, 15))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Guides checked up to" not in screen_text(app)
