"""The progress store against real SQLite files: normal use, and everything that goes wrong on real disks."""

from __future__ import annotations

import datetime
import hashlib
import os
import signal
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from progress_helpers import SharedTmp, child_env, last_json, run_python

from walkthrough.progress.store import SCHEMA_VERSION, ProgressStore, StepRecord, StoreError


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("OPTOUT_TUI_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def shared_tmp():
    shared = SharedTmp()
    yield shared.path
    shared.cleanup()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damaged_files(folder: Path) -> list[Path]:
    """The set-aside databases (their -wal and -shm companions travel with them)."""
    return sorted(p for p in folder.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm")))


def leftovers(folder: Path) -> list[str]:
    """Every file that has been set aside, companions included."""
    return sorted(p.name for p in folder.iterdir() if ".damaged-" in p.name)


def a_store_with_progress(folder: Path) -> Path:
    """A real store with a few rows, closed cleanly (so the whole of it is in the main file)."""
    folder.mkdir(parents=True, exist_ok=True)
    with ProgressStore(folder / "progress.sqlite3") as store:
        for n in range(40):
            store.mark("linkedin", f"step-{n}", "done", "f" * 16)
            store.save_fields("linkedin", f"step-{n}", {"case_number": "X" * 200})
    return folder / "progress.sqlite3"


# ---- what the user does ------------------------------------------------------------------


def test_a_mark_is_there_when_the_store_is_opened_again(data_dir):
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    store, notice = ProgressStore.open_default()
    store.mark("linkedin", "turn-off-ai-data", "done", "abc123")
    store.mark("linkedin", "objection-form", "skipped", "def456")
    store.close()
    after = datetime.datetime.now(datetime.timezone.utc)

    assert notice is None
    again, _ = ProgressStore.open_default()
    steps = again.steps("linkedin")
    assert set(steps) == {"turn-off-ai-data", "objection-form"}
    done = steps["turn-off-ai-data"]
    assert (done.status, done.fingerprint, done.fields) == ("done", "abc123", {})
    assert done.at.tzinfo is not None and done.at.utcoffset() == datetime.timedelta(0)
    assert before <= done.at <= after
    assert steps["objection-form"].status == "skipped"
    assert again.steps("reddit") == {}
    again.close()


def test_marking_again_moves_the_time_and_fingerprint_on(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.mark("g", "s", "skipped", "old")
    store.mark("g", "s", "done", "new")
    record = store.steps("g")["s"]
    assert (record.status, record.fingerprint) == ("done", "new")
    assert [e.action for e in store.history("g")] == ["skipped", "done"]


def test_unmark_makes_a_step_not_done_but_keeps_what_was_typed(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.save_fields("linkedin", "objection-form", {"date_sent": "2026-11-20", "case_number": "LI-123"})
    store.mark("linkedin", "objection-form", "done", "fp")
    store.unmark("linkedin", "objection-form")
    assert store.steps("linkedin") == {
        "objection-form": StepRecord(None, None, None, {"date_sent": "2026-11-20", "case_number": "LI-123"})
    }
    # The history still proves it was done once, with what had been typed then.
    events = store.history("linkedin")
    assert [e.action for e in events] == ["done", "unmarked"]
    assert events[0].fields == {"date_sent": "2026-11-20", "case_number": "LI-123"}


def test_unmarking_a_step_that_was_never_marked_changes_nothing(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.unmark("g", "never")
    assert store.steps("g") == {} and store.history() == []


def test_save_fields_merges_and_an_empty_value_removes_a_field(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.save_fields("g", "s", {"date_sent": "2026-11-01", "case_number": "A"})
    store.save_fields("g", "s", {"case_number": "B", "note": "called"})
    store.save_fields("g", "s", {"date_sent": ""})
    assert store.steps("g")["s"].fields == {"case_number": "B", "note": "called"}
    assert store.steps("g")["s"].status is None


def test_text_is_kept_exactly_whatever_it_contains(tmp_path):
    odd = 'Zoë O\'Brien; DROP TABLE mark; -- 名前 \n\t"quoted" \U0001f600'
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.save_fields("g", "s", {"full_name": odd})
    store.remember_answers({"full_name": odd})
    store.close()
    again = ProgressStore(tmp_path / "p.sqlite3")
    assert again.steps("g")["s"].fields == {"full_name": odd}
    assert again.answers() == {"full_name": odd}


def test_all_groups_by_guide(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.mark("linkedin", "a", "done", "1")
    store.mark("reddit", "b", "skipped", "2")
    store.save_fields("reddit", "c", {"x": "y"})
    everything = store.all()
    assert set(everything) == {"linkedin", "reddit"}
    assert set(everything["reddit"]) == {"b", "c"}
    assert everything["reddit"]["c"].status is None


def test_reset_forgets_one_guide_and_keeps_the_proof_in_the_history(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.mark("linkedin", "a", "done", "1")
    store.mark("linkedin", "b", "done", "2")
    store.save_fields("linkedin", "c", {"case_number": "LI-9"})  # typed, not marked: still progress
    store.mark("reddit", "a", "done", "3")

    assert store.reset("linkedin") == 3
    assert store.steps("linkedin") == {}
    assert set(store.steps("reddit")) == {"a"}
    resets = [e for e in store.history("linkedin") if e.action == "reset"]
    assert {e.step_id: e.fields for e in resets} == {"a": {}, "b": {}, "c": {"case_number": "LI-9"}}
    assert store.reset("linkedin") == 0


def test_answers_are_remembered_across_guides_and_an_empty_one_is_forgotten(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    assert store.answers() == {}
    store.remember_answers({"full_name": "Ada Lovelace", "email": "ada@example.org"})
    store.remember_answers({"email": ""})
    assert store.answers() == {"full_name": "Ada Lovelace"}


def test_settings_are_kept_and_none_removes_one(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    assert store.get_setting("region") is None
    store.set_setting("region", "DE")
    store.close()
    store = ProgressStore(tmp_path / "p.sqlite3")
    assert store.get_setting("region") == "DE"
    store.set_setting("region", None)
    assert store.get_setting("region") is None


def test_an_unknown_status_is_refused(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    with pytest.raises(ValueError):
        store.mark("g", "s", "finished", "fp")  # type: ignore[arg-type]
    assert store.steps("g") == {}


def test_a_closed_store_says_so_in_words(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.close()
    store.close()  # twice is fine
    with pytest.raises(StoreError, match="closed"):
        store.mark("g", "s", "done", "fp")


# ---- privacy ---------------------------------------------------------------------------


def test_files_are_private_to_the_user(data_dir):
    store, _ = ProgressStore.open_default()
    store.mark("g", "s", "done", "fp")
    path = data_dir / "progress.sqlite3"
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    wal = Path(f"{path}-wal")
    assert wal.exists(), "WAL mode: the -wal file exists while the store is open"
    assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    store.close()


def test_an_existing_data_folder_keeps_its_mode(tmp_path, monkeypatch):
    folder = tmp_path / "mine"
    folder.mkdir(mode=0o750)
    folder.chmod(0o750)
    monkeypatch.setenv("OPTOUT_TUI_DATA_DIR", str(folder))
    ProgressStore.open_default()[0].close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o750


def test_the_store_uses_wal_mode_and_records_its_schema_version(tmp_path):
    ProgressStore(tmp_path / "p.sqlite3").close()
    conn = sqlite3.connect(tmp_path / "p.sqlite3")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_opening_a_current_store_writes_nothing(tmp_path):
    path = a_store_with_progress(tmp_path)
    before = (sha(path), path.stat().st_mtime_ns)
    store = ProgressStore(path)
    assert store.steps("linkedin")
    store.close()
    assert (sha(path), path.stat().st_mtime_ns) == before


# ---- damaged and strange files ----------------------------------------------------------


def test_a_file_that_is_not_a_database_is_set_aside_untouched(data_dir):
    data_dir.mkdir()
    path = data_dir / "progress.sqlite3"
    path.write_bytes(b"These are my notes, not a database.\n" * 50)
    original = sha(path)

    store, notice = ProgressStore.open_default()

    moved = damaged_files(data_dir)
    assert len(moved) == 1 and moved[0].name.startswith("progress.sqlite3.damaged-")
    assert sha(moved[0]) == original
    assert notice is not None and str(moved[0]) in notice and "Traceback" not in notice
    store.mark("g", "s", "done", "fp")  # the fresh store works
    assert store.steps("g")["s"].status == "done"
    store.close()


@pytest.mark.parametrize("keep", [10, 100, 4096, 3 * 4096 + 17, -4096])
def test_a_truncated_database_is_set_aside_untouched(data_dir, keep):
    path = a_store_with_progress(data_dir)
    data = path.read_bytes()
    path.write_bytes(data[:keep])
    truncated = sha(path)

    store, notice = ProgressStore.open_default()

    moved = damaged_files(data_dir)
    assert len(moved) == 1 and sha(moved[0]) == truncated
    assert str(moved[0]) in notice
    assert store.all() == {}
    store.close()


def test_setting_aside_twice_in_the_same_second_overwrites_nothing(data_dir):
    data_dir.mkdir()
    path = data_dir / "progress.sqlite3"
    contents = []
    for n in range(3):
        path.write_bytes(f"garbage number {n}".encode() * 100)
        contents.append(sha(path))
        ProgressStore.open_default()[0].close()
    assert sorted(sha(p) for p in damaged_files(data_dir)) == sorted(contents)


def test_a_stale_wal_goes_aside_with_its_database(data_dir):
    path = a_store_with_progress(data_dir)
    wal = Path(f"{path}-wal")
    wal.write_bytes(b"left over" * 100)
    path.write_bytes(b"not a database" * 100)

    ProgressStore.open_default()[0].close()

    moved = damaged_files(data_dir)
    assert len(moved) == 1
    assert Path(f"{moved[0]}-wal").read_bytes() == b"left over" * 100


def test_a_zero_byte_file_becomes_an_empty_store_without_a_notice(data_dir):
    # Nothing in it could be lost, so there is nothing to set aside or warn about.
    data_dir.mkdir()
    (data_dir / "progress.sqlite3").write_bytes(b"")
    store, notice = ProgressStore.open_default()
    assert notice is None and leftovers(data_dir) == []
    store.mark("g", "s", "done", "fp")
    assert store.steps("g")["s"].status == "done"
    store.close()


def test_damage_found_while_in_use_sets_the_file_aside_and_says_where(tmp_path):
    path = a_store_with_progress(tmp_path)
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'mark'").fetchone()[0]
    conn.close()
    # Scribble over the table's first page but leave page 1 (the header and schema) alone,
    # so opening succeeds and the damage shows only when the table is read.
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xa5" * page_size)

    store = ProgressStore(path)
    with pytest.raises(StoreError) as caught:
        store.steps("linkedin")
    moved = damaged_files(tmp_path)
    assert len(moved) == 1 and str(moved[0]) in str(caught.value)
    store.mark("g", "s", "done", "fp")  # carries on with a fresh file
    assert store.steps("g")["s"].status == "done"
    store.close()


def test_a_store_from_a_newer_version_is_refused_and_left_alone(data_dir):
    path = a_store_with_progress(data_dir)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = sha(path)

    with pytest.raises(StoreError, match="newer version of optout-tui") as caught:
        ProgressStore.open_default()

    assert str(path) in str(caught.value)
    assert sha(path) == before
    assert leftovers(data_dir) == []


def test_a_data_folder_that_is_a_file_is_explained(tmp_path, monkeypatch):
    blocker = tmp_path / "data"
    blocker.write_text("I am a file")
    monkeypatch.setenv("OPTOUT_TUI_DATA_DIR", str(blocker / "inner"))
    with pytest.raises(StoreError, match="cannot create the folder") as caught:
        ProgressStore.open_default()
    assert str(blocker / "inner") in str(caught.value)
    assert blocker.read_text() == "I am a file"


def test_a_progress_file_that_is_a_folder_is_explained_and_not_moved(data_dir):
    (data_dir / "progress.sqlite3").mkdir(parents=True)
    with pytest.raises(StoreError, match="cannot be opened"):
        ProgressStore.open_default()
    assert (data_dir / "progress.sqlite3").is_dir() and leftovers(data_dir) == []


PROBE = """
import json
from walkthrough.progress.store import ProgressStore, StoreError
try:
    store, notice = ProgressStore.open_default()
    store.mark("g", "s", "done", "fp")
    print(json.dumps({"ok": True}))
except StoreError as exc:
    print(json.dumps({"ok": False, "message": str(exc)}))
"""


def test_a_read_only_data_folder_without_a_store_is_explained(shared_tmp):
    data = shared_tmp / "data"
    code = f"import os; os.mkdir({str(data)!r}, 0o500)\n" + PROBE
    result = last_json(run_python(code, child_env(data), unprivileged=True))
    assert result["ok"] is False
    assert str(data / "progress.sqlite3") in result["message"]
    assert not (data / "progress.sqlite3").exists()


def test_a_read_only_data_folder_with_a_store_is_explained_and_left_alone(shared_tmp):
    data = shared_tmp / "data"
    # The child makes the store as the unprivileged user, then locks its own folder.
    code = (
        f"import os\nfrom walkthrough.progress.store import ProgressStore\nos.environ['OPTOUT_TUI_DATA_DIR'] = {str(data)!r}\n"
        "s, _ = ProgressStore.open_default(); s.mark('g', 'first', 'done', 'fp'); s.close()\n"
        f"os.chmod({str(data)!r}, 0o500)\n" + PROBE
    )
    result = last_json(run_python(code, child_env(data), unprivileged=True))
    assert result["ok"] is False
    assert "progress" in result["message"] and "Traceback" not in result["message"]
    assert leftovers(data) == []
    os.chmod(data, 0o700)
    with ProgressStore(data / "progress.sqlite3") as store:
        assert set(store.steps("g")) == {"first"}


def test_an_unreadable_store_is_explained_and_not_set_aside(shared_tmp):
    data = shared_tmp / "data"
    code = (
        f"import os\nfrom walkthrough.progress.store import ProgressStore\nos.environ['OPTOUT_TUI_DATA_DIR'] = {str(data)!r}\n"
        "s, _ = ProgressStore.open_default(); s.mark('g', 'first', 'done', 'fp'); s.close()\n"
        f"os.chmod({str(data / 'progress.sqlite3')!r}, 0)\n" + PROBE
    )
    result = last_json(run_python(code, child_env(data), unprivileged=True))
    assert result["ok"] is False
    assert str(data / "progress.sqlite3") in result["message"]
    assert (data / "progress.sqlite3").exists() and leftovers(data) == []


# ---- two windows, crashes ----------------------------------------------------------------


def test_two_connections_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "p.sqlite3"
    ProgressStore(path).close()
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def writer(name: str) -> None:
        try:
            with ProgressStore(path) as store:
                start.wait()
                for n in range(100):
                    store.mark(name, f"step-{n}", "done", "fp")
                    store.save_fields(name, f"step-{n}", {"n": str(n)})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("linkedin", "reddit")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    with ProgressStore(path) as store:
        everything = store.all()
        assert {g: len(s) for g, s in everything.items()} == {"linkedin": 100, "reddit": 100}
        assert everything["reddit"]["step-99"].fields == {"n": "99"}
        assert len(store.history()) == 200


WRITER = """
import sys
from walkthrough.progress.store import ProgressStore
store, _ = ProgressStore.open_default()
for n in range(150):
    store.mark(sys.argv[1], f"step-{n}", "done", "fp")
store.close()
print('{"ok": true}')
"""


def test_two_processes_writing_at_once_lose_nothing(data_dir):
    import subprocess
    import sys

    env = child_env(data_dir)
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, name], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for name in ("linkedin", "reddit", "meta")
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    with ProgressStore(data_dir / "progress.sqlite3") as store:
        assert {g: len(s) for g, s in store.all().items()} == {"linkedin": 150, "reddit": 150, "meta": 150}


def test_a_mark_survives_the_process_being_killed_right_after(data_dir):
    code = (
        "import os, signal\nfrom walkthrough.progress.store import ProgressStore\n"
        "store, _ = ProgressStore.open_default()\n"
        "store.save_fields('linkedin', 'objection-form', {'case_number': 'LI-42'})\n"
        "store.mark('linkedin', 'objection-form', 'done', 'fp')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = run_python(code, child_env(data_dir))
    assert proc.returncode == -signal.SIGKILL
    with ProgressStore(data_dir / "progress.sqlite3") as store:
        record = store.steps("linkedin")["objection-form"]
        assert (record.status, record.fields) == ("done", {"case_number": "LI-42"})
