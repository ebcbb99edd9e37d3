"""Text from a guide file, a file name or a user, made safe to print to a terminal.

A file name or a guide can hold escape sequences (ESC]0;... retitles the
terminal, ESC[2J clears it) or a newline that fakes a second line of output.
Everything printed that came from outside goes through `visible`, which shows
such characters as escapes instead of sending them to the terminal.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the bidirectional overrides and isolates that can
# make text read differently from what it says. Tab and newline are kept only by
# `visible(..., keep_lines=True)`.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_CONTROL_NOT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    if char == "\r":
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object, *, keep_lines: bool = False) -> str:
    """`text` with every control character shown as an escape (`\\x1b`, `\\n`), so it prints as one safe piece."""
    pattern = _CONTROL_NOT_LINES if keep_lines else _CONTROL
    return pattern.sub(_escape, str(text))


def has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def json_text(text: str) -> str:
    """JSON from json.dumps(..., ensure_ascii=False) with the characters it leaves raw escaped as \\uXXXX.

    json.dumps escapes C0 controls but prints DEL, the C1 controls (\\x9b is
    an escape sequence's start in some terminals) and bidirectional overrides
    as they are; escaped, the output is the same JSON and safe in a terminal.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
