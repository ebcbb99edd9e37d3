"""The list of guides: where the user is overall, and which platform to do next.

What it costs does not grow with the catalogue: the rows come from the
catalogue's columns (walkthrough.catalog.outline.Rows, read from the guide
cache without decoding a guide), every guide's status from one read of the
progress store, and the list draws only the rows on screen. The search box is
made the first time it is used. After the first screen is drawn, a worker
thread looks at every guide file and the list follows what changed (see
walkthrough.catalog.loading).

Keys on the list: any letter or digit starts a search (so does /), ctrl+f
cycles what is shown (all guides, to do, in progress, waiting or re-check due,
done, not for my country), ctrl+o changes the order (by name, by what needs
the user first, by difficulty). The line above the list says what is shown.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static
from textual.worker import get_current_worker

from walkthrough.catalog.outline import Rows, step_regions
from walkthrough.content import regions
from walkthrough.content.model import DIFFICULTY_WORDS
from walkthrough.progress.status import (
    STATUS_FILTERS,
    FollowUp,
    GuideStatus,
    StatusFilter,
    guide_follow_up,
    guide_status,
    in_filter,
    list_state,
    list_words,
    need_rank,
    outline_status,
    overall_counts,
    state_words,
    untouched_state,
)
from walkthrough.progress.store import Reply, StepRecord
from walkthrough.safe_text import visible
from walkthrough.tui import collector
from walkthrough.tui.screens.base import AppScreen
from walkthrough.tui.widgets.guide_list import Columns, GuideList, RowText
from walkthrough.tui.widgets.key_bar import KeyBar
from walkthrough.tui.widgets.lines import Lines

if TYPE_CHECKING:
    from textual.widgets import Input

ORDERS = {"name": "by name", "need": "what needs me first", "difficulty": "by difficulty"}
_DIFFICULTY_RANK = {d: n for n, d in enumerate(DIFFICULTY_WORDS)}
BATCH = 50  # guides parsed between two updates of the list, after an install
SAVE_EVERY = 1.0  # seconds between two writes of the cache while guides are read after an install
SURVEY_AFTER = 0.05  # seconds after the first screen before the guide files are looked at


def short_difficulty(difficulty: str) -> str:
    # "Limited (only some rights)" does not fit a column at 80 characters; the
    # guide screen shows the full words.
    return DIFFICULTY_WORDS[difficulty].split(" (")[0]


_SHORT_DIFFICULTY = {d: short_difficulty(d) for d in DIFFICULTY_WORDS}
_UNTOUCHED = {d: untouched_state(d) for d in DIFFICULTY_WORDS}  # asked once per difficulty, not per guide
# What the list says when a status filter shows no guide.
_NONE_SHOWN = {
    "todo": "No guide is left to do.",
    "in_progress": "No guide is in progress.",
    "follow_up": "No guide is waiting or due for a re-check.",
    "done": "No guide is done yet.",
    "elsewhere": "Every guide is for your country.",
}


class HomeScreen(AppScreen[None]):
    # Focus the list from the start: focusing a search box first and then the list made the
    # footer rebuild its keys twice, the largest part of start-up.
    AUTO_FOCUS = "#guides"
    BINDINGS = [
        Binding("slash", "search", "Search", key_display="/", id="search", priority=True),
        Binding("ctrl+f", "cycle_filter", "Show", id="filter", priority=True),
        Binding("ctrl+o", "cycle_order", "Order", id="order", priority=True),
        Binding("ctrl+r", "app.region", "Country", id="region", priority=True),
        Binding("ctrl+e", "app.export_record", "Record", id="export-record", priority=True),
        Binding("escape", "leave_search", "Clear search", show=False),
        # On the list every letter searches, q too: this hides the app's "q Quit" here, and ctrl+q quits.
        Binding("q", "noop", show=False),
        # Priority, as the app's own ctrl+q is: only then does the footer show it.
        Binding("ctrl+q", "app.quit", "Quit", id="quit-home", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status_filter: StatusFilter = "all"
        self.order = "name"
        self.query_text = ""  # what is in the search box, kept here: the box is made on first use
        self._rows = Rows.of([])
        self._states: list[str] = []
        self._applies: list[bool] = []
        self._statuses: dict[int, GuideStatus] = {}
        self._follow: dict[int, FollowUp] = {}  # guides with a letter waiting for a reply, by position
        self._index: dict[str, int] = {}
        self._counts = (0, 0, 0, 0)  # done, total, to re-check, changed
        self._search: Input | None = None
        self._matches: tuple[str, list[int]] | None = None  # the last search, to narrow the next one
        self._loading = ""  # what the line above the list says while guides are read after an install
        self._open_when_read: str | None = None  # a search Enter was pressed on before its guide was read
        self._column_widths: Columns | None = None  # worked out again with the statuses
        self._saved_at = 0.0
        self._order_cache: list[int] | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Stop platforms training AI on what you wrote"), id="home-title", classes="title")
        yield Lines(id="overall")  # where the user is overall, then what the list shows
        yield GuideList(id="guides")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(GuideList).typed = self.type_into_search
        self.call_after_refresh(collector.resume)  # paused while the app started: see tui/collector.py
        catalog = self.app.catalog
        if not catalog.surveyed:
            # The list came from the cache's listing; look at the files once the first screen is out
            # (a moment later, so the worker does not hold up the thread that writes it to the terminal).
            self.call_after_refresh(self.set_timer, SURVEY_AFTER, self.survey)
        elif catalog.pending():
            self._loading = self._reading(0, len(catalog.pending()))
            self.call_after_refresh(self.read_pending)
        self.show_notices()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown, so the rows are built here, once. Coming
        # back from a guide or the country question, progress and region may have changed.
        self.refresh_rows()

    def action_noop(self) -> None:
        pass

    # ---- the guides' files, after the first screen -----------------------------------

    @work(thread=True, exclusive=True, group="catalogue")
    def survey(self) -> None:
        catalog = self.app.catalog
        survey = catalog.survey()
        unchanged = catalog.unchanged(survey)
        with contextlib.suppress(RuntimeError):  # the app has ended
            self.app.call_from_thread(catalog.mark_surveyed if unchanged else partial(self._surveyed, survey))

    def _surveyed(self, survey) -> None:
        catalog = self.app.catalog
        changed = catalog.apply(survey, defer=True)
        if catalog.pending():
            self._loading = self._reading(0, len(catalog.pending()))
            self.read_pending()
        if changed:
            self.show_notices()
            self.refresh_rows()

    @staticmethod
    def _reading(done: int, total: int) -> str:
        return f"Reading the guides (the first time after an install or an update): {done:,} of {total:,}."

    @work(thread=True, exclusive=True, group="catalogue")
    def read_pending(self) -> None:
        catalog = self.app.catalog
        worker = get_current_worker()
        pending = catalog.pending()
        done = 0
        # The first few quickly, so the top of the list appears soon after the first screen.
        batch = 8
        while pending and not worker.is_cancelled:
            chunk, pending = pending[:batch], pending[batch:]
            parsed = [(gid, catalog.parse(path)) for gid, path in chunk]
            done += len(chunk)
            if worker.is_cancelled:
                return
            drawn = threading.Event()
            try:
                self.app.call_from_thread(self._took, parsed, done, done + len(pending), drawn)
            except RuntimeError:
                return  # the app has ended
            # Parsing holds Python's interpreter lock: wait until the list is on screen, or the
            # app's thread would get the lock only now and then and draw it late.
            waited = 0.0
            while not drawn.wait(0.05) and waited < 1.0:
                if worker.is_cancelled:
                    return
                waited += 0.05
            batch = BATCH

    def _took(self, parsed: list, done: int, total: int, drawn: threading.Event) -> None:
        catalog = self.app.catalog
        for gid, result in parsed:
            catalog.take(gid, result)
        if catalog.pending() and time.monotonic() - self._saved_at > SAVE_EVERY:
            catalog.save()  # what is read so far, should the app be closed before the rest
            self._saved_at = time.monotonic()
        self._loading = "" if done >= total else self._reading(done, total)
        self.show_notices()
        self.refresh_rows()
        if not catalog.pending():
            self.app.say_names_alike()  # the first start after an install: every name is known only now
        self._open_if_found()
        self.call_after_refresh(drawn.set)

    # ---- what the list shows ---------------------------------------------------------

    def show_notices(self) -> None:
        app = self.app
        lines = []
        if app.store_notice:
            lines.append(visible(app.store_notice, keep_lines=True))
        failed = app.catalog.failed
        if failed:
            n = len(failed)
            names = ", ".join(visible(p.name) for p in failed[:3]) + (" ..." if n > 3 else "")
            lines.append(
                f"{n} guide{'s' if n != 1 else ''} could not be opened because of a mistake in "
                f"{'their files' if n != 1 else 'its file'} ({names}). The others work. "
                "To see why, run `optout-tui validate` in a terminal."
            )
        for folder in app.catalog.missing_dirs:
            lines.append(f"The folder {visible(folder)} does not exist, so no guides came from it.")
        if not app.catalog.rows() and not app.catalog.pending() and app.catalog.surveyed:
            lines.append("There are no guides to show.")
        if app.catalog.guide_set is not None:
            from walkthrough.catalog.sources import freshness

            old = freshness(app.catalog.guide_set, app.today)
            if old:
                lines.append(old + " (or: ctrl+p, then Update guides)")
        # Made when there is something to say, which is seldom: the first screen does without.
        notices = self.query("#notices").first(Static) if self.query("#notices") else None
        if notices is None and lines:
            notices = Static(id="notices", classes="notice")
            self.mount(notices, before=self.query_one("#search") if self._search else self.query_one(GuideList))
        if notices is not None:
            notices.update(Text("\n".join(lines)))
            notices.display = bool(lines)

    def refresh_rows(self) -> None:
        """Work out every guide's status again (progress or the country may have changed), then draw."""
        app = self.app
        rows = app.catalog.rows()
        records: dict[str, dict[str, StepRecord]] = app.guarded(app.store.all, {})
        country = app.country
        self._rows = rows
        self._index = dict(zip(rows.ids, range(len(rows)), strict=True))
        self._states = list(map(_UNTOUCHED.__getitem__, rows.difficulties))
        self._applies = [codes is None or regions.applies(codes, country) for codes in rows.regions]
        self._statuses = {}
        self._follow = {}
        replies: list[Reply] = app.guarded(lambda: app.store.replies(), [])  # one read for every guide
        for gid, steps in records.items():
            i = self._index.get(gid)
            if i is None or not any(r.status for r in steps.values()):
                continue
            loaded = app.catalog.guides.get(gid)
            if loaded is None:
                continue
            status = guide_status(loaded, steps, country, app.today)
            self._statuses[i] = status
            self._states[i] = status.state
            theirs = [r for r in replies if r.guide_id == gid]
            follow = guide_follow_up(loaded.guide, steps, theirs, app.catalog.templates, country, app.today)
            if follow is not None and follow.state != "answered":
                self._follow[i] = follow
        # Counted by what the user did; a letter waiting for a reply is then shown and filed as waiting.
        self._counts = overall_counts(self._states, self._applies, rows.difficulties)
        for i, follow in self._follow.items():
            self._states[i] = list_state(self._statuses[i], follow)
        self._forget_view()
        self._column_widths = None
        self.draw_rows()

    def status_of(self, i: int) -> GuideStatus:
        status = self._statuses.get(i)
        if status is None:
            rows = self._rows
            status = outline_status(
                rows.difficulties[i], rows.regions[i], step_regions(rows.steps(i)), self.app.country
            )
            self._statuses[i] = status
        return status

    def describe(self, query: str) -> Callable[[int], RowText]:
        rows = self._rows

        def row(i: int) -> RowText:
            status = self.status_of(i)
            words = list_words(status, self._follow.get(i))
            if not status.applies:
                words = "Not for your region" if status.state == "not_started" else f"{words}, not for your region"
            note = ""
            if query and rows.aliases[i]:
                from walkthrough.catalog.search import other_name  # only while searching

                note = other_name(query, rows.aliases[i], rows.keys[i]) or ""
            return RowText(
                visible(rows.names[i]),
                visible(note),
                _SHORT_DIFFICULTY[rows.difficulties[i]],
                f"{rows.minutes[i]} min",
                words,
                not status.applies,
            )

        return row

    def _columns(self) -> Columns:
        rows = self._rows
        difficulty = max((len(_SHORT_DIFFICULTY[d]) for d in set(rows.difficulties)), default=0)
        time = len(f"{max(rows.minutes, default=0)} min")
        present = set(zip(self._states, self._applies, strict=True))
        words = [
            len(state_words(GuideStatus(state, 0, 0, None, None, [], applies)))  # type: ignore[arg-type]
            + (0 if applies else len(", not for your region"))
            for state, applies in present
            if state in ("not_started", "no_opt_out", "nothing_to_do")
        ]
        words += [len(list_words(s, self._follow.get(i))) + (0 if s.applies else 21) for i, s in self._statuses.items()]
        return Columns(max(difficulty, len("Difficulty")), max(time, len("Time")), max([*words, len("Your progress")]))

    def _ordered(self) -> list[int]:
        """The positions of the guides the filter lets through, in the chosen order (kept until either changes)."""
        if self._order_cache is None:
            shown: list[int] | range = range(len(self._rows))
            if self.status_filter != "all":
                f, states, applies = self.status_filter, self._states, self._applies
                shown = [i for i in shown if in_filter(f, states[i], applies[i])]
            if self.order == "need":
                ranks = [need_rank(s, a) for s, a in zip(self._states, self._applies, strict=True)]
                shown = sorted(shown, key=ranks.__getitem__)  # stable: by name within each
            elif self.order == "difficulty":
                difficulties = self._rows.difficulties
                shown = sorted(shown, key=lambda i: _DIFFICULTY_RANK[difficulties[i]])
            self._order_cache = list(shown)
        return self._order_cache

    def _view(self, query: str) -> list[int]:
        """The positions of the guides to show, in order: the filter and the order, then the search."""
        shown = self._ordered()
        if not query:
            return shown
        from walkthrough.catalog.search import search

        if self._matches is not None and query.startswith(self._matches[0]):
            shown = self._matches[1]  # a longer query only narrows what matched before
        found = search(query, self._rows.keys, self._rows.words, shown)
        self._matches = (query, [i for _, i in found])  # in the chosen order
        found.sort(key=lambda pair: pair[0])  # best matches first, the chosen order within each
        return [i for _, i in found]

    def _forget_view(self) -> None:
        self._order_cache = None
        self._matches = None

    def draw_rows(self) -> None:
        """Fill the list from the statuses worked out last, keeping what the filter and search let through."""
        query = ""
        if self.query_text.strip():
            from walkthrough.catalog.search import prepare

            query = prepare(self.query_text)
        guides = self.query_one(GuideList)
        keep = guides.highlighted
        order = self._view(query)
        if self._column_widths is None:
            self._column_widths = self._columns()
        empty = ""
        if not order and self._rows:
            empty = "No guide matches. Press Escape to clear the search." if query else ""
            if query and self._loading:
                empty = "No guide read so far matches. The others are being read."
            if self.status_filter != "all":
                empty = f"{_NONE_SHOWN[self.status_filter]} Press ctrl+f to show others, Escape for all."
        guides.show(
            order, self._rows.ids, self.describe(query), self._column_widths, keep=None if query else keep, empty=empty
        )
        overall = self._overall(*self._counts)
        overall.append("\n")
        overall.append_text(self._showing(len(order)))
        self.query_one("#overall", Lines).show(overall)

    def _overall(self, done: int, total: int, recheck: int, changed: int) -> Text:
        parts = [f"{done:,} of {total:,} guide{'s' if total != 1 else ''} done"]
        if recheck:
            parts.append(f"{recheck} to re-check")
        if changed:
            parts.append(f"{changed} changed since you did {'them' if changed > 1 else 'it'}")
        where = (
            f"You live in {regions.country_phrase(self.app.country)}."
            if self.app.country
            else "Country not chosen: every guide is shown as yours."
        )
        return Text(", ".join(parts) + ". " + where)

    def _showing(self, shown: int) -> Text:
        """The line above the list: what is shown, in which order, and how to change it."""
        if self._loading:
            if self._open_when_read is not None:
                query = visible(self._open_when_read.strip())
                return Text(f"{self._loading} “{query}” opens as soon as it is read.", style="italic")
            return Text(self._loading, style="italic")
        total = len(self._rows)
        what = STATUS_FILTERS[self.status_filter]
        if not total:
            return Text("No guide to show.")
        if self.status_filter == "all":
            line = f"Showing all {total:,} guides" if total != 1 else "Showing the one guide"
        else:
            line = f"Showing guides {what}: {shown:,} of {total:,}"
        line += f", {ORDERS[self.order]}."
        query = self.query_text.strip()
        if query:
            line += f" {shown:,} match “{visible(query)}”." if shown else f" No guide matches “{visible(query)}”."
        elif self.status_filter == "all" and self.order == "name":
            line += " Type a name to search."
        return Text(line)

    # ---- searching ------------------------------------------------------------------

    async def _search_box(self) -> Input:
        """The search box, made the first time it is needed (the first screen does without)."""
        if self._search is None:
            from textual.widgets import Input

            self._search = Input(
                value=self.query_text,
                placeholder="Type a name, another name or a word",
                id="search",
                select_on_focus=False,
            )
            # Awaited inside the key's own handling, so the next key waits for the box.
            await self.mount(self._search, before=self.query_one(GuideList))
        self._search.display = True
        return self._search

    async def type_into_search(self, text: str) -> None:
        """A letter typed on the list: it goes into the search box, which takes the keys from now on."""
        box = await self._search_box()
        box.value = self.query_text + text
        box.cursor_position = len(box.value)
        self.app.set_focus(box)
        self._query_changed(box.value)

    async def action_search(self) -> None:
        # "/" is a priority binding and focus is set at once (Widget.focus() would wait a
        # message), so letters typed or pasted straight after it land in the box, in order.
        box = await self._search_box()
        if not box.has_focus:
            self.app.set_focus(box)

    def action_leave_search(self) -> None:
        """Escape: clear the search; with no search, show all guides again."""
        guides = self.query_one(GuideList)
        if self.query_text:
            if self._search is not None:
                self._search.value = ""
            self._query_changed("")
        elif self.status_filter != "all":
            self.status_filter = "all"
            self._forget_view()
            self.draw_rows()
        if self._search is not None:
            self._search.display = False
        self.app.set_focus(guides)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self._search:
            self._query_changed(event.value)

    def _query_changed(self, value: str) -> None:
        if value == self.query_text:
            return
        self.query_text = value
        self._open_when_read = None  # Enter was for the search as it was
        self.draw_rows()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Back from the guide, the user lands on the list, where the keys work, not in the search box.
        guides = self.query_one(GuideList)
        self.app.set_focus(guides)
        if not guides.count and self._loading and self.query_text.strip():
            # On the first start after an install the guides are still being read: someone who
            # typed "linkedin" and Enter at once means LinkedIn, which may not be read yet.
            self._open_when_read = self.query_text
            self.draw_rows()
            return
        guides.action_open()

    def _open_if_found(self) -> None:
        """Open the first match of the search Enter was pressed on, once a guide that matches is read."""
        if self._open_when_read is None:
            return
        guides = self.query_one(GuideList)
        gone = not self.is_current or self._open_when_read != self.query_text
        if gone or (not guides.count and not self._loading):
            # The user went elsewhere or changed the search, or every guide is read and none matches.
            self._open_when_read = None
            self.draw_rows()
        elif guides.count:
            self._open_when_read = None
            guides.action_open()

    def on_key(self, event) -> None:
        # Down from the search box goes into the list, as people expect from a search field.
        if self._search is not None and self._search.has_focus and event.key == "down":
            self.app.set_focus(self.query_one(GuideList))
            event.stop()

    # ---- showing and ordering ------------------------------------------------------------

    def action_cycle_filter(self) -> None:
        names = list(STATUS_FILTERS)
        self.status_filter = names[(names.index(self.status_filter) + 1) % len(names)]
        self._forget_view()
        self.draw_rows()

    def action_cycle_order(self) -> None:
        names = list(ORDERS)
        self.order = names[(names.index(self.order) + 1) % len(names)]
        self._forget_view()
        self.draw_rows()

    def on_guide_list_opened(self, event: GuideList.Opened) -> None:
        if self.app.catalog.guides.get(event.guide_id) is None:
            # Its file changed since the list was made and no longer loads (the checks said why).
            self.app.notify(
                "This guide's file has a mistake now, so it cannot be opened. "
                "To see why, run `optout-tui validate` in a terminal.",
                title="Guide not opened",
                severity="warning",
                markup=False,
            )
            self.show_notices()
            self.refresh_rows()
            return
        self.app.open_guide(event.guide_id)
