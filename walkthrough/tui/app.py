"""The app object: what every screen shares (the catalogue, the progress store, the
user's country) and the few actions that must go through one place (opening a
link, writing progress), so the safety rules are applied once.
"""

from __future__ import annotations

import datetime
import difflib
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from textual.app import App
from textual.binding import Binding

from walkthrough import paths
from walkthrough.catalog.loading import Catalog, load_catalog
from walkthrough.content import regions
from walkthrough.progress.store import Clock, ProgressStore, StoreError, utc_now
from walkthrough.tui import collector
from walkthrough.tui.palette import GuideCommands
from walkthrough.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from walkthrough.content.guidefile import LoadedGuide

T = TypeVar("T")

# Set once the user has answered (or skipped) the "Where do you live?" question,
# so skipping it is remembered and the question is not asked at every start.
REGION_ASKED = "region_asked"


class StartError(Exception):
    """A problem with what was typed on the command line, in plain words."""


class OptOutApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Opt out of AI training"
    COMMANDS = App.COMMANDS | {GuideCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(
        self,
        catalog: Catalog,
        store: ProgressStore,
        *,
        store_notice: str | None = None,
        country: str | None = None,
        ask_region: bool = False,
        guide: str | None = None,
        today: datetime.date | None = None,
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.store = store
        self.store_notice = store_notice
        self.country = country
        self.ask_region = ask_region
        self.start_guide = guide
        self._today = today

    @property
    def today(self) -> datetime.date:
        # Computed on each call so an app left open past midnight dates things correctly.
        return self._today or datetime.date.today()

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen()

    def on_mount(self) -> None:
        if self.start_guide:
            self.open_guide(self.start_guide)
        if self.ask_region:
            self.action_region(first_time=True)

    async def action_quit(self) -> None:
        # Text typed in the last moment is still waiting for its save; write it before leaving.
        for screen in self.screen_stack:
            flush = getattr(screen, "flush", None)
            if flush:
                flush()
        await super().action_quit()

    def on_unmount(self) -> None:
        self.store.close()
        collector.resume()  # paused for start-up; back on should the first screen never have been drawn

    # ---- shared lookups --------------------------------------------------

    @overload
    def guarded(self, action: Callable[[], T], fallback: T) -> T: ...

    @overload
    def guarded(self, action: Callable[[], object]) -> None: ...

    def guarded(self, action: Callable[[], Any], fallback: Any = None) -> Any:
        """Run a store action; a failure becomes a message on screen (and `fallback`), never a crash."""
        try:
            return action()
        except StoreError as exc:
            self.notify(str(exc), title="Your progress could not be saved", severity="error", timeout=15)
            return fallback

    # ---- navigation ------------------------------------------------------

    def open_guide(self, guide_id: str) -> None:
        loaded = self.catalog.guides.get(guide_id)
        if loaded is None:
            return
        # Imported here: the guide screen needs Markdown, which the list of guides does not.
        from walkthrough.tui.screens.guide import GuideScreen

        self.go_home()
        self.push_screen(GuideScreen(loaded))

    def go_home(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def action_help(self) -> None:
        from walkthrough.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_region(self, first_time: bool = False) -> None:
        from walkthrough.tui.screens.region import RegionScreen

        def chosen(code: str | None) -> None:
            if code is None:  # Escape: keep whatever was there
                if first_time:
                    self.guarded(lambda: self.store.set_setting(REGION_ASKED, "yes"))
                    self.notify(
                        "Every step is shown. To choose your country later, press ctrl+r on the list of guides.",
                        title="Skipped",
                    )
                return
            self.set_country(code or None)
            if code:
                self.notify(f"Saved: you live in {regions.country_name(code)}.", title="Where you live")
            else:
                self.notify("Every step is shown.", title="Where you live")

        self.push_screen(RegionScreen(self.country, first_time=first_time), chosen)

    def set_country(self, code: str | None) -> None:
        self.country = code

        def save() -> None:
            self.store.set_setting("region", code)
            self.store.set_setting(REGION_ASKED, "yes")

        self.guarded(save)

    # ---- links -----------------------------------------------------------

    def open_link(self, url: str, loaded: LoadedGuide) -> bool:
        """Open `url` for a guide if it is allowed to point there; say what happened."""
        from walkthrough.content.links import link_problem  # not needed before the first screen

        problem = link_problem(url, loaded.guide.domains)
        if problem:
            self.notify(
                f"{problem} This link was not opened, to keep you safe from look-alike sites.",
                title="Link not opened",
                severity="error",
                timeout=15,
            )
            return False
        try:
            self.open_url(url)
        except Exception:  # a broken browser setting must not close the app
            self.notify(
                f"Your browser could not be started. Copy the address instead: {url}",
                title="Nothing opened",
                severity="warning",
                timeout=15,
            )
            return False
        self.notify(url, title="Opened in your browser")
        return True

    # ---- errors ----------------------------------------------------------

    def _print_error_renderables(self) -> None:
        # Textual would print a full traceback on a crash. Our users should see one
        # plain line instead; OPTOUT_TUI_DEBUG=1 keeps the details for developers.
        if self._exit_renderables and not os.environ.get("OPTOUT_TUI_DEBUG"):
            self._exit_renderables.clear()
            print(
                "optout-tui: something went wrong that we did not expect, and the app had to close.\n"
                "Everything you marked was saved as you went. Please report this; "
                "run with OPTOUT_TUI_DEBUG=1 for details.",
                file=sys.stderr,
            )
            self._return_code = 70
        super()._print_error_renderables()


def parse_region(text: str) -> str:
    """A country code from what the user typed: `de`, `DE`, `Germany` or `UK`."""
    wanted = text.strip()
    code = wanted.upper()
    if code == "UK":
        code = "GB"
    if code in regions.COUNTRIES:
        return code
    by_name = {name.lower(): c for c, name in regions.COUNTRIES.items()}
    if wanted.lower() in by_name:
        return by_name[wanted.lower()]
    close = difflib.get_close_matches(wanted.lower(), list(by_name), n=3, cutoff=0.6)
    hint = " Did you mean: " + ", ".join(f"{by_name[n]} ({regions.COUNTRIES[by_name[n]]})" for n in close) + "?"
    raise StartError(
        f"'{text}' is not a country we know.{hint if close else ''} "
        "Use a two-letter country code, for example DE for Germany or US for the United States."
    )


def make_app(
    guides_dirs: list[str] | None = None,
    *,
    guide: str | None = None,
    region: str | None = None,
    bundled: bool = True,
    today: datetime.date | None = None,
    clock: Clock = utc_now,
) -> OptOutApp:
    """Build the app from the command line's choices. Raises StartError, StoreError or PathError.

    `today` and `clock` pin the date and the time stamps (tests); by default they are the real ones.
    """
    country = parse_region(region) if region else None

    # The cache keeps start-up fast with many guides; see walkthrough/catalog/cache.py.
    # defer: the first screen is drawn from the cache's listing; the files are looked at after it.
    catalog = load_catalog(guides_dirs, bundled=bundled, today=today, cache_dir=paths.cache_dir(), defer=True)
    if guide and guide not in catalog.guides and not catalog.surveyed:
        catalog.apply(catalog.survey(), defer=True)  # a guide added since the cache was written
    if guide and guide not in catalog.guides:
        close = catalog.closest(guide)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise StartError(f"There is no guide called '{guide}'.{hint} Run `optout-tui list` to see them all.")
    store, notice = ProgressStore.open_default(clock=clock)
    try:
        if country:
            store.set_setting("region", country)
            store.set_setting(REGION_ASKED, "yes")
        else:
            saved = store.get_setting("region")
            country = saved if saved in regions.COUNTRIES else None
        ask = country is None and not store.get_setting(REGION_ASKED)
    except StoreError:
        store.close()
        raise
    return OptOutApp(catalog, store, store_notice=notice, country=country, ask_region=ask, guide=guide, today=today)
