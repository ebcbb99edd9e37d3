"""Drive a program in a real terminal: a tmux server of our own, on a private socket.

The server never shares a socket with the user's tmux (`-L <unique name>`) and
reads no config of theirs (`-f <ours>`), so a test can neither see nor disturb
their sessions. Every wait polls the screen with a deadline instead of sleeping
for a fixed time: fast when the machine is fast, patient when CI is slow.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

# Without these the test would measure tmux, not the app: escape-time would hold
# back every Escape by 500 ms, and the status line would steal a row from the app.
CONFIG = """\
set -s escape-time 0
set -g status off
set -g remain-on-exit on
set -g default-terminal "tmux-256color"
"""


class ScreenTimeout(AssertionError):
    """The screen never showed what a test waited for; the message holds the last screen."""


def tmux_path() -> str | None:
    return shutil.which("tmux")


class Tmux:
    """One tmux server with one session running one command."""

    def __init__(self, workdir: Path, *, width: int = 80, height: int = 24) -> None:
        self.socket = f"optout-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.width = width
        self.height = height
        self.config = workdir / "tmux.conf"
        self.config.write_text(CONFIG)
        self.target = "app"
        self.started = False
        # How the program ended, written by the shell that runs it: tmux 3.3 sometimes marks a
        # pane dead without ever saying how its program ended.
        self.status_file = workdir / f"exit-status-{uuid.uuid4().hex[:8]}"

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            # -u: read the screen as UTF-8 whatever locale the test runner has.
            ["tmux", "-u", "-L", self.socket, "-f", str(self.config), *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=30,
        )

    def start(self, argv: Sequence[str], env: Mapping[str, str], cwd: Path | None = None) -> None:
        """Start argv in an 80x24 pane with exactly the environment given (plus TERM from tmux).

        `env -i` keeps the user's own variables (a real $BROWSER, their data
        dir, OPTOUT_TUI_GUIDES) out of the app under test.
        """
        assignments = [f"{k}={v}" for k, v in env.items()]
        command = shlex.join(["env", "-i", *assignments, *argv])
        self.tmux(
            "new-session",
            "-d",
            "-s",
            self.target,
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            *(["-c", str(cwd)] if cwd else []),
            # A shell waits for the app and writes down its exit status; pane_pid() finds the app below it.
            f"{command}; echo $? > {shlex.quote(str(self.status_file))}",
        )
        self.started = True

    def kill_server(self) -> None:
        if self.started:
            self.tmux("kill-server", check=False)
            self.started = False

    def pane_pid(self) -> int:
        """The app's pid (the pane runs a shell that waits for it and records how it ended)."""
        shell = int(self.tmux("display-message", "-p", "-t", self.target, "#{pane_pid}").stdout.strip())
        children = Path(f"/proc/{shell}/task/{shell}/children")
        for _ in range(100):
            found = children.read_text().split() if children.exists() else []
            if found:
                return int(found[0])
            time.sleep(0.02)
        raise AssertionError("the app is not running in the pane")

    def pane_dead(self) -> bool:
        return self.tmux("display-message", "-p", "-t", self.target, "#{pane_dead}").stdout.strip() == "1"

    def cursor(self) -> tuple[int, int]:
        """The terminal cursor's (column, row): where typed text goes, even while it is hidden."""
        x, y = self.tmux("display-message", "-p", "-t", self.target, "#{cursor_x} #{cursor_y}").stdout.split()
        return int(x), int(y)

    def exit_status(self) -> int | None:
        """The program's exit status once it has ended (128+N for signal N, as shells say), else None."""
        if not self.pane_dead():
            return None
        for _ in range(100):
            if self.status_file.exists() and self.status_file.read_text().strip():
                return int(self.status_file.read_text())
            time.sleep(0.02)
        raise AssertionError("the program ended but its exit status was not written down")

    def screen(self) -> str:
        """What a person would see now: the visible pane, as text."""
        return self.tmux("capture-pane", "-p", "-t", self.target).stdout

    def press(self, *keys: str) -> None:
        """Keys in tmux's names: Enter, Space, Escape, Down, C-c, or a single character."""
        for key in keys:
            self.tmux("send-keys", "-t", self.target, key)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.target, "-l", text)

    def wait_for(
        self,
        want: str | Callable[[str], bool],
        *,
        timeout: float = 15.0,
        what: str | None = None,
    ) -> str:
        """Poll the screen until `want` (text on it, or a test on it) holds; return that screen."""
        check = (lambda s: want in s) if isinstance(want, str) else want
        deadline = time.monotonic() + timeout
        screen = ""
        while True:
            screen = self.screen()
            if check(screen):
                return screen
            if time.monotonic() > deadline:
                label = what or (repr(want) if isinstance(want, str) else "the condition")
                dead = " (the program has exited)" if self.pane_dead() else ""
                raise ScreenTimeout(f"waited {timeout:.0f} s for {label}{dead}; the screen showed:\n{screen}")
            time.sleep(0.05)


def wait_until(check: Callable[[], bool], *, timeout: float = 10.0, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.05)


def browser_recorder(folder: Path) -> tuple[Path, Path]:
    """An executable to use as $BROWSER that records each URL it is asked to open, and the record file.

    webbrowser runs $BROWSER as one program name with the URL as its only
    argument, so the recorder must be a single executable file (no arguments).
    It prints nothing: its output would land on the app's screen.
    """
    log = folder / "opened-urls.txt"
    script = folder / "record-browser"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> {shlex.quote(str(log))}\nexit 0\n')
    script.chmod(0o755)
    return script, log


def installed_command() -> str:
    """The console script pip installed with this package (beside this Python; PATH could hold another copy)."""
    import pytest

    beside = Path(sys.executable).parent / "optout-tui"
    if beside.exists():
        return str(beside)
    found = shutil.which("optout-tui")
    if not found:
        pytest.fail("optout-tui is not installed: run `python3 -m pip install '.[test]'` first")
    return found


def flat(screen: str) -> str:
    """The screen as one line of words, so a sentence wrapped at 80 columns still matches."""
    return " ".join(screen.split())


def app_environment(tmp_path: Path) -> dict[str, str]:
    """Exactly the environment the app under test gets: its own home, data folder and a recording browser."""
    browser, _ = browser_recorder(tmp_path)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "TERM": "tmux-256color",
        "BROWSER": str(browser),
        "OPTOUT_TUI_DATA_DIR": str(tmp_path / "data"),
    }
