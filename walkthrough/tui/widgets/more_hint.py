"""A few words above the step saying there is more of it below: the step view's scroll bar, in words.

Its own widget of a fixed width, so changing the words repaints it and does
not lay the screen out again (a Static's update does).
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

WORDS = {"below": "↓ more: PageDown", "above": "↑ PageUp", "": ""}
SHORT_WORDS = {"below": "↓ PgDn", "above": "↑ PgUp", "": ""}


class MoreHint(Widget):
    DEFAULT_CSS = """
    MoreHint {
        width: 16;
        height: 1;
        &.-short {
            width: 6;
        }
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.where = ""

    def show(self, where: str, *, short: bool = False) -> None:
        """`where`: "below" when there is more below, "above" when only above, "" when the step fits."""
        if (where, short) != (self.where, self.has_class("-short")):
            self.where = where
            self.set_class(short, "-short")
            self.refresh()

    def render(self) -> Content:
        words = SHORT_WORDS if self.has_class("-short") else WORDS
        return Content(words[self.where])
