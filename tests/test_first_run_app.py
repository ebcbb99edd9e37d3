"""The app's shared services for a new user (issue 15), driven through Pilot: opening links truthfully,
copying with a way out, a text alone on a plain screen, saving a letter, and every way of quitting
saving what was typed."""

from __future__ import annotations

import datetime
import os
import shutil
import signal
import stat
import webbrowser
from pathlib import Path

import pytest

from walkthrough.progress.store import ProgressStore
from walkthrough.tui.app import OptOutApp, make_app

FIXTURES = Path(__file__).parent / "fixtures" / "app"
TODAY = datetime.date(2026, 11, 22)
URL = "https://www.alpha.example/login"


@pytest.fixture
def guides(tmp_path) -> Path:
    folder = tmp_path / "guides"
    shutil.copytree(FIXTURES, folder)
    return folder


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A home folder of the test's own, so a saved letter never lands in the real Documents."""
    folder = tmp_path / "home"
    (folder / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / ".config"))
    return folder


def use_browser(monkeypatch, value: str | None, **env: str) -> None:
    """Set $BROWSER (None: unset) and the display and SSH variables exactly as a test needs them."""
    for name in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    if value is not None:
        monkeypatch.setenv("BROWSER", value)
    for name, v in env.items():
        monkeypatch.setenv(name, v)
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})


def recorder(tmp_path: Path, exit_code: int = 0) -> tuple[Path, Path]:
    log = tmp_path / "opened.txt"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{log}"\nexit {exit_code}\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, log


def app_for(guides: Path, **kwargs) -> OptOutApp:
    kwargs.setdefault("today", TODAY)
    return make_app([str(guides)], bundled=False, **kwargs)


def notes(app: OptOutApp) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]


