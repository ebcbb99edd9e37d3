"""Putting text on the clipboard from a terminal, by every way that may work.

Textual copies with an escape sequence (OSC 52) that many terminals ignore:
tmux with its default settings, GNOME Terminal, macOS Terminal. No terminal
says whether it worked, so the app also hands the text to the tools the system
has for this (tmux's own buffer, pbcopy, wl-copy, xclip, xsel), and every copy
message still says what to do if pasting does not work. Nothing here imports
Textual.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping

TOOL_TIMEOUT = 3.0


def tools(env: Mapping[str, str], platform: str = sys.platform, which: Callable = shutil.which) -> list[list[str]]:
    """The commands to try, each reading the text on its standard input."""
    found: list[list[str]] = []
    if env.get("TMUX") and which("tmux"):
        # Into tmux's paste buffer; -w also passes it on to the terminal's clipboard where tmux may.
        found.append(["tmux", "load-buffer", "-w", "-"])
    over_ssh = env.get("SSH_CONNECTION") or env.get("SSH_CLIENT") or env.get("SSH_TTY")
    if platform == "darwin" and not over_ssh and which("pbcopy"):
        found.append(["pbcopy"])
    if env.get("WAYLAND_DISPLAY") and which("wl-copy"):
        found.append(["wl-copy"])
    elif env.get("DISPLAY"):
        if which("xclip"):
            found.append(["xclip", "-selection", "clipboard"])
        elif which("xsel"):
            found.append(["xsel", "--clipboard", "--input"])
    return found


def _run(cmd: list[str], text: str) -> bool:
    try:
        result = subprocess.run(
            cmd,
            input=text.encode("utf-8"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=TOOL_TIMEOUT,
            start_new_session=True,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def copy_with_tools(text: str, commands: list[list[str]]) -> bool:
    """Hand `text` to each tool; True if any took it. Blocks, so call it from a thread."""
    took = False
    for cmd in commands:
        ok = _run(cmd, text)
        if not ok and cmd[:3] == ["tmux", "load-buffer", "-w"]:
            ok = _run(["tmux", "load-buffer", "-"], text)  # tmux older than 3.2 has no -w
        took = took or ok
    return took
