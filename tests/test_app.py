"""The app, driven the way a user drives it: keys and clicks through Pilot.

Progress goes to a real SQLite file under tmp_path (OPTOUT_TUI_DATA_DIR), links
go to a recorder script set as $BROWSER, and the guides are the fixture guides in
tests/fixtures/app, copied to tmp_path so a test may edit them.
"""

from __future__ import annotations

import dataclasses
import datetime
import shutil
from pathlib import Path

import pytest
from pilot_wait import until

from walkthrough.progress.store import ProgressStore
from walkthrough.tui.app import OptOutApp, make_app
from walkthrough.tui.widgets.step_view import StepView

FIXTURES = Path(__file__).parent / "fixtures" / "app"
TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def guides(tmp_path) -> Path:
    folder = tmp_path / "guides"
    shutil.copytree(FIXTURES, folder)
    return folder


def app_for(guides: Path, **kwargs) -> OptOutApp:
    kwargs.setdefault("today", TODAY)
    return make_app([str(guides)], bundled=False, **kwargs)


def store() -> ProgressStore:
    return ProgressStore.open_default()[0]


def screen_text(app: OptOutApp) -> str:
    """What the terminal shows right now, as plain text (toasts aside)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def notes(app: OptOutApp) -> list[str]:
    return [n.message for n in app._notifications]


async def open_guide(pilot, name: str) -> None:
    """Find a guide the way a user would: search for it and press Enter."""
    await pilot.press("slash", *name, "enter")
    await pilot.pause()


# ---- where you live ---------------------------------------------------------


async def test_first_start_asks_for_the_country_and_search_finds_it(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Where do you live?" in screen_text(app)
        # A part of a name is not a choice: Enter asks the user to pick (issue 15), Down picks.
        await pilot.press(*"germ", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "RegionScreen"
        assert "Did you mean Germany (DE)?" in screen_text(app)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        assert app.country == "DE"
        assert "You live in Germany" in screen_text(app)
        # Beta Chat is for the US only: marked, not hidden.
        assert "Not for your region" in screen_text(app)
        assert "Beta Chat" in screen_text(app)
    assert store().get_setting("region") == "DE"


async def test_country_code_typed_in_the_search_is_found_first(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("u", "s", "enter")
        await pilot.pause()
        assert app.country == "US"


async def test_escape_skips_the_question_and_it_is_not_asked_again(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        assert app.country is None
        assert "every guide is shown as yours" in screen_text(app)
        assert "Not for your region" not in screen_text(app)
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"


async def test_region_option_is_used_and_saved(guides, data_dir):
    app = app_for(guides, region="us")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"  # not asked: the option answered it
        assert "You live in the United States" in screen_text(app)  # with its article (issue 15)
        assert "Not for your region" not in screen_text(app)
    assert store().get_setting("region") == "US"


async def test_country_can_be_changed_later_with_ctrl_r(guides, data_dir):
    app = app_for(guides, region="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "Where do you live?" in screen_text(app)
        await pilot.press(*"france", "enter")
        await pilot.pause()
        assert app.country == "FR"
        assert "Not for your region" in screen_text(app)


# ---- the list of guides -------------------------------------------------------


async def test_home_lists_guides_with_difficulty_time_and_progress(guides, data_dir):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "0 of 1 guide done" in text  # Beta Chat is not for Germany
        for words in ("Alpha Social", "Easy", "5 min", "Not started", "Beta Chat", "Medium", "3 min"):
            assert words in text


async def test_search_filters_by_name_and_enter_opens_the_guide(guides, data_dir):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"beta")
        await pilot.pause()
        text = screen_text(app)
        assert "Beta Chat" in text and "Alpha Social" not in text
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "GuideScreen"
        assert "Beta Chat: Stop Beta Chat training AI" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"


async def test_broken_guide_file_is_reported_and_the_others_still_load(guides, data_dir):
    (guides / "gamma.yaml").write_text("name: Gamma\ntitle: [unclosed\n")
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "1 guide could not be opened" in text
        assert "gamma.yaml" in text
        assert "optout-tui validate" in text
        assert "Alpha Social" in text and "Beta Chat" in text


async def test_damaged_progress_file_is_set_aside_and_said_so(guides, data_dir):
    data_dir.mkdir()
    (data_dir / "progress.sqlite3").write_bytes(b"this is not a database, it is a shopping list" * 100)
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.store_notice
        assert app.store_notice.splitlines()[0][:40] in screen_text(app).replace("\n", " ")


async def test_command_palette_jumps_to_a_guide(guides, data_dir):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"beta")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "GuideScreen"
        assert app.screen.loaded.id == "beta"


async def test_help_screen_opens_and_closes(guides, data_dir):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "open the guide you are on" in text
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"


# ---- a guide --------------------------------------------------------------------


async def test_open_a_link_goes_to_the_browser_and_says_so(guides, data_dir, browser):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_guide(pilot, "alpha")
        text = screen_text(app)
        assert "https://www.alpha.example/login" in text  # the address is on screen before opening
        await pilot.press("o")
        await pilot.pause()
        assert browser.read_text().split() == ["https://www.alpha.example/login"]
        text = screen_text(app)
        # "Sent": whether a desktop browser really started is known only a moment later (issue 15).
        assert "Sent to your browser:" in text
        assert "If nothing opened, copy the address with c." in text
        await pilot.press("c")
        assert app.clipboard == "https://www.alpha.example/login"


async def test_open_button_opens_the_link_too(guides, data_dir, browser):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_guide(pilot, "alpha")
        await click_words(pilot, app, "Open (o)")
        assert browser.read_text().split() == ["https://www.alpha.example/login"]


async def click_words(pilot, app: OptOutApp, words: str) -> None:
    """Click the middle of `words` where they are drawn on the screen."""
    for y, line in enumerate(screen_text(app).splitlines()):
        x = line.find(words)
        if x >= 0:
            assert await pilot.click(offset=(x + len(words) // 2, y))
            await pilot.pause()
            return
    raise AssertionError(f"{words!r} is not on the screen:\n{screen_text(app)}")


async def test_a_link_in_the_text_opens_when_clicked(guides, data_dir, browser):
    app = app_for(guides, region="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_guide(pilot, "beta")
        # The words of the link and, beside them, where it goes.
        assert "Read Beta's help page (https://help.beta.example/ai) first." in " ".join(
            line.split("▎")[-1].strip() for line in screen_text(app).splitlines()
        )
        await click_words(pilot, app, "Beta's help page")
        assert browser.read_text().split() == ["https://help.beta.example/ai"]
        page = app.screen.query_one(StepView).page
        assert page is not None
        assert str(page.opened.content).startswith("Sent to your browser: https://help.beta")


async def test_a_link_in_the_text_to_another_site_is_refused_even_past_the_loader(guides, data_dir, browser):
    # A guide that got past the loader with a link off its domains (a tampered cache, say):
    # the app checks the address again before opening it.
    import msgspec

    app = app_for(guides, region="US")
    loaded = app.catalog.guides["beta"]
    step = loaded.guide.steps[0]
    tricked = msgspec.structs.replace(step, body="Read [the help page](https://beta-example.net/trick) first.")
    guide = msgspec.structs.replace(loaded.guide, steps=[tricked])
    app.catalog.guides["beta"] = dataclasses.replace(loaded, guide=guide)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_guide(pilot, "beta")
        await click_words(pilot, app, "the help page")
        assert not browser.exists()
        assert any("beta-example.net" in n and "not one of this guide's domains" in n for n in notes(app))
        assert "Opened in your browser" not in screen_text(app)


async def test_mark_done_skip_and_undo_are_saved_at_once(guides, data_dir):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_guide(pilot, "alpha")
        await pilot.press("space")
        await pilot.pause()
        assert {k: r.status for k, r in store().steps("alpha").items()} == {"sign-in": "done"}
        assert "Step 2 of 4" in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        assert store().steps("alpha")["turn-off"].status == "skipped"
        assert "Step 3 of 4" in screen_text(app)
        await pilot.press("p", "u")
        await pilot.pause()
        assert "turn-off" not in {k for k, r in store().steps("alpha").items() if r.status}
        assert "Step 2 of 4" in screen_text(app)
        assert "1 of 4 steps done" in screen_text(app)
        # The buttons do the same as the keys.
        assert await pilot.click("#mark-done")
        await pilot.pause()
        assert store().steps("alpha")["turn-off"].status == "done"
        assert "✓ 2. Turn off" in screen_text(app)


async def test_resume_after_restart_opens_at_the_first_step_not_done(guides, data_dir):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_guide(pilot, "alpha")
        await pilot.press("space", "space")
        await pilot.pause()
    app = app_for(guides, guide="alpha")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "GuideScreen"
        text = screen_text(app)
        assert "Step 3 of 4" in text and "Send the objection form" in text
        assert "2 of 4 steps done" in text


async def test_step_not_for_the_region_is_marked_and_passed_over(guides, data_dir):
    app = app_for(guides, region="US")  # the objection step is for the EU only
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_guide(pilot, "alpha")
        assert "0 of 3 steps done" in screen_text(app)
        assert "· 3. Send the" in screen_text(app)
        await pilot.press("space", "space")
        await pilot.pause()
        # Passed over to the last step, which is the 3rd of the 3 steps for the US (the header
        # counts the steps the user has to do, like the progress line; it said "4 of 4" before).
        assert "Step 3 of 3" in screen_text(app) and "Keep Alpha's reply" in screen_text(app)


async def test_finishing_shows_what_was_done_limits_and_when_to_check_again(guides, data_dir):
    app = app_for(guides, region="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_guide(pilot, "alpha")
        await pilot.press("space", "space", "space")
        await pilot.pause()
        assert type(app.screen).__name__ == "FinishedScreen"
        text = screen_text(app)
        assert "You have finished: Alpha Social" in text
        # Marks are dated by the real clock; the re-check date follows from that day.
        marked = store().steps("alpha")["sign-in"].at.astimezone().date()
        assert f"Done on {marked.day} {marked:%B %Y}" in text
        assert "Models already trained keep what they learned." in text
        again = marked + datetime.timedelta(days=90)
        assert f"Check again on {again.day} {again:%B %Y}" in text
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        assert f"Done {marked.day} {marked:%b %Y}" in screen_text(app)
        assert "1 of 2 guides done" in screen_text(app)


async def test_recheck_due_when_today_is_past_the_recheck_day(guides, data_dir):
    app = app_for(guides, region="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_guide(pilot, "alpha")
        await pilot.press("space", "space", "space")
        await pilot.pause()
    later = datetime.date.today() + datetime.timedelta(days=91)
    app = app_for(guides, today=later)  # the country saved above: the US
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Re-check due" in screen_text(app)
        assert "1 to re-check" in screen_text(app)
        await open_guide(pilot, "alpha")
        text = screen_text(app)
        assert "Time to check again" in text
        assert "Step 1 of 3" in text  # a re-check starts from the top (of the 3 steps for the US)


async def test_guide_changed_after_the_user_did_it(guides, data_dir):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_guide(pilot, "alpha")
        await pilot.press("space", "space")
        await pilot.pause()
    path = guides / "alpha.yaml"
    path.write_text(path.read_text().replace("click the switch so it shows", "slide the switch until it shows"))
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Changed since you did it" in screen_text(app)
        await open_guide(pilot, "alpha")
        text = screen_text(app)
        assert "This guide was updated after you did it" in text
        assert "Step 2 of 4" in text and "slide the switch" in text  # opens at the changed step
        assert "! 2. Turn off" in text
        await pilot.press("space")
        await pilot.pause()
        assert "✓ 2. Turn off" in screen_text(app)


# ---- forms and letters ------------------------------------------------------------


async def go_to_form(pilot) -> None:
    await open_guide(pilot, "alpha")
    await pilot.press("n", "n")
    await pilot.pause()


async def test_template_copy_reports_empty_blanks_then_copies_when_asked_again(guides, data_dir):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_form(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == ""  # nothing copied silently with blanks empty
        assert any("“Your full name”" in n and "“Your email address”" in n and "press c again" in n for n in notes(app))
        await pilot.press("c")
        assert app.clipboard.startswith("Subject: Objection: Alpha Social\n\n")
        assert "Name: [Your full name]" in app.clipboard


async def test_template_fills_in_as_you_type_and_copies_the_filled_text(guides, data_dir):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_form(pilot)
        await pilot.press("enter")  # from the list of steps into the first box
        await pilot.press(*"Ada Lovelace", "tab", *"ada@example.org")
        await pilot.pause()
        assert "Name: Ada Lovelace" in str(app.screen.query_one("#filled").content)
        await pilot.press("escape")  # leave the box: the step keys work again
        await pilot.press("c")
        assert app.clipboard == (
            "Subject: Objection: Alpha Social\n\n"
            "I object to Alpha Social using my data for AI.\nName: Ada Lovelace\nEmail: ada@example.org\n"
        )
        assert any(n.startswith("Copied the subject line and the text") for n in notes(app))
    saved = store()
    assert saved.steps("alpha")["object"].fields == {"full_name": "Ada Lovelace", "email": "ada@example.org"}
    assert saved.answers() == {"full_name": "Ada Lovelace", "email": "ada@example.org"}


async def test_letters_typed_in_a_box_are_not_taken_as_keys(guides, data_dir):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_form(pilot)
        await pilot.press("enter", *"sus cq u", "space")
        await pilot.pause()
        assert app.screen.query_one("#blank-full_name").value == "sus cq u "
        assert not any(r.status for r in store().steps("alpha").values())
        assert "Step 3 of 4" in screen_text(app)


async def test_record_fields_are_saved_and_shown_again(guides, data_dir):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_form(pilot)
        app.screen.query_one("#record-case_number").focus()
        await pilot.press(*"CASE-123")

        # Saved a moment after typing stops, with no other key.
        def saved() -> bool:
            with store() as s:
                record = s.steps("alpha").get("object")
            return record is not None and bool(record.fields)

        await until(pilot, saved, what="the case number to be saved")
        assert store().steps("alpha")["object"].fields == {"case_number": "CASE-123"}
    app = app_for(guides, guide="alpha")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n")
        await pilot.pause()
        assert app.screen.query_one("#record-case_number").value == "CASE-123"


async def test_answers_are_offered_again_in_another_guide_step(guides, data_dir):
    with store() as s:
        s.remember_answers({"full_name": "Ada Lovelace"})
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_form(pilot)
        assert app.screen.query_one("#blank-full_name").value == "Ada Lovelace"
        await pilot.press("c")
        assert any("“Your email address”" in n and "“Your full name”" not in n for n in notes(app))


def burst(app: OptOutApp, keys: list[str]) -> None:
    """Keys arriving all at once, as from a paste or a fast typist (Pilot waits between keys)."""
    from textual import events

    for key in keys:
        char = {"slash": "/", "enter": "\r", "space": " "}.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, char))


async def test_letters_typed_straight_after_slash_all_land_in_the_search(guides, data_dir):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, ["slash", *"beta"])
        await pilot.pause()
        assert app.screen.query_one("#search").value == "beta"


async def test_letters_typed_straight_after_enter_on_a_step_land_in_the_box(guides, data_dir):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_form(pilot)
        burst(app, ["enter", *"Sam"])
        await pilot.pause()
        assert app.screen.query_one("#blank-full_name").value == "Sam"
        assert not any(r.status for r in store().steps("alpha").values())  # "s" did not skip the step


async def test_text_typed_just_before_quitting_is_saved(guides, data_dir):
    app = app_for(guides, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to_form(pilot)
        app.screen.query_one("#record-case_number").focus()
        await pilot.press(*"42")
        await pilot.press("ctrl+q")  # straight away, before the pause that saves typing
    assert store().steps("alpha")["object"].fields == {"case_number": "42"}


async def test_opening_a_finished_guide_shows_the_summary(guides, data_dir):
    with store() as s:
        for step in ("sign-in", "turn-off", "object", "keep-reply"):
            s.mark("alpha", step, "done", fingerprint_of("alpha", step))
    app = app_for(guides, region="DE", guide="alpha")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "FinishedScreen"
        await pilot.press("escape")  # to the steps, all ticked
        await pilot.pause()
        assert type(app.screen).__name__ == "GuideScreen"
        assert "✓ 4. Keep Alpha's" in screen_text(app)


def fingerprint_of(guide_id: str, step_id: str) -> str:
    from walkthrough.catalog.loading import load_catalog
    from walkthrough.content.model import step_fingerprint

    guide = load_catalog([str(FIXTURES)], bundled=False).guides[guide_id].guide
    return step_fingerprint(next(s for s in guide.steps if s.id == step_id))


async def wait_for_the_catalogue(pilot, app: OptOutApp, limit: float = 30.0) -> None:
    """Until the app has looked at every guide file and read the new ones (it does so after its first screen)."""
    import time

    deadline = time.monotonic() + limit
    while not app.catalog.surveyed or app.catalog.pending():
        assert time.monotonic() < deadline, "the guides were not all read"
        await pilot.pause(0.05)
    await pilot.pause()


async def test_a_long_list_fills_in_after_the_first_screen_and_search_still_works(tmp_path, data_dir):
    # 150 new guides are read after the first screen (start-up speed); the user must still
    # end up with every guide, and a search must not get stale rows.
    folder = tmp_path / "many"
    folder.mkdir()
    source = (FIXTURES / "alpha.yaml").read_text()
    name = next(line for line in source.splitlines() if line.startswith("name:")).split(":", 1)[1].strip()
    for i in range(150):
        (folder / f"g{i:03d}.yaml").write_text(source.replace(f"name: {name}", f"name: Platform {i:03d}"))
    app = app_for(folder, region="DE")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_the_catalogue(pilot, app)
        guides = app.screen.query_one("#guides")
        assert guides.count == 150
        await pilot.press("slash", *"platform 149")
        await pilot.pause()
        assert guides.count == 1
        await pilot.press("escape")
        await pilot.pause()
        assert guides.count == 150
        await pilot.press("end")
        await pilot.pause()
        assert "Platform 149" in screen_text(app)


async def test_a_step_for_another_country_counts_the_same_on_every_screen(guides, data_dir):
    # The US user marks the EU-only objection step anyway. It is their record, so it shows
    # as done, but it is not one of their steps: the guide screen said "1 of 4 steps done"
    # here while the list said "In progress (0 of 3)", and the header said "Step 1 of 7".
    app = app_for(guides, region="US")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await open_guide(pilot, "alpha")
        assert "Step 1 of 3" in screen_text(app) and "0 of 3 steps done" in screen_text(app)
        await pilot.press("n", "n")
        await pilot.pause()
        assert "An extra step" in screen_text(app) and "Not for your region" in screen_text(app)
        await pilot.press("space")
        await pilot.pause()
        assert "0 of 3 steps done" in screen_text(app)
        assert "✓ 3. Send the" in screen_text(app)  # what the user did is still shown
        await pilot.press("escape")
        await pilot.pause()
        assert "In progress (0 of 3)" in screen_text(app)
