"""Where a sent letter or form stands: waiting for a reply (and until when), answered, or late.

Shown on the step and on the finished screen, in the core's words
(`walkthrough.progress.status.follow_up_words` and `due_words`), so the app,
`optout-tui progress` and the record say the same. The replies the user
recorded are listed under it, as they typed them (plain text, never markup).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from walkthrough import dates
from walkthrough.progress.status import FollowUp, due_words, follow_up_words
from walkthrough.progress.store import Reply
from walkthrough.safe_text import visible

REPLY_KEY = "r"  # record a reply
ADVICE_KEY = "a"  # when a reply is late: what you can do


def reply_words(reply: Reply) -> str:
    """ "Their reply of 1 December 2026: case number LI-1. They said: ...", as the user recorded it."""
    parts = [f"Their reply of {dates.words(reply.received_on)}"]
    facts = []
    if reply.case_number:
        facts.append(f"case or ticket number {reply.case_number}")
    if reply.more_time:
        facts.append("they asked for more time")
    text = parts[0] + (": " + "; ".join(facts) if facts else "") + "."
    if reply.said:
        text += f" They said: {reply.said}"
    return visible(text)


def follow_up_lines(follow_up: FollowUp, replies: Sequence[Reply]) -> tuple[str, list[str]]:
    """The heading (the core's words) and the lines under it."""
    lines = [due_words(follow_up)]
    lines += [reply_words(r) for r in replies]
    return follow_up_words(follow_up), lines


class FollowUpView(Vertical):
    """The reply a step waits for, with buttons to record one and, when it is late, to see what to do."""

    def __init__(self, *, buttons: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self._head = Static(classes="follow-up-words")
        self._lines = Static(classes="follow-up-due")
        self._reply = Button(Text(f"Record a reply ({REPLY_KEY})"), compact=True, action="screen.record_reply")
        self._advice = Button(
            f"What you can do ({ADVICE_KEY})", compact=True, variant="warning", action="screen.advice"
        )
        # Hidden with the view, so nothing asks whether a button of a step without a letter is shown.
        self._advice.display = self._reply.display = False
        self._buttons = Horizontal(self._advice, self._reply, classes="buttons follow-up-buttons")
        self._buttons.display = buttons
        self._shown: tuple[FollowUp | None, tuple[Reply, ...]] | None = None
        self.display = False

    def compose(self) -> ComposeResult:
        yield self._head
        yield self._lines
        yield self._buttons

    def show(self, follow_up: FollowUp | None, replies: Sequence[Reply] = ()) -> None:
        # This runs on every key that shows a step: the words are made again only when they change,
        # and a step without a letter only hides the view (its words are kept for the next one).
        if follow_up is None:
            self.display = False
            return
        self.display = True
        shown = (follow_up, tuple(replies))
        if shown == self._shown:
            return
        self._shown = shown
        self._reply.display = True
        head, lines = follow_up_lines(follow_up, replies)
        self._head.update(Text(head))
        self._lines.update(Text("\n".join(lines)))
        self.set_classes(f"follow-up -{follow_up.state}")
        self._advice.display = follow_up.state == "overdue"
