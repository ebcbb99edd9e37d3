"""Where a user stands on a guide, from real guide objects and records."""

from __future__ import annotations

import datetime
from pathlib import Path

import msgspec

from walkthrough.content.loader import LoadedGuide
from walkthrough.content.model import Guide, step_fingerprint
from walkthrough.progress.status import GuideStatus, guide_status, state_words, step_state
from walkthrough.progress.store import StepRecord

TODAY = datetime.date(2026, 11, 22)


def make_guide(difficulty: str = "easy", regions: list[str] | None = None, recheck_days: int = 90) -> LoadedGuide:
    step = {"kind": "setting", "body": "Do it."}
    data = {
        "name": "Example",
        "title": "Stop Example training AI",
        "summary": "A test guide.",
        "last_verified": "2026-11-01",
        "difficulty": difficulty,
        "minutes": 5,
        "recheck_days": recheck_days,
        "domains": ["example.com"],
        "sources": [{"url": "https://example.com/help"}],
        "steps": [
            {**step, "id": "sign-in", "title": "Sign in"},
            {**step, "id": "switch-off", "title": "Turn off the switch"},
            {**step, "id": "eu-form", "title": "Send the EU form", "regions": ["EU", "UK"]},
        ],
    }
    if regions:
        data["regions"] = regions
    return LoadedGuide("example", Path("example.yaml"), msgspec.convert(data, Guide))


def at(day: str, hour: int = 12) -> datetime.datetime:
    # Midday UTC: the same calendar day in every time zone the tests may run in.
    return datetime.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00")


def marked(guide: LoadedGuide, step_id: str, day: str = "2026-11-20", status: str = "done") -> StepRecord:
    step = next(s for s in guide.guide.steps if s.id == step_id)
    return StepRecord(status, at(day), step_fingerprint(step), {})


def all_marked(guide: LoadedGuide, *days: str) -> dict[str, StepRecord]:
    return {s.id: marked(guide, s.id, day) for s, day in zip(guide.guide.steps, days, strict=True)}


def test_nothing_done_is_not_started():
    guide = make_guide()
    status = guide_status(guide, {}, "DE", TODAY)
    assert status == GuideStatus("not_started", 0, 3, None, None, [], True)
    assert state_words(status) == "Not started"


def test_typing_in_a_field_alone_does_not_start_a_guide():
    guide = make_guide()
    records = {"eu-form": StepRecord(None, None, None, {"date_sent": "2026-11-20"})}
    assert guide_status(guide, records, "DE", TODAY).state == "not_started"
    assert step_state(guide.guide.steps[2], records["eu-form"], "DE") == "todo"


def test_some_steps_done_is_in_progress_with_a_count():
    guide = make_guide()
    records = {"sign-in": marked(guide, "sign-in"), "switch-off": marked(guide, "switch-off", status="skipped")}
    status = guide_status(guide, records, "DE", TODAY)
    assert (status.state, status.done, status.total, status.finished_at) == ("in_progress", 2, 3, None)
    assert state_words(status) == "In progress (2 of 3)"


def test_all_steps_done_or_skipped_is_done_on_the_day_of_the_last_one():
    guide = make_guide(recheck_days=90)
    records = all_marked(guide, "2026-11-18", "2026-11-20", "2026-11-19")
    records["eu-form"] = marked(guide, "eu-form", "2026-11-19", status="skipped")
    status = guide_status(guide, records, "DE", TODAY)
    assert status.state == "done"
    assert status.finished_at == datetime.date(2026, 11, 20)
    assert status.recheck_on == datetime.date(2026, 11, 20) + datetime.timedelta(days=90)
    assert state_words(status) == "Done 20 Nov 2026"


def test_recheck_is_due_on_the_recheck_day_and_not_the_day_before():
    guide = make_guide(recheck_days=30)
    records = all_marked(guide, "2026-10-01", "2026-10-01", "2026-10-01")
    due = datetime.date(2026, 10, 31)
    assert guide_status(guide, records, "DE", due - datetime.timedelta(days=1)).state == "done"
    status = guide_status(guide, records, "DE", due)
    assert status.state == "recheck_due" and status.recheck_on == due
    assert state_words(status) == "Re-check due"


