"""Where the user stands on a guide: the one home of every progress rule.

Pure functions of a guide, the user's records, their country and today's date.
The home list, the guide and finished screens, `optout-tui progress` and the
export all ask these, so they cannot disagree.

The rules:

- A step counts when it is for the user's country: the guide's `regions` and
  the step's own both apply (with no country chosen, every step counts). A step
  for other countries is shown as "not for your country" and is neither a step
  to do nor one done, even when the user marked it before moving.
- A marked step always shows what the user did, even outside their country:
  it is their record. It shows "changed" when the guide has changed that step
  since (its fingerprint differs).
- A guide is finished when every counting step is done or skipped; it is due
  for a re-check `recheck_days` after the day the last of them was marked.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from walkthrough.content import regions
from walkthrough.content.guidefile import LoadedGuide
from walkthrough.content.model import Guide, Step, step_fingerprint
from walkthrough.progress.store import StepRecord

GuideState = Literal["not_started", "in_progress", "done", "recheck_due", "changed", "no_opt_out", "nothing_to_do"]
StepState = Literal["todo", "done", "skipped", "changed", "not_here"]  # not_here: not for the user's country

# The words for each step state, wherever a person reads them.
STEP_STATE_WORDS: dict[str, str] = {
    "todo": "To do",
    "done": "Done",
    "skipped": "Skipped",
    "changed": "Changed since you did it",
    "not_here": "Not for your region",
}

# States in which the user has nothing left to do on the guide.
FINISHED_STATES = frozenset({"done", "recheck_due", "changed"})
OPEN_STEP_STATES = frozenset({"todo", "changed"})

Records = Mapping[str, StepRecord]


@dataclass(frozen=True)
class GuideStatus:
    state: GuideState
    done: int  # counting steps done or skipped
    total: int  # counting steps
    finished_at: datetime.date | None  # when the last counting step was marked, if all are
    recheck_on: datetime.date | None  # finished_at + recheck_days
    changed: list[str]  # ids of marked steps whose fingerprint differs from the guide's step now
    applies: bool  # the guide applies to the user's country


def counts(step: Step, country: str | None, guide: Guide | None = None) -> bool:
    """Whether `step` is one the user in `country` should do."""
    guide_ok = guide is None or regions.applies(guide.regions, country)
    return guide_ok and regions.applies(step.regions, country)


def counted_steps(guide: Guide, country: str | None) -> list[Step]:
    return [s for s in guide.steps if counts(s, country, guide)]


def step_state(step: Step, record: StepRecord | None, country: str | None, guide: Guide | None = None) -> StepState:
    """A marked step shows what the user did even outside their country: it is their record."""
    if record is not None and record.status is not None:
        if record.fingerprint is not None and record.fingerprint != step_fingerprint(step):
            return "changed"
        return record.status
    if not counts(step, country, guide):
        return "not_here"
    return "todo"


def step_states(guide: Guide, records: Records, country: str | None) -> list[StepState]:
    """The state of every step of the guide, in order."""
    return [step_state(s, records.get(s.id), country, guide) for s in guide.steps]


def step_position(guide: Guide, country: str | None, index: int) -> tuple[int, int] | None:
    """("Step n of m") for the step at `index` among the counting steps; None if it does not count."""
    counting = [i for i, s in enumerate(guide.steps) if counts(s, country, guide)]
    return (counting.index(index) + 1, len(counting)) if index in counting else None


def first_open_step(guide: Guide, records: Records, country: str | None) -> int | None:
    """The first step still to do (or changed since it was done), or None when there is none."""
    for i, state in enumerate(step_states(guide, records, country)):
        if state in OPEN_STEP_STATES:
            return i
    return None


def next_step(guide: Guide, records: Records, country: str | None, after: int) -> int:
    """Where to go after marking step `after`: the next counting step, else the first open one, else stay."""
    for i in range(after + 1, len(guide.steps)):
        if counts(guide.steps[i], country, guide):
            return i
    first = first_open_step(guide, records, country)
    return after if first is None else first


def guide_status(guide: LoadedGuide, records: Records, country: str | None, today: datetime.date) -> GuideStatus:
    g = guide.guide
    applies = regions.applies(g.regions, country)
    steps = counted_steps(g, country)
    marked = {sid: r for sid, r in records.items() if r.status is not None}
    done_steps = [s for s in steps if s.id in marked]
    changed = [s.id for s in done_steps if step_state(s, marked[s.id], country, g) == "changed"]

    all_done = bool(steps) and len(done_steps) == len(steps)
    finished_at = recheck_on = None
    times = [t for s in done_steps if (t := marked[s.id].at) is not None]
    if all_done and times:
        # The user's own calendar day, not UTC's: "Done 2026-11-20" is when they did it.
        finished_at = max(times).astimezone().date()
        recheck_on = finished_at + datetime.timedelta(days=g.recheck_days)

    # Started means anything marked on this guide, even a step that is no longer for the user.
    state: GuideState
    if not marked:
        state = untouched_state(g.difficulty)
    elif changed:
        # Something the user did no longer matches the guide: that is the most useful thing to say.
        state = "changed"
    elif all_done:
        state = "recheck_due" if recheck_on is not None and today >= recheck_on else "done"
    else:
        state = "in_progress"
    return GuideStatus(state, len(done_steps), len(steps), finished_at, recheck_on, changed, applies)


def untouched_state(difficulty: str) -> GuideState:
    """The state of a guide the user has marked nothing on: its difficulty decides."""
    return _UNTOUCHED.get(difficulty, "not_started")


_UNTOUCHED: dict[str, GuideState] = {"impossible": "no_opt_out", "nothing-to-do": "nothing_to_do"}


def outline_status(
    difficulty: str,
    guide_regions: list[str] | None,
    step_regions: Sequence[list[str] | None],
    country: str | None,
) -> GuideStatus:
    """`guide_status` of a guide with nothing marked, from its outline (no need to read the whole guide).

    The list of guides asks this for every guide the store has no marks for,
    so a catalogue of thousands costs one small look at each.
    """
    applies = regions.applies(guide_regions, country)
    total = sum(1 for codes in step_regions if regions.applies(codes, country)) if applies else 0
    return GuideStatus(untouched_state(difficulty), 0, total, None, None, [], applies)


# ---- the list of guides: filters and "what needs me first" ---------------------

# The status filter on the list, in the order its key cycles through them, with the words it shows.
StatusFilter = Literal["all", "todo", "in_progress", "follow_up", "done", "elsewhere"]
STATUS_FILTERS: dict[StatusFilter, str] = {
    "all": "all guides",
    "todo": "to do",
    "in_progress": "in progress",
    "follow_up": "waiting or re-check due",
    "done": "done",
    "elsewhere": "not for my country",
}

# The guides (for the user's country) each filter shows. "follow_up" is every guide that asks the
# user to look at it again although they finished it: a re-check that is due, a step the guide
# changed since. A state for letters waiting for a reply belongs here too when it comes.
# Guides with no opt-out or nothing to do are in none of them: only "all" shows them.
_FILTER_STATES: dict[str, frozenset[str]] = {
    "todo": frozenset({"not_started"}),
    "in_progress": frozenset({"in_progress"}),
    "follow_up": frozenset({"recheck_due", "changed"}),
    "done": frozenset({"done"}),
}


def in_filter(name: StatusFilter, state: str, applies: bool) -> bool:
    """Whether a guide in `state` shows under the status filter `name`. Guides for other countries show only
    under "all" and "elsewhere", whatever their state: they are not the user's to do."""
    if name == "all":
        return True
    if name == "elsewhere":
        return not applies
    return applies and state in _FILTER_STATES[name]


# "What needs me first": something done that the guide has changed since, then a due re-check, then
# what the user started, then what they have not, then what is finished or has nothing to do.
# Guides for other countries come last, in the same order among themselves.
_NEED_ORDER: tuple[str, ...] = (
    "changed",
    "recheck_due",
    "in_progress",
    "not_started",
    "done",
    "no_opt_out",
    "nothing_to_do",
)
_NEED_RANK = {state: rank for rank, state in enumerate(_NEED_ORDER)}


def need_rank(state: str, applies: bool) -> int:
    """Where a guide in `state` sorts when the list is ordered by what needs the user first (lower first)."""
    return _NEED_RANK.get(state, len(_NEED_ORDER)) + (0 if applies else len(_NEED_ORDER) + 1)


def is_finished(status: GuideStatus) -> bool:
    """Nothing left to do on the guide for now (a re-check or a changed step may still ask for a look)."""
    return status.total > 0 and status.done == status.total


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


def progress_words(status: GuideStatus) -> str:
    """The count under a guide's title: "2 of 5 steps done"."""
    if not status.total:
        return "no steps for your country" if not status.applies else "no steps to do"
    return f"{status.done} of {status.total} step{'s' if status.total != 1 else ''} done"
