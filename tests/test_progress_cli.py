"""`optout-tui progress` as a user runs it: the real command, a real store in a temporary folder."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from progress_helpers import SharedTmp, child_env, run_python

from walkthrough.catalog.loading import load_catalog
from walkthrough.content.model import step_fingerprint
from walkthrough.progress.store import ProgressStore

GUIDE = """\
name: Example Social
title: Stop Example Social training AI on your posts
summary: A guide written for these tests.
last_verified: 2026-11-01
difficulty: easy
minutes: 5
recheck_days: 90
domains: [example.com]
sources:
  - url: https://example.com/help
    title: Example help
steps:
  - id: switch-off
    kind: setting
    title: Turn off the AI switch
    body: Click the switch so it shows Off.
    link:
      url: https://example.com/settings/ai
      label: Open the setting
  - id: send-form
    kind: form
    title: Send the objection form
    body: Fill in the form and send it.
    link:
      url: https://example.com/object
      label: Open the form
    record:
      - name: case_number
        label: Case number
  - id: keep-reply
    kind: action
    title: Keep the reply
    body: Keep the email you get back.
"""


def command() -> list[str]:
    installed = Path(sys.executable).parent / "optout-tui"
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "walkthrough"]


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    guides = tmp_path / "guides"
    guides.mkdir()
    (guides / "example.yaml").write_text(GUIDE)
    # TZ fixed so the local times the command prints can be compared with the stored ones.
    return child_env(tmp_path / "data", OPTOUT_TUI_GUIDES=str(guides), TZ="UTC")


def optout(env, *args: str, stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    proc = subprocess.run([*command(), *args], capture_output=True, text=True, env=env, stdin=stdin, timeout=60)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def store_path(env) -> Path:
    return Path(env["OPTOUT_TUI_DATA_DIR"]) / "progress.sqlite3"


def example(env):
    return load_catalog([env["OPTOUT_TUI_GUIDES"]]).guides["example"]


def mark_some(env) -> dict:
    """What a user did in the app: two steps marked, a case number typed."""
    steps = {s.id: s for s in example(env).guide.steps}
    with ProgressStore(store_path(env)) as store:
        store.mark("example", "switch-off", "done", step_fingerprint(steps["switch-off"]))
        store.save_fields("example", "send-form", {"case_number": "EX-2026-981"})
        store.mark("example", "send-form", "skipped", step_fingerprint(steps["send-form"]))
        return store.steps("example")


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("optout-tui: "), proc.stderr
    return lines[0]


# ---- listing ---------------------------------------------------------------------------


def test_with_no_progress_it_says_so_and_creates_nothing(env):
    proc = optout(env, "progress")
    assert proc.returncode == 0 and "not marked any steps yet" in proc.stdout
    assert json.loads(optout(env, "progress", "--json").stdout) == []
    assert not Path(env["OPTOUT_TUI_DATA_DIR"]).exists()


def test_the_list_shows_each_step_with_what_was_done_and_when(env):
    records = mark_some(env)
    proc = optout(env, "progress")
    assert proc.returncode == 0 and proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert lines[0] == "Example Social: In progress (2 of 3)"
    switch = next(line for line in lines if "Turn off the AI switch" in line)
    assert "Done" in switch and records["switch-off"].at.strftime("%Y-%m-%d %H:%M") in switch
    form = next(line for line in lines if "Send the objection form" in line)
    assert "Skipped" in form
    assert any("Case number: EX-2026-981" in line for line in lines)
    reply = next(line for line in lines if "Keep the reply" in line)
    assert "To do" in reply


def test_json_lists_status_time_and_fields(env):
    records = mark_some(env)
    guides = json.loads(optout(env, "progress", "--json").stdout)
    assert [g["id"] for g in guides] == ["example"]
    guide = guides[0]
    assert (guide["name"], guide["state"], guide["done"], guide["total"]) == ("Example Social", "in_progress", 2, 3)
    steps = {s["id"]: s for s in guide["steps"]}
    assert steps["switch-off"]["status"] == "done"
    assert steps["switch-off"]["at"] == records["switch-off"].at.isoformat()
    assert steps["send-form"]["status"] == "skipped"
    assert steps["send-form"]["fields"] == {"case_number": "EX-2026-981"}
    assert steps["keep-reply"]["status"] is None
    assert steps["switch-off"]["title"] == "Turn off the AI switch"


def test_a_guide_whose_file_is_gone_still_shows_by_id(env):
    with ProgressStore(store_path(env)) as store:
        store.mark("vanished-platform", "old-step", "done", "0123456789abcdef")
    proc = optout(env, "progress")
    assert "vanished-platform" in proc.stdout and "old-step" in proc.stdout
    entry = json.loads(optout(env, "progress", "--json").stdout)[0]
    assert (entry["id"], entry["installed"], entry["steps"][0]["status"]) == ("vanished-platform", False, "done")


def test_a_step_changed_since_it_was_done_is_flagged(env):
    with ProgressStore(store_path(env)) as store:
        store.mark("example", "switch-off", "done", "fingerprint-of-an-older-version")
    proc = optout(env, "progress")
    assert proc.stdout.splitlines()[0] == "Example Social: Changed since you did it"
    assert "look at it again" in proc.stdout


def test_one_guide_can_be_asked_for_by_name(env):
    mark_some(env)
    with ProgressStore(store_path(env)) as store:
        store.mark("other", "s", "done", "f")
    proc = optout(env, "progress", "Example Social")
    assert proc.returncode == 0 and "Example Social" in proc.stdout and "other" not in proc.stdout


# ---- export ----------------------------------------------------------------------------


def test_export_is_a_readable_record_with_links_fields_and_history(env):
    mark_some(env)
    with ProgressStore(store_path(env)) as store:
        store.unmark("example", "switch-off")  # undone later: the record must still show it was done
        first_done = store.history("example")[0].at
    proc = optout(env, "progress", "export")
    assert proc.returncode == 0
    text = proc.stdout
    assert text.startswith("# ")
    assert "## Example Social\n\nStop Example Social training AI on your posts\n" in text
    assert "<https://example.com/object>" in text
    assert "Case number: EX-2026-981" in text
    assert "Marked not done again: Turn off the AI switch" in text
    # Dates in words, so nobody wonders whether 03/11 is March or November.
    when = f"{first_done.day} {first_done:%B %Y at %H:%M}"
    assert f"{when} (UTC+00:00): Marked done: Turn off the AI switch" in text


def test_export_as_json_holds_steps_and_history(env):
    mark_some(env)
    record = json.loads(optout(env, "progress", "export", "--format", "json").stdout)
    guide = record["guides"][0]
    assert guide["id"] == "example"
    form = next(s for s in guide["steps"] if s["id"] == "send-form")
    assert (form["status"], form["link"]) == ("skipped", "https://example.com/object")
    assert [(f["label"], f["value"]) for f in form["fields"]] == [("Case number", "EX-2026-981")]
    assert [(e["step_id"], e["action"]) for e in guide["history"]] == [("switch-off", "done"), ("send-form", "skipped")]


def test_export_to_a_file_never_overwrites_without_force(env, tmp_path):
    mark_some(env)
    target = tmp_path / "out" / "my-record.md"
    target.parent.mkdir()
    first = optout(env, "progress", "export", "-o", str(target))
    assert first.returncode == 0 and "Case number: EX-2026-981" in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # it holds personal details

    target.write_text("my own notes")
    refused = optout(env, "progress", "export", "-o", str(target))
    assert "--force" in one_line_error(refused)
    assert target.read_text() == "my own notes"

    forced = optout(env, "progress", "export", "-o", str(target), "--force")
    assert forced.returncode == 0 and "Case number" in target.read_text()
    assert sorted(p.name for p in target.parent.iterdir()) == ["my-record.md"]  # no temporary files left


def test_export_into_a_missing_folder_is_one_plain_line(env, tmp_path):
    mark_some(env)
    proc = optout(env, "progress", "export", "-o", str(tmp_path / "no" / "such" / "record.md"))
    assert "cannot write" in one_line_error(proc)


def test_export_with_nothing_saved_says_so(env):
    assert "nothing to export" in one_line_error(optout(env, "progress", "export"))


# ---- reset -----------------------------------------------------------------------------


def test_reset_with_yes_forgets_the_guide_but_keeps_the_history(env):
    mark_some(env)
    proc = optout(env, "progress", "reset", "example", "--yes")
    assert proc.returncode == 0 and "Example Social (2 steps)" in proc.stdout
    with ProgressStore(store_path(env)) as store:
        assert store.steps("example") == {}
        assert [e.action for e in store.history("example")][-2:] == ["reset", "reset"]
    assert "EX-2026-981" in optout(env, "progress", "export").stdout


def test_reset_without_a_terminal_asks_for_yes_and_changes_nothing(env):
    mark_some(env)
    line = one_line_error(optout(env, "progress", "reset", "example"))
    assert "--yes" in line
    with ProgressStore(store_path(env)) as store:
        assert len(store.steps("example")) == 2


def reset_at_a_terminal(env, answer: bytes) -> subprocess.CompletedProcess:
    leader, follower = os.openpty()
    try:
        proc = subprocess.Popen(
            [*command(), "progress", "reset", "example"],
            stdin=follower,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        os.close(follower)
        os.write(leader, answer)
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(leader)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out.decode(), err.decode())


@pytest.mark.parametrize(("answer", "kept"), [(b"y\n", 0), (b"yes\n", 0), (b"n\n", 2), (b"\n", 2)])
def test_reset_at_a_terminal_asks_first(env, answer, kept):
    mark_some(env)
    proc = reset_at_a_terminal(env, answer)
    assert proc.returncode == 0, proc.stderr
    assert "Forget your progress on Example Social (2 steps)? [y/N]" in proc.stderr
    with ProgressStore(store_path(env)) as store:
        assert len(store.steps("example")) == kept


def test_reset_of_an_unknown_guide_names_the_guides_with_progress(env):
    mark_some(env)
    line = one_line_error(optout(env, "progress", "reset", "linkdin", "--yes"))
    assert "'linkdin'" in line and "example" in line


def test_reset_without_a_guide_says_how(env):
    mark_some(env)
    assert "progress reset linkedin" in one_line_error(optout(env, "progress", "reset"))


def test_an_unknown_action_is_one_plain_line(env):
    mark_some(env)
    assert "progress export" in one_line_error(optout(env, "progress", "frobnicate", "example"))


# ---- a damaged or unusable store -------------------------------------------------------


def test_a_damaged_store_is_set_aside_and_the_command_still_works(env):
    path = store_path(env)
    path.parent.mkdir()
    path.write_bytes(b"\x00garbage" * 500)
    proc = optout(env, "progress")
    assert proc.returncode == 0
    moved = [p for p in path.parent.iterdir() if ".damaged-" in p.name]
    assert len(moved) == 1 and moved[0].read_bytes() == b"\x00garbage" * 500
    assert str(moved[0]) in proc.stderr
    assert "not marked any steps" in proc.stdout


def test_a_store_from_a_newer_version_is_refused_in_one_line_and_not_touched(env):
    mark_some(env)
    conn = sqlite3.connect(store_path(env))
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = store_path(env).read_bytes()
    for args in (["progress"], ["progress", "export"], ["progress", "reset", "example", "--yes"]):
        assert "newer version" in one_line_error(optout(env, *args))
    assert store_path(env).read_bytes() == before


CLI = """
import sys
from walkthrough.cli import main
sys.argv = ["optout-tui", *{args!r}]
raise SystemExit(main())
"""


@pytest.fixture
def shared_tmp():
    shared = SharedTmp()
    yield shared.path
    shared.cleanup()


def test_a_read_only_data_folder_is_one_plain_line(shared_tmp):
    data = shared_tmp / "data"
    guides = shared_tmp / "guides"
    guides.mkdir()
    (guides / "example.yaml").write_text(GUIDE)
    env = child_env(data, OPTOUT_TUI_GUIDES=str(guides), TZ="UTC")
    # The store is made as the unprivileged user, whose folder then becomes read-only.
    setup = (
        "import os\nfrom walkthrough.progress.store import ProgressStore\n"
        "s, _ = ProgressStore.open_default(); s.mark('example', 'switch-off', 'done', 'f'); s.close()\n"
        f"os.chmod({str(data)!r}, 0o500)\n"
    )
    proc = run_python(setup + CLI.format(args=["progress", "reset", "example", "--yes"]), env, unprivileged=True)
    assert "Traceback" not in proc.stderr
    assert "read-only" in one_line_error(proc)
    os.chmod(data, 0o700)
    with ProgressStore(data / "progress.sqlite3") as store:
        assert set(store.steps("example")) == {"switch-off"}


def test_the_command_does_not_wait_forever_for_a_busy_store(env):
    """Another window holding the write lock: the command waits a little, then says so plainly."""
    mark_some(env)
    holder = sqlite3.connect(store_path(env), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        proc = optout(env, "progress", "reset", "example", "--yes")
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "busy" in one_line_error(proc)
    assert waited < 20


def test_help_names_the_actions(env):
    proc = optout(env, "progress", "--help")
    assert proc.returncode == 0 and "export" in proc.stdout and "reset" in proc.stdout


def test_nothing_else_is_left_in_the_data_folder(env):
    mark_some(env)
    optout(env, "progress")
    optout(env, "progress", "export")
    names = sorted(p.name for p in store_path(env).parent.iterdir())
    assert names == ["progress.sqlite3"]
    shutil.rmtree(store_path(env).parent)
