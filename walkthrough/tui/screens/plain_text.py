"""An address or a letter alone on a plain screen, to select with the mouse when copying did not work.

Nothing else is drawn beside the text (no border, no margin), so what the
terminal's own selection picks up is the text and nothing more. The line above
it says how to select in a terminal that passes the mouse to the app.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from walkthrough.tui.screens.base import AppScreen

HOW_TO_SELECT = (
    "To copy it, select it with the mouse, then copy: Ctrl+Shift+C in most terminals, Cmd+C on a Mac. "
    "If dragging does not select, hold Shift while you drag (on a Mac: Option in iTerm2, Fn in Terminal)."
)


class PlainTextScreen(AppScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Back", id="close-plain"),
        Binding("c", "copy", "Copy again", id="copy-plain"),
        Binding("w", "save", "Save to a file", id="save-plain"),
    ]

    def __init__(self, title: str, text: str, *, what: str, save_as: str | None = None) -> None:
        """`what` names the text in messages ("the letter"); `save_as` (a file name stem) allows saving it."""
        super().__init__()
        self.title_words = title
        self.text = text
        self.what = what
        self.save_as = save_as

    def compose(self) -> ComposeResult:
        yield Static(Text(self.title_words), id="plain-title", classes="title")
        how = HOW_TO_SELECT + (" Or press w to save it to a file." if self.save_as else "")
        yield Static(Text(how), id="plain-how", classes="meta")
        with VerticalScroll(id="plain-body"):
            yield Static(Text(self.text), id="plain-text")
        yield Footer(compact=True)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "save":
            return self.save_as is not None
        return True

    def action_close(self) -> None:
        self.dismiss()

    def action_copy(self) -> None:
        self.app.copy_text(self.text, self.what, view_key=None)

    def action_save(self) -> None:
        if self.save_as is not None:
            self.app.save_text(self.text, self.save_as)
