"""The help window (?): every key, and what each screen is for, in plain words."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Static

from walkthrough.tui.screens.base import AppModal

HELP = """\
This app walks you through switching off AI training on websites, one step at a time.
It remembers what you did and when. Nothing leaves your computer.

THE LIST OF GUIDES
  Up / Down    move through the list (also Page Up, Page Down, Home, End)
  Enter        open the guide you are on
  a letter     search: just start typing a name, another name the platform goes by
               (Twitter finds X) or a word about it. / also starts a search.
               Escape clears the search
  ctrl+f       show: all guides, to do, in progress, waiting or re-check due, done,
               or not for my country (the line above the list says which)
  ctrl+o       order: by name, by what needs you first, or by difficulty
  ctrl+r       say which country you live in (some steps depend on it)
  ctrl+e       save your record (what you did, your letters, the replies) as a page
               that prints well, in your Documents folder; it says where
  ctrl+p       jump to any guide by name, or change the colours
  ctrl+q       quit (on the list, q is a letter of a search)

A GUIDE
  Up / Down    move between steps (also n for next, p for previous)
  Home / End   the first or the last step
  PageDown/Up  scroll the step's text
  o            open the step's web page in your browser
  c            copy the letter you filled in, or else the web address
  v            show the letter or the address on its own, to select with the mouse
  w            save the letter to a file (in your Documents folder, optout-tui)
  space        mark the step as done and go to the next one
  s            skip the step (you can come back to it)
  u            mark the step as not done again
  Enter        start typing in the step's first box (when it has boxes)
  Tab          in a box: the next box (Shift+Tab: the one before)
  Enter        in a box: the next box; in the last box, back to the step
  Escape       leave a box you are typing in; press again to go back to the list
  l            in a narrow window: show the list of steps (Enter shows the step)
  1 / 2        a date that could be two days (03/04/2026): say which one you meant
  r            after you sent a letter or form: record the company's reply
  a            when their reply is late: what you can do, and a complaint letter

Every step shows what to do, what you should see when it worked, and what to try
if the page looks different. When a step has a letter or a form, type your details
in the boxes: the text to copy fills in as you type, and your answers are kept.

Dates: write them any way (23.11.2026, 23 November 2026, today). They are kept as
dates and shown in words. Once you send a letter, the step says when a reply is due.

Marks next to each step:
  ✓            done
  -            skipped
  !            changed since you did it: read it again
  ·            not for your country

A step marked · is not for the country you chose: you do not need to do it, and
it is not counted in "2 of 5 steps done". If you do it anyway, it is kept in
your record.

WHEN YOU FINISH
You see what you did and when, what the guide cannot do, and the day to check again:
websites change their settings, so the list shows "Re-check due" when it is time.
  Up / Down    scroll the page
  n            start the next guide
  e            save your record as a web page to keep or print (it says where)
  r, a         record a reply; when it is late, what you can do

A REPLY (r)
  Tab          the next box (Shift+Tab: the one before); Space ticks "more time"
  Enter        save the reply
  Escape       close without saving

NO REPLY YET (a)
  c            copy the complaint letter
  v, w         show it on its own, or save it to a file

EVERYWHERE
  ?            this help
  q, ctrl+c    quit (everything is already saved); on the list of guides, ctrl+q
"""


KEY_WIDTH = 15  # "  ctrl+e       ": where a key's words start in HELP


def help_renderable(text: str) -> Group:
    """HELP as it is written, but a key's words wrap under themselves, not under the key.

    In a narrow window (80 columns leave the help box about 66) the long lines
    wrap; with plain text the second half started at the left edge and read like
    a new key. Runs of key lines become a two-column grid; other lines stay text.
    """
    parts: list[Text | Table] = []
    rows: list[list[str]] = []
    prose: list[str] = []  # lines of one paragraph, joined so they wrap as one

    def flush() -> None:
        if prose:
            parts.extend(Text(line) for line in prose)
            prose.clear()
        if rows:
            grid = Table.grid(padding=(0, 0))
            grid.add_column(width=KEY_WIDTH, no_wrap=True)
            grid.add_column(ratio=1)
            for key, words in rows:
                grid.add_row(Text(key), Text(words))
            parts.append(grid)
            rows.clear()

    for line in text.splitlines():
        if _is_key_line(line):
            if prose:
                flush()
            rows.append([line[:KEY_WIDTH].rstrip(), line[KEY_WIDTH:]])
        elif rows and line.startswith(" " * KEY_WIDTH) and line.strip():
            rows[-1][1] += " " + line.strip()
        elif _is_prose(line) and prose and _is_prose(prose[-1]):
            prose[-1] += " " + line
        else:
            flush()
            prose.append(line)
    flush()
    return Group(*parts)


def _is_prose(line: str) -> bool:
    """A line of a paragraph: not blank, not indented, not a heading ("A REPLY (r)")."""
    return bool(line) and not line[0].isspace() and not line.split(" (")[0].isupper()


def _is_key_line(line: str) -> bool:
    return (
        len(line) > KEY_WIDTH
        and line.startswith("  ")
        and not line[2].isspace()
        and line[KEY_WIDTH - 2 : KEY_WIDTH] == "  "
        and not line[KEY_WIDTH].isspace()
    )


class HelpScreen(AppModal[None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="close-help"),
        Binding("question_mark", "close", "Close", key_display="?", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="dialog"):
            yield Static("Help", classes="title")
            with VerticalScroll(id="help-text"):
                yield Static(help_renderable(HELP + self._guide_set_words()))
            yield Button("Close (Escape)", id="close-help", variant="primary", action="screen.close")

    def action_close(self) -> None:
        self.dismiss()

    def _guide_set_words(self) -> str:
        """Which guides are in use and, once they are old, how to get newer ones."""
        guide_set = self.app.catalog.guide_set
        if guide_set is None:
            return ""
        from walkthrough.catalog.sources import describe, freshness

        lines = [describe(guide_set), freshness(guide_set, self.app.today) or ""]
        lines.append("To get newer guides: ctrl+p, then Update guides (it says what it contacts first).")
        return "\nGUIDES\n" + "\n".join(line for line in lines if line) + "\n"
