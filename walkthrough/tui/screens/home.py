"""The list of guides: where the user is overall, and which platform to do next."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Input, Static

from walkthrough.content import regions
from walkthrough.content.model import DIFFICULTY_WORDS
from walkthrough.progress.status import FINISHED_STATES, guide_status, state_words
from walkthrough.progress.store import StepRecord
from walkthrough.tui.screens.base import AppScreen
from walkthrough.tui.widgets.guide_table import GuideTable

FIRST_ROWS = 80  # more rows than any terminal shows at once


def short_difficulty(difficulty: str) -> str:
    # "Limited (only some rights)" does not fit a column at 80 characters; the
    # guide screen shows the full words.
    return DIFFICULTY_WORDS[difficulty].split(" (")[0]


class HomeScreen(AppScreen[None]):
    # Focus the list from the start. Focusing the search box first (the default) and
    # then the list made the footer rebuild its keys twice, the largest part of start-up.
    AUTO_FOCUS = "#guides"
    _rows: list[tuple[str, str, list[str]]] = []  # (guide id, style, cells) for every guide
    _counts = (0, 0, 0, 0)  # done, total, to re-check, changed
    _drawn_width = 0
    _generation = 0  # bumped on every redraw, so rows added late never land in a newer list
    BINDINGS = [
        Binding("enter", "open", "Open guide", show=False),
        Binding("slash", "search", "Search", key_display="/", id="search", priority=True),
        Binding("r", "app.region", "Where you live", id="region"),
        Binding("escape", "leave_search", "Clear search", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="home-title", classes="title")
        yield Static(id="overall")
        yield Static(id="notices", classes="notice")
        yield Input(placeholder="Search: press / and type a name", id="search", select_on_focus=False)
        yield GuideTable(id="guides", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#home-title", Static).update("Stop platforms training AI on what you wrote")
        self.show_notices()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown, so the rows are built here, once. Coming
        # back from a guide or the country question, progress and region may have changed.
        self.refresh_rows()

    def show_notices(self) -> None:
        app = self.app
        lines = []
        if app.store_notice:
            lines.append(app.store_notice)
        failed = app.catalog.failed
        if failed:
            n = len(failed)
            names = ", ".join(p.name for p in failed[:3]) + (" ..." if n > 3 else "")
            lines.append(
                f"{n} guide{'s' if n != 1 else ''} could not be opened because of a mistake in "
                f"{'their files' if n != 1 else 'its file'} ({names}). The others work. "
                "To see why, run `optout-tui validate` in a terminal."
            )
        for folder in app.catalog.missing_dirs:
            lines.append(f"The folder {folder} does not exist, so no guides came from it.")
        if not app.catalog.guides:
            lines.append("There are no guides to show.")
        notices = self.query_one("#notices", Static)
        notices.update(Text("\n".join(lines)))
        notices.display = bool(lines)

    def refresh_rows(self) -> None:
        """Work out every guide's status again (progress or the country may have changed), then draw."""
        app = self.app
        records: dict[str, dict[str, StepRecord]] = app.guarded(app.store.all, {})
        self._rows = []
        done = recheck = changed = total = 0
        for loaded in app.catalog.sorted_guides():
            status = guide_status(loaded, records.get(loaded.id, {}), app.country, app.today)
            total += status.applies
            done += status.state in FINISHED_STATES
            recheck += status.state == "recheck_due"
            changed += status.state == "changed"
            g = loaded.guide
            words = state_words(status)
            style = ""
            if not status.applies:
                style = "dim"
                words = "Not for your region" if status.state == "not_started" else f"{words}, not for your region"
            cells = [g.name, short_difficulty(g.difficulty), f"{g.minutes} min", words]
            self._rows.append((loaded.id, style, cells))
        self._counts = (done, total, recheck, changed)
        self.draw_rows()

    def draw_rows(self) -> None:
        """Fill the table from the statuses worked out last, keeping only what matches the search."""
        query = self.query_one("#search", Input).value.strip().lower()
        rows = [
            (gid, style, cells)
            for gid, style, cells in self._rows
            if not query or query in cells[0].lower() or query in gid
        ]
        table = self.query_one("#guides", GuideTable)
        keep = self._highlighted_id()
        self._drawn_width = self.app.size.width
        name_width = self._name_width([cells for _, _, cells in rows])
        widths = [min(name_width, max((len(c[0]) for _, _, c in rows), default=0))]
        widths += [max((len(c[i]) for _, _, c in rows), default=0) for i in (1, 2, 3)]
        table.reset_columns(widths)
        self._generation += 1
        # DataTable measures every cell of every row it is given. With a thousand guides that
        # delays the first screen by a fifth of a second, so the first screenful goes in now
        # and the rest straight after it is drawn (unless the list was redrawn meanwhile).
        first, rest = rows[:FIRST_ROWS], rows[FIRST_ROWS:]
        self._add_rows(first, name_width, keep, self._generation)
        if rest:
            self.call_after_refresh(self._add_rows, rest, name_width, keep, self._generation)
        self.query_one("#overall", Static).update(self._overall(*self._counts, query, len(rows)))

    def _add_rows(self, rows: list, name_width: int, keep: str | None, generation: int) -> None:
        if generation != self._generation:
            return  # a newer search or resize has already refilled the table
        table = self.query_one("#guides", GuideTable)
        for gid, style, cells in rows:
            name = Text(cells[0], style=style)
            name.truncate(name_width, overflow="ellipsis")
            table.add_row(name, *(Text(cell, style=style) for cell in cells[1:]), key=gid)
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))

    def _name_width(self, rows: list[list[str]]) -> int:
        """Room left for names once the other columns fit: progress must never be cut off."""
        # Margins (2), the scroll bar (2) and one space either side of each of the 4 cells (8).
        room = self.app.size.width - 12
        others = sum(max((len(cells[i]) for cells in rows), default=0) for i in (1, 2, 3))
        return max(12, room - others)

    def on_resize(self) -> None:
        # Resize events also come when nothing changed width (the first layout); skip those.
        if self._rows and self.app.size.width != self._drawn_width:
            self.draw_rows()

    def _overall(self, done: int, total: int, recheck: int, changed: int, query: str, shown: int) -> Text:
        parts = [f"{done} of {total} guide{'s' if total != 1 else ''} done"]
        if recheck:
            parts.append(f"{recheck} to re-check")
        if changed:
            parts.append(f"{changed} changed since you did {'them' if changed > 1 else 'it'}")
        where = (
            f"You live in {regions.country_name(self.app.country)}."
            if self.app.country
            else "Country not chosen: every guide is shown as yours."
        )
        line = ", ".join(parts) + ". " + where
        if query:
            line += f"\nShowing {shown} that match “{query}”." if shown else f"\nNo guide matches “{query}”."
        return Text(line)

    def _highlighted_id(self) -> str | None:
        table = self.query_one("#guides", DataTable)
        if not table.row_count:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # the cursor can point past the end while rows are replaced
            return None

    # ---- actions ---------------------------------------------------------

    def action_open(self) -> None:
        gid = self._highlighted_id()
        if gid:
            self.app.open_guide(gid)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.open_guide(event.row_key.value)

    def action_search(self) -> None:
        # "/" is a priority binding and focus is set at once (Widget.focus() would wait a
        # message), so letters typed or pasted straight after it land in the box, in order.
        search = self.query_one("#search", Input)
        if not search.has_focus:
            self.app.set_focus(search)

    def action_leave_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus and search.value:
            search.value = ""
        self.query_one("#guides").focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.draw_rows()
        self.query_one("#guides", DataTable).move_cursor(row=0)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Back from the guide, the user lands on the list, where the keys work, not in the search box.
        self.query_one("#guides").focus()
        self.action_open()

    def on_key(self, event) -> None:
        search = self.query_one("#search", Input)
        # Down from the search box goes into the list, as people expect from a search field.
        if search.has_focus and event.key == "down":
            self.query_one("#guides").focus()
            event.stop()
