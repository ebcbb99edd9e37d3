"""The table of guides on the home screen."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class GuideTable(DataTable):
    # DataTable's own Enter is hidden from the footer; people need to see how to open a guide.
    BINDINGS = [Binding("enter", "select_cursor", "Open guide", id="open")]

    COLUMNS = (("Guide", "name"), ("Difficulty", "difficulty"), ("Time", "time"), ("Your progress", "progress"))

    def reset_columns(self) -> None:
        # Columns are rebuilt with the rows so their widths follow the terminal when it shrinks.
        self.clear(columns=True)
        for label, key in self.COLUMNS:
            self.add_column(label, key=key)
