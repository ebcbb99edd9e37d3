"""The list of guides on the home screen: draws only the rows on screen.

A widget per row (or a DataTable, which measures every cell of every row) made
the first screen slower with each guide added. This one uses Textual's Line
API: the screen gives it the order of the guides to show and a function that
describes one row, and it asks for the rows it paints, about twenty, whether
the catalogue has fifty guides or five thousand. The first line is the column
headings; it stays put while the rows scroll under it.

Typing a letter or a digit on the list starts a search. Those keys are
priority bindings, so the screen moves them to the search box while the app
is still handling the key: letters typed fast (or pasted) land in the box in
order, none on the list.
"""

from __future__ import annotations

import string
from collections.abc import Awaitable, Callable, Sequence
from functools import partial

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

# Keys that start a search when typed on the list: Textual names these keys by their character.
# Other letters (é, ß) start one through on_key.
SEARCH_KEYS = string.ascii_letters + string.digits


class RowText:
    """What one row says: a guide's name (and the other name a search found it by), then the other columns."""

    # A plain class, not a dataclass: making a dataclass costs a millisecond at import, before the first screen.
    __slots__ = ("name", "note", "difficulty", "time", "progress", "dim")

    def __init__(self, name: str, note: str, difficulty: str, time: str, progress: str, dim: bool) -> None:
        self.name = name
        self.note = note  # "" or the other name a search matched, shown after the name
        self.difficulty = difficulty
        self.time = time
        self.progress = progress
        self.dim = dim  # not for the user's country


class Columns:
    """The widths of the columns after the name; the name takes the room left."""

    __slots__ = ("difficulty", "time", "progress")

    def __init__(self, difficulty: int, time: int, progress: int) -> None:
        self.difficulty, self.time, self.progress = difficulty, time, progress


HEADINGS = ("Guide", "Difficulty", "Time", "Your progress")
GAP = 2  # spaces between columns
NAME_ROOM = 16  # what a name should have before other columns give way
MIN_NAME = 8
MIN_DIFFICULTY = 6  # "Easy", "Hard", "Limit…"


