"""Run `optout-tui serve` (or any server that prints its address) for a test, and stop it.

The server's output is read in a thread as it comes, so a chatty server never
blocks on a full pipe, and a test can wait for a line with a deadline.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from e2e.tmux_driver import installed_command  # noqa: F401 (the serve tests take it from here)

ADDRESS = re.compile(r"http://\S+/")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def need(what: str, how: str) -> None:
    """Skip a test whose tool is missing here; in CI, fail: .ci/run installs it, so missing is a bug."""
    message = f"{what} is not installed, so this test cannot run ({how})"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must install it")
    pytest.skip(message)


def require_web() -> None:
    if importlib.util.find_spec("textual_serve") is None:
        need("textual-serve (the [web] extra)", "pip install '.[test]'")


def chromium() -> str:
    """Debian's Chromium; Playwright drives it, and downloads no browser of its own."""
    if importlib.util.find_spec("playwright") is None:
        need("Playwright", "pip install '.[test]'")
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        need("Chromium", "apt-get install chromium")
    assert found is not None
    return found


class Served:
    """A server process started by a test."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str] | None = None, cwd: Path | None = None) -> None:
        self.process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=dict(os.environ if env is None else env),
            cwd=cwd,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for_output(self, pattern: str | re.Pattern[str], timeout: float = 30) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.output)
            if found:
                return found
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"the server never printed {pattern!r}; it printed:\n{self.output}")

    def address(self, timeout: float = 30) -> str:
        return self.wait_for_output(ADDRESS, timeout).group()

    def stop(self, timeout: float = 20) -> int:
        """Ctrl+C, as the user would; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
                raise AssertionError(f"the server did not stop on Ctrl+C; it printed:\n{self.output}") from None
        self._reader.join(5)
        return self.process.returncode