def screen_text(app: OptOutApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


# ---- saying where you live -------------------------------------------------------------


async def test_a_typo_corrected_at_full_speed_lands_in_order(guides, data_dir):
    from textual import events

    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # All at once, as a fast typist or a paste sends them: Backspace must act where it was pressed.
        for key in [*"Germx", "backspace", *"any", "ctrl+u", *"Deutschland", "enter"]:
            app.post_message(events.Key(key, key if len(key) == 1 else {"enter": "\r"}.get(key)))
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        assert app.country == "DE"


async def test_enter_on_part_of_a_name_asks_and_on_a_whole_name_chooses(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"United", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "RegionScreen"
        words = " ".join(screen_text(app).split())
        assert "4 countries match 'United'" in words
        await pilot.press("down", "down", "down", "enter")  # the user moves onto one: that is a choice
        await pilot.pause()
        assert app.country == "US"
        assert ("Where you live", "Saved: you live in the United States.") in notes(app)


# ---- opening links ---------------------------------------------------------------


async def test_a_browser_that_fails_is_reported_with_the_address(guides, data_dir, monkeypatch, tmp_path):
    for failing in ("false", str(tmp_path / "no-such-browser")):
        use_browser(monkeypatch, failing)
        app = app_for(guides, region="DE")
        async with app.run_test() as pilot:
            await pilot.pause()
            assert app.open_link(URL, app.catalog.guides["alpha"]) is False
            await pilot.pause()
            assert ("No browser could be opened", f"Copy this address into your browser:\n{URL}") in notes(app)
            assert not any(title == "Opened in your browser" for title, _ in notes(app))


async def test_the_users_browser_is_used_and_success_said(guides, data_dir, monkeypatch, tmp_path):
    script, log = recorder(tmp_path)
    use_browser(monkeypatch, str(script))
    app = app_for(guides, region="DE")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.open_link(URL, app.catalog.guides["alpha"]) is True
        await pilot.pause()
        assert log.read_text().split() == [URL]
        assert ("Opened in your browser", URL) in notes(app)


async def test_over_ssh_the_link_is_for_the_users_own_computer(guides, data_dir, monkeypatch, tmp_path):
    use_browser(monkeypatch, None, SSH_CONNECTION="10.0.0.2 50000 10.0.0.1 22")
    app = app_for(guides, region="DE")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.open_link(URL, app.catalog.guides["alpha"]) is False
        await pilot.pause()
        title, message = notes(app)[-1]
        assert title == "Open this on your own computer"
        assert "browser on your own computer" in message and URL in message


async def test_with_no_display_no_text_mode_browser_is_started(guides, data_dir, monkeypatch, tmp_path):
    # A w3m on the PATH, as on many servers: it would take over the app's screen.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    w3m, log = recorder(tmp_path)
    (bin_dir / "w3m").symlink_to(w3m)
    use_browser(monkeypatch, None)
    monkeypatch.setenv("PATH", str(bin_dir))
    app = app_for(guides, region="DE")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.open_link(URL, app.catalog.guides["alpha"]) is False
        await pilot.pause()
        assert notes(app)[-1][0] == "No browser could be opened"
    assert not log.exists()


async def test_a_desktop_launcher_that_fails_is_reported_when_it_answers(guides, data_dir, monkeypatch, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for code, said in ((1, "No browser could be opened"), (0, "Opened in your browser")):
        folder = tmp_path / f"exit-{code}"
        folder.mkdir()
        launcher, log = recorder(folder, code)
        target = bin_dir / "xdg-open"
        target.unlink(missing_ok=True)
        target.symlink_to(launcher)
        use_browser(monkeypatch, None, DISPLAY=":99")
        # Only our launcher: a real browser on this machine must never be found (scripts name /bin/sh in full).
        monkeypatch.setenv("PATH", str(bin_dir))
        app = app_for(guides, region="DE")
        async with app.run_test() as pilot:
            await pilot.pause()
            assert app.open_link(URL, app.catalog.guides["alpha"]) is True  # handed over; the answer comes later
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert notes(app)[-1][0] == said
        assert log.read_text().split() == [URL]


# ---- copying, a plain screen, saving ------------------------------------------------


async def test_every_copy_says_what_to_do_if_pasting_does_not_work(guides, data_dir):
    app = app_for(guides, region="DE")
    async with app.run_test() as pilot:
        await pilot.pause()
        app.copy_text(URL, "the address")
        await pilot.pause()
        assert app.clipboard == URL
        title, message = notes(app)[-1]
        assert title == "Copied" and message.startswith("Copied the address.")
        assert "If pasting does not work, press v to see it on its own, and select it with the mouse." in message
        app.copy_text("Dear Alpha", "the letter", note="Send it to privacy@alpha.example.")
        await pilot.pause()
        assert (
            "Copied the letter. Paste it with Ctrl+V (Cmd+V on a Mac). Send it to privacy@alpha.example."
            in (notes(app)[-1][1])
        )


async def test_a_text_alone_on_a_plain_screen_says_how_to_select_it(guides, data_dir, home):
    letter = "Dear Alpha Social,\n\nI object to the use of my posts for AI.\n\nAda Lovelace"
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.show_plain("The letter for Alpha Social", letter, what="the letter", save_as="alpha object letter")
        await pilot.pause()
        text = screen_text(app)
        words = " ".join(text.split())
        assert "hold Shift while you drag" in words and "Option in iTerm2" in words
        lines = text.splitlines()
        # The letter starts at the left edge, with nothing beside it to be selected along with it.
        first = next(i for i, line in enumerate(lines) if line.startswith("Dear Alpha Social,"))
        assert [line.rstrip() for line in lines[first : first + 5]] == letter.splitlines()
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == letter
        assert "select it above with the mouse" in notes(app)[-1][1]
        await pilot.press("w")
        await pilot.pause()
        saved = home / "Documents" / "optout-tui" / "alpha-object-letter-2026-11-22.txt"
        assert saved.read_text() == letter + "\n"
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        title, message = notes(app)[-1]
        assert title == "Saved" and message.startswith(f"Saved to {saved}\n")
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"


async def test_an_address_cannot_be_saved_and_the_key_is_not_offered(guides, data_dir, home):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.show_plain("The address", URL, what="the address")
        await pilot.pause()
        assert "Save to a file" not in screen_text(app)
        await pilot.press("w")
        await pilot.pause()
    assert not (home / "Documents" / "optout-tui").exists()


async def test_a_letter_that_cannot_be_saved_says_so(guides, data_dir, home):
    (home / "Documents" / "optout-tui").write_text("a file where the folder should be")
    app = app_for(guides, region="DE")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.save_text("Dear Alpha", "letter") is None
        await pilot.pause()
        assert notes(app)[-1][0] == "Not saved"


# ---- quitting ------------------------------------------------------------------------


async def go_to_form(pilot) -> None:
    await pilot.press("slash", *"alpha", "enter")
    await pilot.pause()
    await pilot.press("n", "n")
    await pilot.pause()


def store() -> ProgressStore:
    return ProgressStore.open_default()[0]


async def test_ctrl_c_quits_and_keeps_what_was_just_typed(guides, data_dir):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_form(pilot)
        app.screen.query_one("#record-case_number").focus()
        await pilot.press(*"42", "ctrl+c")  # inside a box, before the pause that saves typing
        await pilot.pause()
        assert app._exit, "Ctrl+C did not quit"
    assert store().steps("alpha")["object"].fields == {"case_number": "42"}


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
async def test_a_closed_terminal_keeps_what_was_just_typed(guides, data_dir, sig):
    # Without the app's own handler the signal must not end the test run itself.
    received: list[int] = []
    before = signal.signal(sig, lambda number, frame: received.append(number))
    try:
        app = app_for(guides, region="DE")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await go_to_form(pilot)
            app.screen.query_one("#record-case_number").focus()
            await pilot.press(*"CASE-7")
            os.kill(os.getpid(), sig)
            await pilot.pause()
            assert app._exit, "the app did not leave on the signal"
            assert app.return_code == 128 + sig
        assert store().steps("alpha")["object"].fields == {"case_number": "CASE-7"}
    finally:
        signal.signal(sig, before)


# ---- the end of a guide ------------------------------------------------------------


async def test_the_finished_screen_says_what_next(guides, data_dir):
    app = app_for(guides, region="US")  # Beta Chat is for the US: it is the next guide
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"alpha", "enter")
        await pilot.pause()
        await pilot.press("space", "space", "space")
        await pilot.pause()
        assert type(app.screen).__name__ == "FinishedScreen"
        text = " ".join(screen_text(app).split())
        assert "You have finished: Alpha Social" in text
        assert "optout-tui progress export -o my-optouts.md" in text
        assert "Next: Beta Chat" in text and "Press n to start it." in text
        marked = store().steps("alpha")["sign-in"].at.astimezone().date()
        again = marked + datetime.timedelta(days=90)
        assert f"Check again on {again.day} {again:%B %Y}" in text
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "GuideScreen"
        assert app.screen.loaded.id == "beta"


async def test_with_nothing_left_the_finished_screen_says_so(guides, data_dir):
    app = app_for(guides, region="DE")  # Beta Chat is not for Germany
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"alpha", "enter")
        await pilot.pause()
        await pilot.press("space", "space", "space", "space")
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "There is no other guide left for you to do." in text
        assert "Next guide" not in text  # no key offered for nothing
