"""Where the user stands on a guide: what the home screen and `optout-tui progress` show.

Pure functions of a guide, the user's records, their country and today's date,
so the app and the command cannot disagree and the rules are easy to test.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from . import regions
from .guidefile import LoadedGuide
from .model import Step, step_fingerprint
from .progress import StepRecord

GuideState = Literal["not_started", "in_progress", "done", "recheck_due", "changed", "no_opt_out", "nothing_to_do"]
StepState = Literal["todo", "done", "skipped", "changed", "not_here"]  # not_here: step not for the user's region


@dataclass(frozen=True)
class GuideStatus:
    state: GuideState
    done: int  # steps done or skipped, among steps that apply to the user
    total: int  # steps that apply to the user
    finished_at: datetime.date | None  # when the last applicable step was marked, if all are
    recheck_on: datetime.date | None  # finished_at + recheck_days
    changed: list[str]  # ids of marked steps whose fingerprint differs from the guide's step now
    applies: bool  # guide applies to the user's region


def step_state(step: Step, record: StepRecord | None, country: str | None) -> StepState:
    """A marked step shows what the user did even outside their region: it is their record."""
    if record is not None and record.status is not None:
        if record.fingerprint is not None and record.fingerprint != step_fingerprint(step):
            return "changed"
        return record.status
    if not regions.applies(step.regions, country):
        return "not_here"
    return "todo"


def guide_status(
    guide: LoadedGuide, records: dict[str, StepRecord], country: str | None, today: datetime.date
) -> GuideStatus:
    g = guide.guide
    applies = regions.applies(g.regions, country)
    steps = [s for s in g.steps if applies and regions.applies(s.regions, country)]
    marked = {sid: r for sid, r in records.items() if r.status is not None}
    done_steps = [s for s in steps if s.id in marked]
    changed = [s.id for s in done_steps if step_state(s, marked[s.id], country) == "changed"]

    all_done = bool(steps) and len(done_steps) == len(steps)
    finished_at = recheck_on = None
    times = [marked[s.id].at for s in done_steps if marked[s.id].at is not None]
    if all_done and times:
        # The user's own calendar day, not UTC's: "Done 2026-11-20" is when they did it.
        finished_at = max(times).astimezone().date()
        recheck_on = finished_at + datetime.timedelta(days=g.recheck_days)

    # Started means anything marked on this guide, even a step that is no longer for the user.
    started = bool(marked)
    if not started:
        untouched: dict[str, GuideState] = {"impossible": "no_opt_out", "nothing-to-do": "nothing_to_do"}
        state: GuideState = untouched.get(g.difficulty, "not_started")
    elif changed:
        # Something the user did no longer matches the guide: that is the most useful thing to say.
        state = "changed"
    elif all_done:
        state = "recheck_due" if recheck_on is not None and today >= recheck_on else "done"
    else:
        state = "in_progress"
    return GuideStatus(state, len(done_steps), len(steps), finished_at, recheck_on, changed, applies)


def state_words(status: GuideStatus) -> str:
    if status.state == "in_progress":
        return f"In progress ({status.done} of {status.total})" if status.total else "In progress"
    if status.state == "done":
        return f"Done {status.finished_at.isoformat()}" if status.finished_at else "Done"
    return {
        "not_started": "Not started",
        "recheck_due": "Re-check due",
        "changed": "Changed since you did it",
        "no_opt_out": "No opt-out exists",
        "nothing_to_do": "Nothing to do",
    }[status.state]
