"""Guards every test inherits: its own data folder, and no real browser.

The user's real progress, settings and cache must never be read or written by
a test, and a test that opens a link by mistake must not start a browser.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("OPTOUT_TUI_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("OPTOUT_TUI_GUIDES", raising=False)


@pytest.fixture(autouse=True)
def _no_real_browser(tmp_path_factory, monkeypatch):
    # A browser command that records instead of opening; tests that check links set their own.
    folder = tmp_path_factory.mktemp("browser")
    log = folder / "opened.txt"
    script = folder / "browser.py"
    script.write_text(f"import sys\nopen({str(log)!r}, 'a').write(sys.argv[1] + '\\n')\n")
    monkeypatch.setenv("BROWSER", f"{sys.executable} {script} %s")


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A data folder the test can look into; not created, so tests can see what the app creates."""
    folder = tmp_path / "data"
    monkeypatch.setenv("OPTOUT_TUI_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def tmux(tmp_path):
    """A real terminal (tmux) for end-to-end tests; its server is killed afterwards."""
    import os

    from e2e.tmux_driver import Tmux, tmux_path

    if tmux_path() is None:
        if os.environ.get("CI"):
            # CI installs tmux; a skip there would hide a broken install behind a green run.
            pytest.fail("tmux is not installed, so the end-to-end tests cannot run (CI must install it)")
        pytest.skip("tmux is not installed")
    term = Tmux(tmp_path)
    try:
        yield term
    finally:
        term.kill_server()


@pytest.fixture
def app_env(tmp_path) -> dict[str, str]:
    from e2e.tmux_driver import app_environment

    return app_environment(tmp_path)


@pytest.fixture
def browser(tmp_path, monkeypatch) -> Path:
    """A stand-in browser for one test: $BROWSER is a script that writes down each address it is given.

    Returns the file it writes to. webbrowser reads $BROWSER once per process, so
    its memory of browsers is cleared too (monkeypatch restores it afterwards).
    """
    import stat
    import webbrowser

    log = tmp_path / "opened.txt"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{log}"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("BROWSER", str(script))
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    return log
