"""The line above the step: "Step 2 of 4 · Done on 22 November 2026", always one line high.

It picks the longest of its wordings that fits the width it has, when it is
drawn, so a window of any width gets whole words and the step below never
moves: a line that wrapped to two when a step was done would push the step
down and lay the whole screen out again on the key.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget


class StateLine(Widget):
    """Styled as #step-state in app.tcss: one line high, the width its row leaves."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.wordings: tuple[str, ...] = ("",)

    def show(self, wordings: tuple[str, ...], state: str) -> None:
        """`wordings`: the same words from the longest to the shortest; `state` is the class for the colour."""
        if wordings != self.wordings or not self.has_class(state):
            self.wordings = wordings
            self.set_classes(state)
            self.refresh()

    @property
    def words(self) -> str:
        """What the line says at its width."""
        width = self.content_region.width or 1_000
        return next((w for w in self.wordings if cell_len(w) <= width), self.wordings[-1])

    def render(self) -> Content:
        return Content(self.words)
