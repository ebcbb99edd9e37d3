"""A few lines of text that change often and never change size (the line above the list of guides).

`Static.update` asks the whole screen to lay itself out again, in case the
new text is taller; with a key typed in the search that was a large part of
the time to answer it. These lines keep their height (one per line of text,
set when the number of lines changes) and cut a line that is too long with
"…", so new text only repaints them.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class Lines(Widget):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[Text] = []

    def show(self, text: Text) -> None:
        lines = list(text.split("\n", allow_blank=True))
        layout = len(lines) != len(self._lines)
        self._lines = lines
        self.refresh(layout=layout)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self._lines)

    def render(self) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis", end="")
        for n, line in enumerate(self._lines):
            line.no_wrap, line.overflow = True, "ellipsis"
            line.truncate(max(self.size.width, 1), overflow="ellipsis")
            out.append_text(line)
            if n < len(self._lines) - 1:
                out.append("\n")
        return out
