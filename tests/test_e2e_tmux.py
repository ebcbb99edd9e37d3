"""End to end: the installed `optout-tui` in a real 80x24 terminal (tmux), as a person would use it.

Nothing is faked: the console script pip installed, a real terminal, real key
presses, the real SQLite file. Only two things are pointed elsewhere: $BROWSER
is a recorder script (a test must never open a browser or touch the internet),
and the data dir is a temporary folder.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from e2e.tmux_driver import Tmux, flat, installed_command, wait_until

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).parent / "fixtures" / "snap"
AI_SETTING_URL = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"


def search(tmux: Tmux, text: str) -> None:
    """Press / and type `text` into the search box, as a person would: after the box appears.

    Waiting for the box keeps this about opening a guide; typing in the same
    instant as / has its own test below.
    """
    tmux.press("/")
    # The box is made the first time it is needed, under the line that says what the list shows.
    tmux.wait_for("Type a name, another name or a word", what="the search box")
    tmux.type(text)
    tmux.wait_for(text, what=f"{text!r} in the search box")


def marks_in_store(data_dir: Path, guide_id: str) -> dict[str, str]:
    """step id -> status, read straight from the SQLite file the app wrote, with no app code involved."""
    db = data_dir / "progress.sqlite3"
    assert db.exists(), f"the app wrote no progress file at {db}"
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT step_id, status FROM mark WHERE guide_id = ?", (guide_id,)).fetchall()
    finally:
        conn.close()
    return dict(rows)


def test_open_a_link_mark_steps_and_survive_a_kill(tmux: Tmux, app_env: dict[str, str], tmp_path: Path) -> None:
    opened = tmp_path / "opened-urls.txt"
    tmux.start([installed_command(), "--region", "DE"], app_env, cwd=tmp_path)

    home = tmux.wait_for("Adobe", what="the list of guides (sorted by name, Adobe first)")
    assert "Traceback" not in home

    # Find LinkedIn the way the help tells people to: search, then Enter.
    search(tmux, "linkedin")
    tmux.press("Enter")
    tmux.wait_for(lambda s: "Sign in to LinkedIn" in flat(s), what="the first LinkedIn step")

    tmux.press("n")
    tmux.wait_for(lambda s: "Data for Generative AI Improvement" in flat(s), what="the AI data setting step")

    tmux.press("o")
    wait_until(lambda: opened.exists() and opened.read_text().strip(), what="the browser to be asked to open a page")
    # The exact page, opened once: not the login page of step one, not a look-alike.
    assert opened.read_text().splitlines() == [AI_SETTING_URL]

    tmux.press("Space")
    tmux.wait_for(lambda s: "Check that the switch stayed off" in flat(s), what="the next step after marking done")
    tmux.press("Space")
    tmux.wait_for(lambda s: "Send the Data Processing Objection Form" in flat(s), what="the objection form step")

    # The harshest way an app can end: no chance to save anything on the way out.
    # What the screen already showed as done must be on disk.
    pid = tmux.pane_pid()
    os.kill(pid, signal.SIGKILL)
    wait_until(tmux.pane_dead, what="the killed app's pane to close")

    marks = marks_in_store(tmp_path / "data", "linkedin")
    assert marks == {"turn-off-ai-data": "done", "check-switch": "done"}
    # And what the user is told when they ask afterwards.
    listed = subprocess.run(
        [installed_command(), "progress", "--json", "linkedin"],
        env=app_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    statuses = {step["id"]: step["status"] for step in json.loads(listed.stdout)[0]["steps"]}
    assert statuses == {
        "sign-in": None,
        "turn-off-ai-data": "done",
        "check-switch": "done",
        "objection-form": None,
        "keep-the-email": None,
    }
    # Nothing else was opened after the kill either.
    assert opened.read_text().splitlines() == [AI_SETTING_URL]


def test_a_bad_guide_file_is_reported_and_the_rest_still_work(
    tmux: Tmux, app_env: dict[str, str], tmp_path: Path
) -> None:
    guides = tmp_path / "my-guides"
    guides.mkdir()
    shutil.copy(FIXTURES / "examplenet.yaml", guides / "examplenet.yaml")
    # A contributor's typo: a field the guide format does not have.
    broken = (FIXTURES / "examplenet.yaml").read_text().replace("name: ExampleNet", "name: Broken\nnmae: typo", 1)
    (guides / "broken.yaml").write_text(broken)

    tmux.start([installed_command(), "--region", "DE", "--guides-dir", str(guides)], app_env, cwd=tmp_path)

    # One wait for the whole home screen: a capture can catch a frame half drawn,
    # so the guide row alone does not mean the notice above it is on screen yet.
    home = flat(
        tmux.wait_for(
            lambda s: "ExampleNet" in s and "broken.yaml" in flat(s) and "could not be opened" in flat(s),
            what="the list of guides with a notice naming broken.yaml",
        )
    )
    assert "Traceback" not in home

    # The good guide from the same folder still opens and works.
    search(tmux, "examplenet")
    tmux.press("Enter")
    tmux.wait_for(lambda s: "Make your posts private" in flat(s), what="the ExampleNet guide")
    tmux.press("Space")
    tmux.wait_for(lambda s: "Check that your posts are private" in flat(s), what="the next step")
    assert marks_in_store(tmp_path / "data", "examplenet") == {"make-posts-private": "done"}

    tmux.press("q")
    wait_until(tmux.pane_dead, what="the app to quit on q")
    assert tmux.exit_status() == 0


def test_search_keeps_letters_typed_straight_after_slash(tmux: Tmux, app_env: dict[str, str], tmp_path: Path) -> None:
    # Found by this suite: focus used to move one message after the / key, so a
    # pasted or fast-typed search lost every letter to the list behind the box.
    tmux.start([installed_command(), "--region", "DE"], app_env, cwd=tmp_path)
    tmux.wait_for("Adobe", what="the list of guides (sorted by name, Adobe first)")
    # One write, as a paste or a fast typist's burst arrives.
    tmux.type("/linkedin")
    tmux.wait_for("linkedin", timeout=5, what="the typed letters in the search box")


# ---- the guide screen at the speed of a held key (issue 9) -------------------------------


def long_guide(folder: Path, steps: int) -> str:
    """A valid guide with `steps` steps, each with its own title; returns its id."""
    head = (
        "name: Many Steps\ntitle: A guide with many steps\nsummary: For the key speed test.\n"
        "last_verified: 2026-11-01\ndifficulty: easy\nminutes: 5\nrecheck_days: 90\n"
        "domains: [example.org]\nsources:\n  - url: https://www.example.org/help\n    title: Help\nsteps:\n"
    )
    body = "".join(
        f"  - id: step-{n:03d}\n    kind: action\n    title: Do thing number {n:03d}\n"
        f"    body: The text of step {n:03d}.\n    expect: Thing {n:03d} is done.\n"
        for n in range(1, steps + 1)
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "many-steps.yaml").write_text(head + body)
    return "many-steps"


def progress_json(app_env: dict[str, str], guide: str) -> list[dict]:
    listed = subprocess.run(
        [installed_command(), "progress", "--json", guide], env=app_env, capture_output=True, text=True, timeout=60
    )
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


def hold_key(tmux: Tmux, key: str, times: int, every: float) -> None:
    for _ in range(times):
        tmux.press(key)
        time.sleep(every)


def test_sixty_downs_ten_ms_apart_then_space_marks_the_step_the_screen_showed(
    tmux: Tmux, app_env: dict[str, str], tmp_path: Path
) -> None:
    guides = tmp_path / "guides"
    guide = long_guide(guides, 100)
    argv = [installed_command(), guide, "--region", "DE", "--guides-dir", str(guides)]
    app_env = {**app_env, "OPTOUT_TUI_GUIDES": str(guides)}  # `progress` knows the guide's steps too
    tmux.start(argv, app_env, cwd=tmp_path)
    tmux.wait_for(lambda s: "Step 1 of 100" in s and "Do thing number 001" in s, what="the first step")

    hold_key(tmux, "Down", 60, 0.010)
    # Every key moved the step: none lost, none queued to move it later.
    shown = tmux.wait_for(lambda s: "Step 61 of 100" in s, what="step 61 after 60 Down keys")
    assert "Do thing number 061" in shown
    time.sleep(0.3)
    assert "Step 61 of 100" in tmux.screen(), "the step moved on after the keys had stopped"

    tmux.press("Space")
    tmux.wait_for(lambda s: "Step 62 of 100" in s, what="the next step after Space")
    steps = progress_json(app_env, guide)[0]["steps"]
    assert {s["id"]: s["status"] for s in steps if s["status"]} == {"step-061": "done"}
    assert all(not s["fields"] for s in steps)


def test_linkedin_letter_typed_then_a_held_down_key_then_space(
    tmux: Tmux, app_env: dict[str, str], tmp_path: Path
) -> None:
    # The report in issue 9: blanks typed on the letter step, then Down held, then Space. The
    # mark went on a step the screen did not show, and the blanks on steps without a form.
    tmux.start([installed_command(), "--region", "US", "linkedin"], app_env, cwd=tmp_path)
    tmux.wait_for(lambda s: "Sign in to LinkedIn" in flat(s), what="the first LinkedIn step")
    hold_key(tmux, "n", 3, 0.033)
    tmux.wait_for(lambda s: "Step 4 of 5" in s, what="the objection form step")
    tmux.press("Enter")
    tmux.type("Ada Lovelace")  # the letter asks for the name, the email and the account, then the reason
    tmux.press("Tab")
    tmux.type("ada@example.org")
    tmux.press("Tab", "Tab")
    tmux.type("I write for a living")
    tmux.press("Escape")
    hold_key(tmux, "Up", 6, 0.033)
    hold_key(tmux, "Down", 2, 0.033)
    shown = tmux.wait_for(lambda s: "Step 3 of 5" in s, what="step 3 after six Up and two Down")
    assert "Check that the switch stayed off" in flat(shown)
    tmux.press("Space")
    tmux.wait_for(lambda s: "Step 4 of 5" in s and "1 of 5 steps done" in s, what="the mark counted")

    steps = {s["id"]: s for s in progress_json(app_env, "linkedin")[0]["steps"]}
    assert {sid: s["status"] for sid, s in steps.items() if s["status"]} == {"check-switch": "done"}
    assert {sid: s["fields"] for sid, s in steps.items() if s["fields"]} == {
        "objection-form": {
            "particular_situation": "I write for a living",
            "full_name": "Ada Lovelace",
            "email": "ada@example.org",
        }
    }


def test_each_step_is_drawn_whole_in_the_terminal_whichever_way_it_is_reached(
    tmux: Tmux, app_env: dict[str, str], tmp_path: Path
) -> None:
    # Each step has its own page, and moving scrolls to it. What the terminal was sent is what
    # counts here, not what the app thinks it shows: Textual redraws only what it thinks moved,
    # and while this design was made the terminal once kept the step before (see StepView).
    tmux.start([installed_command(), "--region", "DE", "linkedin"], app_env, cwd=tmp_path)
    titles = [
        "Sign in to LinkedIn",
        'Turn off "Data for Generative AI Improvement"',
        "Check that the switch stayed off",
        "Send the Data Processing Objection Form",
        "Keep LinkedIn's reply",
    ]
    keys = [("Space", 1), ("Space", 2), ("Space", 3), ("Space", 4)]
    keys += [("p", 3), ("p", 2), ("Up", 1), ("Up", 0), ("n", 1), ("Down", 2), ("n", 3), ("Down", 4), ("Home", 0)]
    tmux.wait_for(lambda s: titles[0] in flat(s), what="the first step")
    for key, to in keys:
        tmux.press(key)
        head, title = f"Step {to + 1} of 5", titles[to]
        shown = tmux.wait_for(
            lambda s, head=head, title=title: head in s and title in flat(s), what=f"step {to + 1} after {key}"
        )
        others = [t for i, t in enumerate(titles) if i != to]
        pane = flat("\n".join(line.split("▎", 1)[-1] for line in shown.splitlines()[4:]))
        assert not any(t in pane for t in others), f"another step's title beside step {to + 1}:\n{shown}"
