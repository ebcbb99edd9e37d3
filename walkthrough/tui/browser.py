"""Opening a web page from a terminal app, and knowing whether it opened.

`webbrowser.open` (what `App.open_url` calls in a terminal) cannot be trusted
from inside a full-screen app:

- its answer is thrown away by Textual, so a missing browser or `BROWSER=false`
  looked like success;
- with no graphical display it falls back to a text-mode browser (w3m, lynx)
  and runs it inside the app's own screen, which it then leaves broken;
- a graphical browser inherits the terminal, so its warnings land on the screen;
- over SSH it would open a page on the remote computer, where nobody sees it.

So the decision is made here, from the environment (`how_to_open`), and the
browser is started by a small separate Python process (`command`) whose exit
status says whether it worked. Nothing here imports Textual.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from typing import Literal

# "user": the person set $BROWSER: run exactly that, with the terminal handed to it.
# "system": a graphical desktop (or macOS, Windows): start its browser in the background.
# "ssh": connected from another computer with no display: the page must open over there.
# "none": no display and no $BROWSER: only a text-mode browser could be found, and we do not use one.
How = Literal["user", "system", "ssh", "none"]

# Exit statuses of the helper beyond 0 (opened) and 1 (the browser failed).
NO_BROWSER = 3
TEXT_MODE_ONLY = 4

# Run with `python -I -c HELPER URL MODE`. The address is an argument, never part of a command line
# for a shell. In "system" mode the helper refuses text-mode browsers, and waits for launchers such
# as xdg-open to answer (webbrowser itself returns before they do, so their failures were invisible).
HELPER = """\
import os, subprocess, sys, webbrowser
url, mode = sys.argv[1], sys.argv[2]
TEXT = {"www-browser", "links", "links2", "elinks", "lynx", "w3m"}
try:
    b = webbrowser.get()
except webbrowser.Error:
    sys.exit(3)
if mode == "system":
    name = os.path.basename(str(getattr(b, "name", "") or ""))
    if type(b) is webbrowser.GenericBrowser or name in TEXT:
        sys.exit(4)
    if type(b) is webbrowser.BackgroundBrowser:
        cmd = [b.name] + [a.replace("%s", url) for a in b.args]
        try:
            p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            sys.exit(1)
        try:
            sys.exit(1 if p.wait(8) else 0)
        except subprocess.TimeoutExpired:
            sys.exit(0)
try:
    ok = b.open(url)
except Exception:
    ok = False
sys.exit(0 if ok else 1)
"""

# How long a graphical launcher may take to answer before we take its silence for success.
SYSTEM_TIMEOUT = 15.0


def how_to_open(env: Mapping[str, str], platform: str = sys.platform) -> How:
    if env.get("BROWSER", "").strip():
        return "user"
    display = env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")
    over_ssh = env.get("SSH_CONNECTION") or env.get("SSH_CLIENT") or env.get("SSH_TTY")
    if over_ssh and not display:
        return "ssh"
    if display or platform == "darwin" or platform.startswith("win"):
        return "system"
    return "none"


def command(url: str, mode: How) -> list[str]:
    return [sys.executable, "-I", "-c", HELPER, url, mode]


def open_in_background(url: str) -> bool:
    """Start the desktop's browser on `url` with no access to the terminal; True if it started.

    Blocks until the browser (or its launcher) answers, so call it from a thread.
    """
    try:
        result = subprocess.run(
            command(url, "system"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            timeout=SYSTEM_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return True  # a browser still starting up after this long is still a browser
    except OSError:
        return False
    return result.returncode == 0


def open_in_terminal(url: str, *, detached: bool) -> bool:
    """Run the user's $BROWSER on `url`, in the terminal (the app must be suspended) or detached from it."""
    quiet = subprocess.DEVNULL if detached else None
    try:
        result = subprocess.run(command(url, "user"), stdin=quiet, stdout=quiet, stderr=quiet)
    except OSError:
        return False
    return result.returncode == 0
