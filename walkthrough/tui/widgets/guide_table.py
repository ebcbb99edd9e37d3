"""The table of guides on the home screen."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class GuideTable(DataTable):
    # DataTable's own Enter is hidden from the footer; people need to see how to open a guide.
    BINDINGS = [Binding("enter", "select_cursor", "Open guide", id="open")]

    COLUMNS = (("Guide", "name"), ("Difficulty", "difficulty"), ("Time", "time"), ("Your progress", "progress"))

    def reset_columns(self, widths: list[int]) -> None:
        # Columns are rebuilt with the rows so their widths follow the terminal when it shrinks.
        # Widths are given, not measured: with a thousand guides DataTable would otherwise
        # render every cell of every row just to size the columns (over 100 ms at start-up).
        self.clear(columns=True)
        for (label, key), width in zip(self.COLUMNS, widths, strict=True):
            self.add_column(label, key=key, width=max(width, len(label)))
