"""What the app can ask when it runs inside a browser tab (under `optout-tui serve`).

In a terminal, copying writes to the terminal's clipboard. In a browser tab the
same escape code reaches the browser, which copies only on a secure origin
(http://127.0.0.1 is one; http://192.168.1.20 is not). Elsewhere it fails
without a word, so the app must not say "Copied" there: it hands the text over
as a download instead, and says so.

The app cannot see the browser's address itself. `serve` knows it (the origin
of the websocket, which it has checked is its own) and tells each app it starts
through the environment variable ENV_CLIPBOARD.

This module imports no Textual: the app passes itself in.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping
from typing import Literal, Protocol

ENV_CLIPBOARD = "OPTOUT_TUI_BROWSER_CLIPBOARD"  # "yes": the page may use the browser's clipboard

CopyRoute = Literal["terminal", "browser-clipboard", "download"]


class _App(Protocol):
    @property
    def is_web(self) -> bool: ...

    def deliver_text(
        self,
        path_or_file: io.StringIO,
        *,
        save_filename: str | None = ...,
        open_method: Literal["browser", "download"] = ...,
        encoding: str | None = ...,
        mime_type: str | None = ...,
    ) -> str | None: ...


def in_browser(app: _App) -> bool:
    """True when the app runs in a browser tab (textual-serve's web driver), not a terminal."""
    return app.is_web


def browser_clipboard_works(environ: Mapping[str, str] | None = None) -> bool:
    """True when `serve` said the page is on a secure origin, where the browser lets it copy.

    Unknown (the app was served some other way) counts as no: never claim a copy we cannot make.
    """
    return (os.environ if environ is None else environ).get(ENV_CLIPBOARD) == "yes"


def copy_route(app: _App, environ: Mapping[str, str] | None = None) -> CopyRoute:
    """How text should reach the user: the terminal's clipboard, the browser's, or a download."""
    if not in_browser(app):
        return "terminal"
    return "browser-clipboard" if browser_clipboard_works(environ) else "download"


def download_name(*words: str, suffix: str = ".txt") -> str:
    """A plain, safe file name from words such as a guide id: `optout-tui-linkedin-letter.txt`.

    A guide is hostile data, and the name reaches a header and the user's downloads folder.
    """
    joined = "-".join(("optout-tui", *words))
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", joined).strip("-.")[:80].rstrip("-.")
    return (cleaned or "optout-tui") + suffix


def deliver_as_download(app: _App, text: str, *name_words: str) -> str:
    """Hand `text` to the user as a file named from `name_words`; return the file name used.

    `deliver_as_download(app, letter, "linkedin", "letter")` gives optout-tui-linkedin-letter.txt.
    In a browser tab the browser downloads it (Textual's `deliver_text`). In a terminal,
    Textual saves it in the user's downloads folder instead. Either way a
    `DeliveryComplete` or `DeliveryFailed` message follows.
    """
    name = download_name(*name_words)
    app.deliver_text(
        io.StringIO(text),
        save_filename=name,
        open_method="download",
        encoding="utf-8",
        mime_type="text/plain",
    )
    return name


def download_notice(file_name: str) -> str:
    """What to tell the user when their text went out as a download, because copying cannot work here."""
    return (
        "This browser address cannot use your clipboard, so your browser is downloading the text "
        f"as a file instead: {file_name}. Open it from your browser's downloads and copy it from there."
    )
