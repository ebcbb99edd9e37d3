"""The progress store never adopts another program's database, and still reads when it cannot write (item 10).

Read-only and full disks are real here: a small tmpfs mounted for the test
(remounted read-only, or filled up), which needs root; where mounting is not
allowed the test is skipped and says why.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from walkthrough import cli
from walkthrough.progress.store import ProgressStore, StoreError
from walkthrough.tui.app import make_app

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = datetime.date(2026, 11, 22)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def foreign(path: Path, *, version: int = 0, tables: tuple[str, ...] = ("notes",), wal: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    for table in tables:
        conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute(f"INSERT INTO {table} (body) VALUES ('the other program''s data')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path


FOREIGN = {
    "another program's tables": dict(version=0, tables=("notes",)),
    "tables and a WAL": dict(version=0, tables=("notes", "tags"), wal=True),
    "our version number, other tables": dict(version=1, tables=("mark", "notes")),
    "one of our table names only": dict(version=0, tables=("setting",)),
}


@pytest.mark.parametrize("variant", sorted(FOREIGN))
def test_another_programs_database_is_refused_and_left_untouched(variant, data_dir):
    path = foreign(data_dir / "progress.sqlite3", **FOREIGN[variant])
    before = sha(path)
    probe = sqlite3.connect(path)
    mode = probe.execute("PRAGMA journal_mode").fetchone()[0]
    probe.close()
    with pytest.raises(StoreError, match="not an optout-tui progress file") as refused:
        ProgressStore.open_default()
    assert str(path) in str(refused.value)
    assert sha(path) == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == mode
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "history" not in names
    conn.close()
    assert sorted(p.name for p in data_dir.iterdir()) == ["progress.sqlite3"]


def test_the_commands_say_so_in_one_line(data_dir, capsys):
    foreign(data_dir / "progress.sqlite3")
    assert cli.main(["progress"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "another program's database" in err
    assert cli.main(["app"]) == 1
    assert "another program's database" in capsys.readouterr().err


def test_an_empty_sqlite_file_is_still_a_new_store(data_dir):
    path = data_dir / "progress.sqlite3"
    data_dir.mkdir()
    sqlite3.connect(path).close()  # SQLite makes a 0-byte file
    store, notice = ProgressStore.open_default()
    store.mark("g", "s", "done", "fp")
    assert notice is None and store.steps("g")["s"].status == "done"
    store.close()


# ---- read-only and full disks --------------------------------------------------------------


@contextlib.contextmanager
def tmpfs(where: Path, size: str = "512k"):
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)])
    if done.returncode != 0:
        pytest.skip("cannot mount a small file system here (needs root); read-only and full disks are not tried")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path) -> None:
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"x" * 4096)
    except OSError:
        pass
    try:
        while True:
            os.write(fd, b"x")
    except OSError:
        pass
    os.close(fd)


@pytest.fixture(params=["read-only", "full"])
def stuck_store(request, tmp_path, monkeypatch):
    """A store with a marked step and a saved case number, on a disk that then cannot be written."""
    with tmpfs(tmp_path / "disk") as disk:
        data = disk / "data"
        monkeypatch.setenv("OPTOUT_TUI_DATA_DIR", str(data))
        guides = tmp_path / "guides"
        shutil.copytree(FIXTURES / "app", guides)
        with ProgressStore(data / "progress.sqlite3") as store:
            store.mark("alpha", "sign-in", "done", "fp")
            store.save_fields("alpha", "object", {"case_number": "EX-42"})
            store.set_setting("region_asked", "yes")
        if request.param == "read-only":
            subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        else:
            fill(disk)
        yield request.param, data, guides


def test_a_store_that_cannot_be_written_opens_read_only_and_says_where_and_what_to_do(stuck_store):
    kind, data, _ = stuck_store
    store, notice = ProgressStore.open_default()
    try:
        assert store.read_only
        assert store.steps("alpha")["sign-in"].status == "done"
        assert store.steps("alpha")["object"].fields == {"case_number": "EX-42"}
        assert notice is not None and str(data) in notice
        assert ("disk is full" in notice) if kind == "full" else ("read-only" in notice)
        assert "export" in notice and "To fix it" in notice
        assert "Traceback" not in notice and "sqlite" not in notice.lower()
        with pytest.raises(StoreError, match="was not saved"):
            store.mark("alpha", "turn-off", "done", "fp")
    finally:
        store.close()


def test_progress_and_export_read_a_store_that_cannot_be_written(stuck_store, tmp_path, capsys):
    kind, data, guides = stuck_store
    assert cli.main(["progress", "--guides-dir", str(guides)]) == 0
    out, err = capsys.readouterr()
    assert "Sign in to Alpha Social" in out
    assert str(data) in err
    target = tmp_path / "record.md"
    assert cli.main(["progress", "export", "--guides-dir", str(guides), "-o", str(target)]) == 0
    assert "EX-42" in target.read_text()


async def test_the_app_starts_on_a_store_that_cannot_be_written_and_says_so(stuck_store):
    kind, data, guides = stuck_store
    app = make_app([str(guides)], bundled=False, today=TODAY, region="DE")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        shown = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "cannot save your progress" in shown
        assert app.country == "DE"  # used for this run, though it cannot be kept
        app.open_guide("alpha")
        await pilot.pause()
        await pilot.press("down", "space")
        await pilot.pause()
        assert any("was not saved" in n.message for n in app._notifications)
