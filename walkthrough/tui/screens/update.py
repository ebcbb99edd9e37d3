""" "Update guides" from the command palette: say what will be contacted, and only then contact it.

The same work as `optout-tui update` (walkthrough.update.install), run on a
worker thread once the person says yes. Nothing is contacted before that, and
the app keeps the guides it started with until it is started again (the
outcome says so).
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from walkthrough.tui.screens.base import AppModal


class UpdateScreen(AppModal[None]):
    BINDINGS = [
        Binding("enter", "update", "Update now", id="update-now"),
        Binding("escape", "close", "Close", id="close-update"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._updating = False
        self._updated = False

    def compose(self) -> ComposeResult:
        from walkthrough.update.install import contact_words

        with Vertical(id="update-box", classes="dialog"):
            yield Static("Update guides", classes="title")
            yield Static(
                Text(
                    "Platforms move their settings, and fixed guides are published as signed releases. "
                    + contact_words()
                    + "\n\nThe new guides are checked (signature, every file, every guide) before they are used. "
                    "If anything is wrong, nothing changes."
                ),
                id="update-words",
            )
            with Horizontal(classes="buttons"):
                yield Button("Update now (Enter)", id="update-now", variant="primary", action="screen.update")
                yield Button("Close (Escape)", id="close-update", action="screen.close")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "update":
            return not self._updating and not self._updated
        return True

    def action_update(self) -> None:
        self._updating = True
        self.query_one("#update-words", Static).update(Text("Downloading and checking the newest guides..."))
        self.query_one("#update-now", Button).disabled = True
        self.refresh_bindings()
        self._update()

    @work(thread=True, exit_on_error=False, group="update")
    def _update(self) -> None:
        from walkthrough.update.install import UpdateError, update

        try:
            words = "\n".join(update(today=self.app.today).lines)
        except UpdateError as exc:
            words = str(exc) + " Your guides were not changed."
        except Exception as exc:  # a network library's surprise must not close the app
            words = f"The update could not be done ({type(exc).__name__}). Your guides were not changed."
        self.app.call_from_thread(self._show, words)

    def _show(self, words: str) -> None:
        self._updating, self._updated = False, True
        self.query_one("#update-words", Static).update(Text(words))
        self.refresh_bindings()

    def action_close(self) -> None:
        if not self._updating:
            self.dismiss()
