"""The app object: what every screen shares (the catalogue, the progress store, the
user's country) and the few actions that must go through one place (opening a
link, writing progress), so the safety rules are applied once.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from textual.app import App, SuspendNotSupported, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from walkthrough import paths
from walkthrough.catalog.loading import Catalog, load_catalog
from walkthrough.content import regions
from walkthrough.progress.store import Clock, ProgressStore, StoreError, utc_now
from walkthrough.safe_text import visible
from walkthrough.tui import collector
from walkthrough.tui.keys import VIEW_KEY
from walkthrough.tui.palette import GuideCommands
from walkthrough.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from walkthrough.content.guidefile import LoadedGuide

T = TypeVar("T")

# Set once the user has answered (or skipped) the "Where do you live?" question,
# so skipping it is remembered and the question is not asked at every start.
REGION_ASKED = "region_asked"

# Signals that end the app from outside: the terminal window closed (SIGHUP), the system shutting
# down (SIGTERM), an interrupt sent by another program (SIGINT: Ctrl+C itself arrives as a key).
EXIT_SIGNALS = {"SIGHUP": 129, "SIGTERM": 143, "SIGINT": 130}
# After such a signal the terminal may be gone; if closing cleanly hangs on it, leave anyway.
EXIT_GRACE_SECONDS = 3.0


class StartError(Exception):
    """A problem with what was typed on the command line, in plain words."""


class OptOutApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Opt out of AI training"
    COMMANDS = App.COMMANDS | {GuideCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        # People expect Ctrl+C to end a terminal program. Not a priority binding: with text
        # selected, a box or the screen copies it first (their own ctrl+c), as Textual intends.
        Binding("ctrl+c", "quit", "Quit", show=False, id="quit-ctrl-c"),
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
        self._said_names_alike = False
        self.country = country
        self.ask_region = ask_region
        self.start_guide = guide
        self._today = today
        self._failsafe: threading.Timer | None = None

    @property
    def today(self) -> datetime.date:
        # Computed on each call so an app left open past midnight dates things correctly.
        return self._today or datetime.date.today()

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Update guides",
            "Download the newest guides (uses the network: it says what it contacts, and asks first)",
            self.action_update_guides,
        )

    def action_update_guides(self) -> None:
        from walkthrough.tui.screens.update import UpdateScreen

        self.push_screen(UpdateScreen())

    def on_mount(self) -> None:
        # After the first screen: with thousands of guides from other folders, finding which
        # replace ours is work the first screen does not need.
        self.call_after_refresh(self.say_where_guides_came_from)
        self._catch_exit_signals()
        if self.start_guide:
            self.open_guide(self.start_guide)
        if self.ask_region:
            self.action_region(first_time=True)

    # ---- leaving: every way out saves what was typed first ------------------

    def flush_all(self) -> None:
        """Ask every open screen to write what is still waiting for its save (text typed a moment ago)."""
        for screen in list(self.screen_stack):
            flush = getattr(screen, "flush", None)
            if flush is None:
                continue
            try:
                flush()
            except Exception:  # one screen's failure must not lose the others' text, nor block leaving
                if os.environ.get("OPTOUT_TUI_DEBUG"):
                    raise

    def exit(self, result: None = None, return_code: int = 0, message: Any = None) -> None:
        # q, Ctrl+C, the palette's Quit and a closed terminal all leave through here.
        self.flush_all()
        super().exit(result, return_code, message)

    def _catch_exit_signals(self) -> None:
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        for name, code in EXIT_SIGNALS.items():
            number = getattr(signal, name, None)
            if number is None:
                continue
            # Windows, or not the main thread (some test runners): the default applies.
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, partial(self._leave_on_signal, code))

    def _leave_on_signal(self, code: int) -> None:
        self.flush_all()
        if not self.is_headless and self._failsafe is None:
            # The terminal may be gone, and restoring it can then hang: give a clean exit a moment, no more.
            self._failsafe = threading.Timer(EXIT_GRACE_SECONDS, os._exit, (code,))
            self._failsafe.daemon = True
            self._failsafe.start()
        self.exit(return_code=code)

    async def run_async(self, **kwargs: Any) -> None:
        try:
            return await super().run_async(**kwargs)
        finally:
            if self._failsafe is not None:
                self._failsafe.cancel()

    async def action_quit(self) -> None:
        # A screen whose boxes may still hold keys not yet taken in (a fast typist's last
        # letters) catches up first; then exit() writes every screen's waiting text.
        for screen in list(self.screen_stack):
            save_now = getattr(screen, "save_now", None)
            if save_now is not None:
                await save_now()
        await super().action_quit()

    def on_unmount(self) -> None:
        self.flush_all()
        self.store.close()
        collector.resume()  # paused for start-up; back on should the first screen never have been drawn

    # ---- notices ---------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notice is plain text, whoever raises it and whatever `markup` says.

        Notices carry text from outside: a guide's address, a file or folder
        name, a path in a store error. As markup, `[@click=app.screenshot(...)]`
        in an address would become a clickable action and `[/x]` would crash
        the app; as text they are just characters, and visible() shows any
        control character instead of sending it to the terminal.
        """
        super().notify(
            visible(message, keep_lines=True),
            title=visible(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def action_help_quit(self) -> None:
        # Textual's own version of this notice is written in markup, which notify above shows as typed.
        self.notify("Press q to quit the app.", title="Do you want to quit?")

    def say_where_guides_came_from(self) -> None:
        """At start: folders that could not be read, guides that replace ours, names that look alike."""
        catalog = self.catalog
        for problem in catalog.folder_problems:
            self.notify(
                f"{problem.path}: {problem.message}",
                title="A folder of guides was left out",
                severity="error",
                timeout=20,
            )
        replaced = catalog.replacements()
        replaced += [f"the letter {name}" for name, o in sorted(catalog.letter_origins.items()) if o.replaces]
        if replaced:
            named = ", ".join(replaced[:5]) + (f" and {len(replaced) - 5:,} more" if len(replaced) > 5 else "")
            self.notify(
                "These come from another folder and replace the ones that came with optout-tui: "
                + named
                + ". Each says so when you open it.",
                title="Guides from another folder",
                severity="warning",
                timeout=20,
            )
        self.say_names_alike()

    def say_names_alike(self) -> None:
        """Guides whose names are the same or look the same (W308, W309), in one notice, once."""
        if self._said_names_alike:
            return
        self.catalog.check_names()  # after the first screen: not part of a start-up's cost
        alike = [problem for problem in self.catalog.problems if problem.code in ("W308", "W309")]
        if alike:
            self._said_names_alike = True
            # One notice, however many: each is a toast, and a big folder of guides can have hundreds.
            # In plain words: what to fix is for whoever wrote the guides (`optout-tui validate`).
            rows = self.catalog.rows()
            by_id = dict(zip(rows.ids, rows.names, strict=True))
            names = list(dict.fromkeys(by_id.get(p.path.stem, p.path.stem) for p in alike))
            shown = ", ".join(f"“{name}”" for name in names[:3])
            if len(names) > 3:
                shown += f" and {len(names) - 3:,} more"
            self.notify(
                f"Some guides have the same name as another, or a name that looks the same: {shown}. "
                "Before you follow one, check where it comes from: a guide from another folder says so at its top.",
                title="Guides with the same name",
                severity="warning",
                timeout=12,
            )

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
                self.notify(f"Saved: you live in {regions.country_phrase(code)}.", title="Where you live")
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
        """Open `url` for a guide if it is allowed to point there; say truthfully what happened.

        True when the page was handed to a browser: the user's $BROWSER ran and said it worked,
        or the desktop's browser is starting (if that then fails, a message says so). False
        when nothing was opened; the message then shows the address to copy.
        """
        from walkthrough.content.links import link_problem  # not needed before the first screen

        problem = link_problem(url, loaded.guide.domains)
        if problem:
            self.notify(
                f"{problem} This link was not opened, to keep you safe from look-alike sites.",
                title="Link not opened",
                severity="error",
                timeout=15,
                markup=False,
            )
            return False
        if self.is_web:
            # In a browser tab (optout-tui serve) the page opens in the user's own browser.
            self.open_url(url)
            self._say_opened(url)
            return True

        from walkthrough.tui import browser

        how = browser.how_to_open(os.environ)
        if how == "ssh":
            self.notify(
                "You are connected to this computer from another one (SSH), so no browser can open here. "
                f"Open this address in the browser on your own computer:\n{url}",
                title="Open this on your own computer",
                severity="warning",
                timeout=30,
                markup=False,
            )
            return False
        if how == "none":
            self._say_not_opened(url)
            return False
        if how == "user":
            ok = self._run_users_browser(url)
            self._say_opened(url) if ok else self._say_not_opened(url)
            return ok
        # A desktop browser can take seconds to start: wait for it away from the screen.
        self.run_worker(partial(self._open_in_background, url), thread=True, group="browser", exit_on_error=False)
        return True

    def _run_users_browser(self, url: str) -> bool:
        """$BROWSER may be a text-mode browser: give it the whole terminal, then take the screen back."""
        from walkthrough.tui import browser

        try:
            with self.suspend():
                print(f"optout-tui: opening {url} with your browser ($BROWSER). The app comes back when it closes.")
                return browser.open_in_terminal(url, detached=False)
        except SuspendNotSupported:
            # No terminal to hand over (a test's headless driver): run it without one.
            return browser.open_in_terminal(url, detached=True)

    def _open_in_background(self, url: str) -> None:
        from walkthrough.tui import browser

        ok = browser.open_in_background(url)
        self.call_from_thread(self._say_opened if ok else self._say_not_opened, url)

    def _say_opened(self, url: str) -> None:
        self.notify(url, title="Opened in your browser", markup=False)

    def _say_not_opened(self, url: str) -> None:
        self.notify(
            f"Copy this address into your browser:\n{url}",
            title="No browser could be opened",
            severity="warning",
            timeout=30,
            markup=False,
        )

    # ---- copying, showing and saving text ------------------------------------

    def copy_text(
        self,
        text: str,
        what: str,
        *,
        view_key: str | None = VIEW_KEY,
        note: str = "",
        name_words: tuple[str, ...] = ("text",),
    ) -> None:
        """Put `text` on the clipboard every way we can, and say what to do if pasting does not work.

        `what` names it in the message ("the address", "the letter"); `view_key` is the key the
        current screen binds to `show_plain`, or None on the plain screen itself; `note` is said
        after "Copied ..." ("Send it to privacy@example.com."). In a browser tab whose address
        cannot use the clipboard (see walkthrough.serve.browser_tab), the text is downloaded as a
        file named from `name_words` instead, and the message says so.
        """
        from walkthrough.serve.browser_tab import copy_route, deliver_as_download, download_notice

        if copy_route(self) == "download":
            name = deliver_as_download(self, text, *name_words)
            self.notify(download_notice(name), title="Downloading instead", timeout=15)
            return
        self.copy_to_clipboard(text)
        if not self.is_web:  # under `serve` the tools would copy on the server, not for the user
            from walkthrough.tui import clipboard

            commands = clipboard.tools(os.environ)
            if commands:
                self.run_worker(
                    partial(clipboard.copy_with_tools, text, commands),
                    thread=True,
                    group="clipboard",
                    exit_on_error=False,
                )
        if view_key:
            fix = f"press {view_key} to see it on its own, and select it with the mouse."
        else:
            fix = "select it above with the mouse (hold Shift while you drag if it does not select)."
        self.notify(
            f"Copied {what}. Paste it with Ctrl+V (Cmd+V on a Mac).{' ' + note if note else ''}\n"
            f"If pasting does not work, {fix}",
            title="Copied",
            timeout=12,
            markup=False,
        )

    def show_plain(self, title: str, text: str, *, what: str, save_as: str | None = None) -> None:
        """Show `text` alone on a plain screen to select with the mouse; `save_as` (a file name) allows saving it."""
        from walkthrough.tui.screens.plain_text import PlainTextScreen

        # Notices sit on the right of the screen, over the very text people are about to select.
        self.clear_notifications()
        self.push_screen(PlainTextScreen(title, text, what=what, save_as=save_as))

    def save_text(self, text: str, name: str) -> Path | None:
        """Save `text` to a private file in a folder the user can find; say where. None if it failed."""
        from walkthrough.tui.saving import file_stem, save_private

        try:
            folder = paths.saved_files_dir()
            path = save_private(folder, file_stem(name), text, self.today)
        except (OSError, paths.PathError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self.notify(
                f"It could not be saved ({reason}). Copy it instead, or select it on screen.",
                title="Not saved",
                severity="error",
                timeout=15,
                markup=False,
            )
            return None
        self.notify(
            f"Saved to {path}\nOpen it with any text editor. Only you can read this file.",
            title="Saved",
            timeout=30,
            markup=False,
        )
        return path

    # ---- the record ------------------------------------------------------

    def action_export_record(self) -> None:
        """Save the whole record as a web page to keep or print; any screen can bind this."""
        self.export_record()

    def export_record(self) -> Path | None:
        """Write the record (HTML, owner-only) in the records folder and say where; None if it failed."""
        from walkthrough.progress.export import ExportError, save_in_records_folder
        from walkthrough.progress.report import Report

        report = self.guarded(lambda: Report(self.store, self.catalog, today=self.today), None)
        if report is None:
            return None
        try:
            path = save_in_records_folder(report, "html")
        except (ExportError, paths.PathError) as exc:
            self.notify(
                f"Your record could not be saved: {exc}",
                title="Not saved",
                severity="error",
                timeout=15,
                markup=False,
            )
            return None
        self.notify(
            f"Saved your record to {path}\n"
            "Open it in your web browser to read or print it. Only you can read this file. "
            "To get it as Markdown or JSON instead: optout-tui progress export --format markdown (or json).",
            title="Record saved",
            timeout=30,
            markup=False,
        )
        return path

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
    """A country code from what the user typed: `de`, `Germany`, `Deutschland`, `USA` or `England`."""
    code = regions.find_country(text)
    if code is None:
        raise StartError(regions.no_match_words(text))
    return code


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
    if guide:
        from walkthrough.catalog import lookup  # only when a guide was named

        if guide not in catalog.guides and not catalog.surveyed:
            catalog.apply(catalog.survey(), defer=True)  # a guide added since the cache was written
        found = lookup.find(catalog.guides, guide).found
        if found is None and catalog.pending():
            catalog.parse_pending()  # first start after an install: names of guides not read yet
            found = lookup.find(catalog.guides, guide).found
        if found is None:
            raise StartError(lookup.not_found_words(catalog.guides, guide))
        guide = found.id
    store, notice = ProgressStore.open_default(clock=clock)
    try:
        if country and not store.read_only:  # read-only: the country is used now, and not kept
            store.set_setting("region", country)
            store.set_setting(REGION_ASKED, "yes")
        elif not country:
            saved = store.get_setting("region")
            country = saved if saved in regions.COUNTRIES else None
        # Asking where you live when the answer cannot be kept would ask again at every start.
        ask = country is None and not store.read_only and not store.get_setting(REGION_ASKED)
    except StoreError:
        store.close()
        raise
    return OptOutApp(catalog, store, store_notice=notice, country=country, ask_region=ask, guide=guide, today=today)