class GuideList(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {
        "guide-list--header",
        "guide-list--cursor",
        "guide-list--cursor-blurred",
        "guide-list--stripe",
        "guide-list--dim",
        "guide-list--note",
    }
    BINDINGS = [
        Binding("enter", "open", "Open", id="open"),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        *(Binding(key, f"type({key!r})", key, show=False, priority=True) for key in SEARCH_KEYS),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Opened(Message):
        """The user chose a guide (Enter or a click)."""

        def __init__(self, guide_id: str) -> None:
            super().__init__()
            self.guide_id = guide_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._order: Sequence[int] = ()
        self._ids: Sequence[str] = ()
        self._describe: Callable[[int], RowText] = lambda i: RowText("", "", "", "", "", False)
        self._columns = Columns(0, 0, 0)
        self._empty = ""
        self.typed: Callable[[str], Awaitable[None]] | None = None  # what a letter typed on the list does
        self._styles: tuple[Style, Style, Style, Style] = (Style(), Style(), Style(), Style())
        self._more: tuple[Style, Style] = (Style(), Style())

    # ---- what to show ------------------------------------------------------------

    def show(
        self,
        order: Sequence[int],
        ids: Sequence[str],
        describe: Callable[[int], RowText],
        columns: Columns,
        keep: str | None = None,
        empty: str = "",
    ) -> None:
        """Show the guides at `order` (positions in `ids`); the cursor stays on `keep` if it is still there.

        `empty` is what the list says when it shows no guide (what to press to see some).
        """
        self._order, self._ids, self._describe, self._columns = order, ids, describe, columns
        self._empty = empty
        position = 0
        if keep is not None:
            position = next((n for n, i in enumerate(order) if ids[i] == keep), 0)
        self.virtual_size = Size(self.size.width, len(order) + 1)
        self.cursor = position
        self.refresh()

    @property
    def count(self) -> int:
        return len(self._order)

    @property
    def highlighted(self) -> str | None:
        """The id of the guide the cursor is on."""
        if not self._order:
            return None
        return self._ids[self._order[min(self.cursor, len(self._order) - 1)]]

    # ---- keys and the mouse ---------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._order) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        top = round(self.scroll_y)
        self._scroll_to_cursor()
        if round(self.scroll_y) == top:
            self._refresh_row(old)  # only the two rows that change: a key press repaints two lines
            self._refresh_row(new)

    def _refresh_row(self, index: int) -> None:
        # Line 0 is the headings, so row `index` is line index + 1 of the content.
        self.refresh_line(index + 1)

    def _scroll_to_cursor(self) -> None:
        rows_shown = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, force=True, immediate=True)
        elif self.cursor >= top + rows_shown:
            self.scroll_to(y=self.cursor - rows_shown + 1, animate=False, force=True, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._order) + 1)
        self._scroll_to_cursor()

    def on_focus(self) -> None:
        self._refresh_row(self.cursor)

    def on_blur(self) -> None:
        self._refresh_row(self.cursor)

    def action_move(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.scrollable_content_region.height - 2)

    def action_jump(self, where: int) -> None:
        self.cursor = where if where >= 0 else len(self._order) - 1

    def action_open(self) -> None:
        guide_id = self.highlighted
        if guide_id is not None:
            self.post_message(self.Opened(guide_id))

    async def action_type(self, key: str) -> None:
        # Run by the app while it handles the key, before the next key: see the module's docstring.
        if self.typed is not None:
            await self.typed(key)

    async def on_key(self, event: events.Key) -> None:
        # Letters outside ASCII (é, ß, ж) have no binding; they start a search too. Other characters
        # (?, /) are keys of their own.
        char = event.character
        if char and len(char) == 1 and char.isalpha() and not char.isascii() and self.typed is not None:
            event.stop()
            event.prevent_default()
            await self.typed(char)

    async def on_paste(self, event: events.Paste) -> None:
        if event.text.strip() and self.typed is not None:
            event.stop()
            await self.typed(" ".join(event.text.split()))

    def on_click(self, event: events.Click) -> None:
        row = event.style.meta.get("guide-row")
        if row is not None:
            self.cursor = row
            self.action_open()

    # ---- drawing ------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # Work out the styles once per paint, not once per line (the widget's own style walks its ancestors).
        part = partial(self.get_component_rich_style, partial=True)
        cursor = "guide-list--cursor" if self.has_focus else "guide-list--cursor-blurred"
        self._styles = (self.rich_style, part("guide-list--header"), part("guide-list--stripe"), part(cursor))
        self._more = (part("guide-list--dim"), part("guide-list--note"))
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base, header, stripe, cursor = self._styles
        if y == 0:
            return self._line(HEADINGS, width, base + header)
        index = round(self.scroll_y) + y - 1
        if not self._order and index == 0 and self._empty:
            dim, _ = self._more
            return Strip([Segment(" " + self._empty, base + dim)]).crop_extend(0, width, base)
        if not 0 <= index < len(self._order):
            return Strip.blank(width, base)
        row = self._describe(self._order[index])
        dim, note = self._more
        style = base
        if index % 2:
            style += stripe
        if index == self.cursor:
            style += cursor
        if row.dim:
            style += dim
        note_style = style + note
        cells = (row.name, row.difficulty, row.time, row.progress)
        return self._line(cells, width, style, note=(row.note, note_style), meta=Style(meta={"guide-row": index}))

    def _widths(self, width: int) -> tuple[int, int, int, int]:
        """Name, difficulty, time and progress columns for a line `width` wide.

        Progress is what the list is for, so it is never cut. In a narrow terminal
        the time goes first, then the difficulty is shortened, so a name keeps
        at least NAME_ROOM characters where it can.
        """
        columns = self._columns
        difficulty, time, progress = columns.difficulty, columns.time, columns.progress

        def left() -> int:
            return width - 1 - (difficulty + GAP) - (time + GAP if time else 0) - (progress + GAP)

        if left() < NAME_ROOM:
            time = 0
        if left() < NAME_ROOM:
            difficulty = max(MIN_DIFFICULTY, difficulty - (NAME_ROOM - left()))
        return max(MIN_NAME, left()), difficulty, time, progress

    def _line(
        self,
        cells: Sequence[str],
        width: int,
        style: Style,
        note: tuple[str, Style] | None = None,
        meta: Style | None = None,
    ) -> Strip:
        name_width, *widths = self._widths(width)
        if meta is not None:
            style += meta
        name, others = cells[0], cells[1:]
        segments = [Segment(" ", style)]
        note_text = f" ({note[0]})" if note and note[0] else ""
        if cell_len(name) + cell_len(note_text) > name_width:
            if cell_len(name) >= name_width:
                name, note_text = set_cell_size(name, name_width - 1) + "…", ""
            else:
                note_text = set_cell_size(note_text, name_width - cell_len(name) - 1) + "…"
        segments.append(Segment(name, style))
        if note_text and note is not None:
            segments.append(Segment(note_text, note[1]))
        segments.append(Segment(" " * (name_width - cell_len(name) - cell_len(note_text) + GAP), style))
        for text, w in zip(others, widths, strict=True):
            if w:
                cut = text if cell_len(text) <= w else set_cell_size(text, w - 1) + "…"
                segments.append(Segment(set_cell_size(cut, w) + " " * GAP, style))
        strip = Strip(segments)
        return strip.crop_extend(0, width, style)
