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
- A letter or form that relies on a law waits for a reply after it is sent,
  until a due date the law sets; the rules are above `step_follow_up` below.
  Waiting is beside the guide's state, not one of them: a finished guide can
  still be waiting for a reply.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from walkthrough import dates
from walkthrough.content import laws, regions
from walkthrough.content.guidefile import LoadedGuide
from walkthrough.content.laws import Law, Period
from walkthrough.content.model import Guide, SharedTemplate, Step, step_fingerprint
from walkthrough.progress.store import Reply, StepRecord

if TYPE_CHECKING:
    from walkthrough.content.authorities import Authority

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
# changed since, a letter waiting for a reply (or past the day it was due: "overdue").
# Guides with no opt-out or nothing to do are in none of them: only "all" shows them.
_FILTER_STATES: dict[str, frozenset[str]] = {
    "todo": frozenset({"not_started"}),
    "in_progress": frozenset({"in_progress"}),
    "follow_up": frozenset({"recheck_due", "changed", "waiting", "overdue"}),
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
    "overdue",
    "changed",
    "recheck_due",
    "in_progress",
    "waiting",
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


def state_words(status: GuideStatus, *, long_dates: bool = False) -> str:
    """The guide's state in words; `long_dates` writes the day in words ("Done 23 November 2026"), for the record."""
    if status.state == "in_progress":
        return f"In progress ({status.done} of {status.total})" if status.total else "In progress"
    if status.state == "done":
        if status.finished_at is None:
            return "Done"
        # In words like every other date the user reads; short in the home list's column.
        return f"Done {dates.words(status.finished_at) if long_dates else dates.short_words(status.finished_at)}"
    return {
        "not_started": "Not started",
        "recheck_due": "Re-check due",
        "changed": "Changed since you did it",
        "no_opt_out": "No opt-out exists",
        "nothing_to_do": "Nothing to do",
    }[status.state]


def is_task(difficulty: str) -> bool:
    """Whether a guide asks the user to do something: "nothing to do" guides only say how to check."""
    return difficulty != "nothing-to-do"


def overall_counts(
    states: Sequence[str], applies: Sequence[bool], difficulties: Sequence[str]
) -> tuple[int, int, int, int]:
    """(done, total, to re-check, changed) over the guides for the user's country that are tasks:
    the line "3 of 40 guides done" on the list of guides."""
    done = total = recheck = changed = 0
    for state, here, difficulty in zip(states, applies, difficulties, strict=True):
        if not here or not is_task(difficulty):
            continue
        total += 1
        done += state in FINISHED_STATES
        recheck += state == "recheck_due"
        changed += state == "changed"
    return done, total, recheck, changed


def progress_words(status: GuideStatus) -> str:
    """The count under a guide's title: "2 of 5 steps done"."""
    if not status.total:
        return "no steps for your country" if not status.applies else "no steps to do"
    return f"{status.done} of {status.total} step{'s' if status.total != 1 else ''} done"


# ---- waiting for a reply ---------------------------------------------------------------
# (what the list of guides shows for it: list_state and list_words, at the end of this module)
#
# After a letter or form that relies on a law (`law` on the step, its letter or
# the shared letter), the step waits for a reply:
#
# - it was sent on the first date field of the step the user filled in (a
#   `type: date` record such as "The date you sent the form"), else on the day
#   the step was marked done; a skipped or unmarked step waits for nothing;
# - the reply is due one period after sending: the deadline of the first of the
#   letter's laws that protects the user's country (GDPR: one month; California:
#   45 days). When none does, or that law sets no deadline, the same period is
#   only a time to follow up, and the words say so ("follow up", not "due");
# - a reply that says the company needs more time moves the due date by the
#   law's extension (GDPR: two more months), when the law allows one;
# - any other reply, received on or after the day of sending, ends the wait;
# - past the due date (the due day itself still counts as in time), with no
#   reply: overdue, "No reply yet: what you can do".

FollowUpState = Literal["waiting", "overdue", "answered"]

# Steps that send something to the company and so may get an answer.
SENDING_KINDS = frozenset({"form", "email"})


@dataclass(frozen=True)
class FollowUp:
    step_id: str
    state: FollowUpState
    sent_on: datetime.date
    due_on: datetime.date  # the legal deadline when `binding`, else the day to follow up
    binding: bool  # a law sets `due_on` for the user's country
    extended: bool  # the company said it needs more time, and the law allows it
    law: Law | None  # the law that protects the user for this letter; None when none of its laws does
    reply: Reply | None  # the reply that ended the wait (or asked for more time)


def sent_on(step: Step, record: StepRecord | None) -> datetime.date | None:
    """When a letter or form was sent; None when the step is not marked done."""
    if record is None or record.status != "done":
        return None
    marked = record.at.astimezone().date() if record.at else None
    for field in step.record:
        if field.type == "date":
            day = _field_date(record.fields.get(field.name, ""), marked)
            if day is not None:
                return day
    return marked


def _field_date(text: str, marked: datetime.date | None) -> datetime.date | None:
    # Stored as ISO since dates became dates; older free text counts only when it reads one way.
    if not text:
        return None
    stored = dates.from_iso(text)
    if stored is not None or marked is None:
        return stored
    return dates.read(text, marked, future=False).date


def step_follow_up(
    step: Step,
    record: StepRecord | None,
    replies: Sequence[Reply],
    law_ids: Sequence[str],
    country: str | None,
    today: datetime.date,
) -> FollowUp | None:
    """Where the letter or form of `step` stands, or None when it waits for nothing.

    `law_ids` are the laws the step relies on (`walkthrough.content.laws.for_step`);
    `replies` are those recorded for this step, in the order they were recorded.
    """
    if not law_ids:
        return None
    sent = sent_on(step, record)
    if sent is None:
        return None
    law = laws.for_country(law_ids, country)
    rules = law or laws.LAWS.get(law_ids[0])
    if rules is None:
        return None
    binding = law is not None and law.reply_within is not None
    period = rules.reply_within or rules.follow_up_after
    due = _after(sent, period)

    counted = [r for r in replies if r.step_id == step.id and r.received_on >= sent]
    answer = next((r for r in reversed(counted) if not r.more_time), None)
    if answer is not None:
        return FollowUp(step.id, "answered", sent, due, binding, False, law, answer)
    asked = counted[-1] if counted else None
    extended = asked is not None and rules.extension is not None
    if extended and rules.extension is not None:
        due = _after(_after(sent, period), rules.extension)
    state: FollowUpState = "overdue" if today > due else "waiting"
    return FollowUp(step.id, state, sent, due, binding, extended, law, asked)


def reply_date_problem(follow_up: FollowUp, received_on: datetime.date) -> str | None:
    """Why a reply cannot have come on `received_on` (before the letter was sent: it would not count), or None."""
    if received_on < follow_up.sent_on:
        return (
            f"{dates.words(received_on)} is before you sent it, on {dates.words(follow_up.sent_on)}. "
            "Give the day their answer came."
        )
    return None


def _after(day: datetime.date, period: Period) -> datetime.date:
    return dates.add_months(day, period.months) if period.months else day + datetime.timedelta(days=period.days)


def step_follow_ups(
    guide: Guide,
    records: Records,
    replies: Sequence[Reply],
    shared: Mapping[str, SharedTemplate],
    country: str | None,
    today: datetime.date,
) -> dict[str, FollowUp]:
    """Step id -> its follow-up, for every step of the guide that waits or waited for a reply."""
    out = {}
    for step in guide.steps:
        found = step_follow_up(step, records.get(step.id), replies, laws.for_step(step, dict(shared)), country, today)
        if found is not None:
            out[step.id] = found
    return out


def guide_follow_up(
    guide: Guide,
    records: Records,
    replies: Sequence[Reply],
    shared: Mapping[str, SharedTemplate],
    country: str | None,
    today: datetime.date,
) -> FollowUp | None:
    """The one to show for the whole guide: an overdue reply first, then the next one due, then the last answer."""
    found = list(step_follow_ups(guide, records, replies, shared, country, today).values())
    for state in ("overdue", "waiting"):
        pending = [f for f in found if f.state == state]
        if pending:
            return min(pending, key=lambda f: f.due_on)
    answered = [f for f in found if f.reply is not None]
    return max(answered, key=lambda f: f.reply.received_on if f.reply else f.sent_on) if answered else None


def follow_up_words(follow_up: FollowUp) -> str:
    """ "Waiting for a reply, due 23 December 2026", the same on every screen and in the record."""
    due = dates.words(follow_up.due_on)
    if follow_up.state == "answered" and follow_up.reply is not None:
        return f"Replied on {dates.words(follow_up.reply.received_on)}"
    if follow_up.state == "overdue":
        return "No reply yet: what you can do"
    more = " (they asked for more time)" if follow_up.extended else ""
    if follow_up.binding:
        return f"Waiting for a reply, due {due}{more}"
    return f"Waiting for a reply; follow up if none by {due}{more}"


def due_words(follow_up: FollowUp) -> str:
    """One line on the deadline, with the law it comes from, for the record and the step."""
    due = dates.words(follow_up.due_on)
    law = follow_up.law
    if follow_up.binding and law is not None and law.reply_within is not None:
        more = f", after they asked for {law.extension.words()} more" if follow_up.extended and law.extension else ""
        return f"Reply due by {due}: {law.reply_within.words()} after sending, under {law.name}{more}."
    if law is not None:
        return f"No fixed deadline under {law.name} for this letter: follow up if there is no reply by {due}."
    return (
        f"The laws this letter relies on may not protect you where you live, so there is no deadline: "
        f"follow up if there is no reply by {due}."
    )


def overdue_advice(follow_up: FollowUp, platform: str, authority: Authority | None) -> list[str]:
    """What someone can do when the reply is late, in order, as plain sentences."""
    sent = dates.words(follow_up.sent_on)
    due = dates.words(follow_up.due_on)
    advice = [
        f"Write to {platform} again. Say that you sent your request on {sent}, that the answer was due by {due}, "
        "and ask for an answer now. Keep a copy.",
    ]
    if authority is not None:
        where = "their complaint page" if authority.complaint else "their website (look for how to make a complaint)"
        line = f"Complain to {authority.name}. It is free. Start at {where}: {authority.page}"
        if authority.note:
            line += f" {authority.note}"
        advice.append(line)
        advice.append(
            "A letter for your complaint is ready to fill in: 'Complaint to a data protection authority'. "
            "Send your record from optout-tui with it: it shows what you sent and when."
        )
    else:
        advice.append(
            "If a data protection authority covers where you live, you can complain to it. "
            "Your record from optout-tui shows what you sent and when."
        )
    return advice


# Which guide to suggest after finishing one: something already started first, then
# something that asks for a look again, then a new one; never one with nothing to do.
_NEXT_ORDER: dict[str, int] = {"in_progress": 0, "changed": 1, "recheck_due": 2, "not_started": 3, "no_opt_out": 4}


def next_guide(
    guides: list[LoadedGuide],
    records: Mapping[str, Records],
    country: str | None,
    today: datetime.date,
    *,
    after: str | None = None,
) -> LoadedGuide | None:
    """The guide to do next for a user in `country`, in the order given among equals; None when all are done."""
    best: tuple[int, int, LoadedGuide] | None = None
    for position, loaded in enumerate(guides):
        if loaded.id == after:
            continue
        status = guide_status(loaded, records.get(loaded.id, {}), country, today)
        rank = _NEXT_ORDER.get(status.state)
        if rank is None or not status.applies or not status.total:
            continue
        if best is None or (rank, position) < best[:2]:
            best = (rank, position, loaded)
    return best[2] if best else None


def list_state(status: GuideStatus, follow_up: FollowUp | None) -> str:
    """The state the list of guides files a guide under (filters, "what needs me first").

    A letter past its day ("overdue") wins over everything but a guide that changed since: it is
    what the user should act on. A letter waiting for a reply shows only once the rest is done,
    so "In progress (1 of 5)" keeps saying that steps are left."""
    if follow_up is None or status.state == "changed":
        return status.state
    if follow_up.state == "overdue" or (follow_up.state == "waiting" and status.state == "done"):
        return follow_up.state
    return status.state


def list_words(status: GuideStatus, follow_up: FollowUp | None) -> str:
    """The guide's state in the list's column: "Waiting, due 23 Dec 2026", "No reply yet", or `state_words`."""
    state = list_state(status, follow_up)
    if follow_up is None or state not in ("waiting", "overdue"):
        return state_words(status)
    if state == "overdue":
        return "No reply yet"
    day = dates.short_words(follow_up.due_on)
    return f"Waiting, due {day}" if follow_up.binding else f"Waiting, follow up {day}"
