"""End to end: guides updated while the app is open, in a real terminal (tmux), on the installed package.

The app keeps the guides it started with (a guide must never change under a
person reading it, nor mix two releases); the next start uses the new ones.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from e2e.tmux_driver import Tmux, browser_recorder, flat, installed_command
from update_helpers import BUNDLED, clean_env, edited, install_copy, read_set, release, run
from update_server import ReleaseServer

from walkthrough.update import minisign

pytestmark = pytest.mark.e2e


def labelled(label: str) -> dict[str, bytes]:
    """The bundled guides with LinkedIn's first step saying which release it came from."""
    return edited(
        read_set(BUNDLED), "linkedin.yaml", "title: Sign in to LinkedIn", f"title: Sign in to LinkedIn {label}"
    )


def test_an_update_while_the_app_is_open_leaves_the_app_on_its_guides(tmux: Tmux, tmp_path: Path) -> None:
    key = minisign.generate()
    site = install_copy(tmp_path / "installed", [key.public()])
    data = tmp_path / "data"
    browser, _ = browser_recorder(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    env = clean_env(site, data)
    app_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "TERM": "tmux-256color",
        "BROWSER": str(browser),
        "OPTOUT_TUI_DATA_DIR": str(data),
        "PYTHONPATH": str(site),
    }
    with ReleaseServer() as server:
        server.publish(release(labelled("(set A)"), key, serial=2))
        assert run(["update", "--url", server.url()], env).returncode == 0

        tmux.start([installed_command(), "--region", "DE", "linkedin"], app_env, cwd=tmp_path)
        tmux.wait_for(lambda s: "Sign in to LinkedIn (set A)" in flat(s), what="LinkedIn's first step from set A")

        # Two updates while it is open: set A is then neither current nor previous, and is removed from disk.
        for serial, label in ((3, "(set B)"), (4, "(set C)")):
            server.routes.clear()
            server.publish(release(labelled(label), key, serial=serial))
            out = run(["update", "--url", server.url()], env)
            assert out.returncode == 0, out.stderr
            assert "An optout-tui that is already open keeps its guides until it is started again." in out.stdout
        assert not [p for p in (data / "guide-sets").iterdir() if p.name.startswith("2-")]

        # Next step, back, out to the list and into the guide again: still set A, whole and working.
        for key_name in ("n", "p"):
            tmux.press(key_name)
        tmux.wait_for(lambda s: "Sign in to LinkedIn (set A)" in flat(s), what="the first step again")
        tmux.press("Escape")
        tmux.wait_for(lambda s: "ExampleNet" in flat(s), what="the list of guides")
        tmux.press("/")
        tmux.type("linkedin")
        tmux.wait_for("linkedin", what="the search typed")
        tmux.press("Enter")
        screen = tmux.wait_for(lambda s: "Sign in to LinkedIn (set A)" in flat(s), what="LinkedIn from set A again")
        assert "Traceback" not in screen and "(set B)" not in screen and "(set C)" not in screen

        tmux.press("q")
        tmux.kill_server()

    again = Tmux(tmp_path)
    try:
        again.start([installed_command(), "--region", "DE", "linkedin"], app_env, cwd=tmp_path)
        again.wait_for(lambda s: "Sign in to LinkedIn (set C)" in flat(s), what="the newest guides on the next start")
    finally:
        again.kill_server()