def test_a_step_changed_since_it_was_marked_wins_over_done_and_recheck():
    guide = make_guide(recheck_days=30)
    records = all_marked(guide, "2026-01-01", "2026-01-01", "2026-01-01")
    records["switch-off"] = StepRecord("done", at("2026-01-01"), "0123456789abcdef", {})
    status = guide_status(guide, records, "DE", TODAY)
    assert status.state == "changed" and status.changed == ["switch-off"]
    assert state_words(status) == "Changed since you did it"
    assert step_state(guide.guide.steps[1], records["switch-off"], "DE") == "changed"
    assert step_state(guide.guide.steps[0], records["sign-in"], "DE") == "done"


def test_a_changed_step_is_flagged_while_still_in_progress():
    guide = make_guide()
    records = {"sign-in": StepRecord("done", at("2026-11-20"), "old-fingerprint", {})}
    assert guide_status(guide, records, "DE", TODAY).state == "changed"


def test_steps_for_other_regions_are_not_counted():
    guide = make_guide()
    records = {"sign-in": marked(guide, "sign-in"), "switch-off": marked(guide, "switch-off")}
    status = guide_status(guide, records, "US", TODAY)
    assert (status.state, status.done, status.total) == ("done", 2, 2)
    assert step_state(guide.guide.steps[2], None, "US") == "not_here"
    assert step_state(guide.guide.steps[2], None, "FR") == "todo"
    assert step_state(guide.guide.steps[2], None, "GB") == "todo"  # "UK" stands for GB


def test_with_no_country_chosen_every_step_counts():
    guide = make_guide()
    records = {"sign-in": marked(guide, "sign-in"), "switch-off": marked(guide, "switch-off")}
    status = guide_status(guide, records, None, TODAY)
    assert (status.state, status.done, status.total) == ("in_progress", 2, 3)


def test_a_step_done_before_moving_country_still_shows_as_done():
    guide = make_guide()
    record = marked(guide, "eu-form")
    assert step_state(guide.guide.steps[2], record, "US") == "done"


def test_a_guide_for_other_regions_does_not_apply():
    guide = make_guide(regions=["EU"])
    status = guide_status(guide, {}, "US", TODAY)
    assert (status.applies, status.total, status.state) == (False, 0, "not_started")
    assert guide_status(guide, {}, "DE", TODAY).applies is True


def test_a_guide_without_an_opt_out_says_so_until_started():
    guide = make_guide(difficulty="impossible")
    status = guide_status(guide, {}, "DE", TODAY)
    assert status.state == "no_opt_out" and state_words(status) == "No opt-out exists"
    started = guide_status(guide, {"sign-in": marked(guide, "sign-in")}, "DE", TODAY)
    assert started.state == "in_progress"


def test_records_of_steps_no_longer_in_the_guide_do_not_count():
    guide = make_guide()
    records = {"removed-step": StepRecord("done", at("2026-11-20"), "whatever", {})}
    status = guide_status(guide, records, "DE", TODAY)
    assert (status.done, status.total, status.changed) == (0, 3, [])
    # The user did touch this guide, so it is not "not started".
    assert status.state == "in_progress"


def test_a_marked_step_reads_back_from_the_store_the_same(tmp_path):
    from walkthrough.progress.store import ProgressStore

    guide = make_guide()
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        for step in guide.guide.steps:
            store.mark("example", step.id, "done", step_fingerprint(step))
        status = guide_status(guide, store.steps("example"), "DE", TODAY)
    assert status.state == "done" and status.changed == []
    assert status.finished_at == datetime.datetime.now(datetime.timezone.utc).astimezone().date()


def test_the_overall_count_leaves_out_guides_with_nothing_to_do_and_guides_for_elsewhere():
    from walkthrough.progress.status import overall_counts

    states = ["done", "not_started", "nothing_to_do", "recheck_due", "changed", "done"]
    applies = [True, True, True, True, True, False]
    difficulties = ["easy", "medium", "nothing-to-do", "easy", "hard", "easy"]
    # done, recheck_due and changed are finished; the guide for elsewhere and the "nothing to do" one are not tasks.
    assert overall_counts(states, applies, difficulties) == (3, 4, 1, 1)
