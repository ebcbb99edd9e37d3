"""The user's record of what they did: one SQLite file, every action committed at once.

This is the only copy of something the user may need later (when they sent an
objection, its case number), so the rules are strict:

- every write is its own committed transaction (WAL mode, synchronous=FULL):
  a crash or a kill right after `mark` returns loses nothing;
- two windows may use the file at once: writes take the lock up front
  (BEGIN IMMEDIATE) and wait for each other (busy timeout);
- a file we cannot read as a database is renamed aside, never deleted or
  overwritten; a file from a newer version of the app, or another program's
  database, is left untouched;
- when nothing can be written (a read-only folder, a full disk) the store
  opens read-only: what was saved can still be seen and exported, and every
  write says plainly why it was not saved;
- every SQLite error becomes a `StoreError` with a message a person can act on.

No Textual and no network here; opening is a connect plus one user_version
read when the schema is current, because it runs before the first screen.
"""

from __future__ import annotations

import datetime
import errno
import json
import os
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NoReturn, TypeVar

from walkthrough import paths

StepStatus = Literal["done", "skipped"]
STATUSES: tuple[str, ...] = ("done", "skipped")

BUSY_TIMEOUT_SECONDS = 5.0  # a save takes milliseconds; longer means another window is stuck

SCHEMA_VERSION = 2
# Our tables: a database with user_version >= 1 that lacks one of them belongs to another program.
OUR_TABLES = frozenset({"mark", "field", "history", "answer", "setting"})
# errno values that mean "you cannot write here", as opposed to "this path is wrong".
_CANNOT_WRITE = frozenset({errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT})

# MIGRATIONS[n] takes a store at version n-1 to version n. Never edit a shipped
# entry: users have files made by it. Add a new one and raise SCHEMA_VERSION.
MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE mark (
            guide_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('done', 'skipped')),
            at TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            PRIMARY KEY (guide_id, step_id)
        ) WITHOUT ROWID""",
        """CREATE TABLE field (
            guide_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (guide_id, step_id, name)
        )""",  # a rowid table: fields come back in the order they were first typed
        # Append-only: the proof of what was done and when, kept after an undo or a reset.
        """CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            guide_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('done', 'skipped', 'unmarked', 'reset')),
            fingerprint TEXT,
            fields TEXT NOT NULL DEFAULT '{}'
        )""",
        "CREATE INDEX history_guide ON history (guide_id, id)",
        "CREATE TABLE answer (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
        "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    ],
    # Letters as copied and replies as recorded: append-only, kept after an undo or a reset (they are the proof).
    2: [
        """CREATE TABLE letter (
            id INTEGER PRIMARY KEY,
            guide_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            at TEXT NOT NULL,
            recipient TEXT,
            subject TEXT,
            text TEXT NOT NULL,
            law TEXT,
            country TEXT
        )""",
        "CREATE INDEX letter_step ON letter (guide_id, step_id, id)",
        """CREATE TABLE reply (
            id INTEGER PRIMARY KEY,
            guide_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            received_on TEXT NOT NULL,
            said TEXT NOT NULL DEFAULT '',
            case_number TEXT NOT NULL DEFAULT '',
            more_time INTEGER NOT NULL DEFAULT 0 CHECK (more_time IN (0, 1)),
            at TEXT NOT NULL
        )""",
        "CREATE INDEX reply_step ON reply (guide_id, step_id, id)",
    ],
}

HistoryAction = Literal["done", "skipped", "unmarked", "reset"]


@dataclass(frozen=True)
class StepRecord:
    status: StepStatus | None  # None: fields saved but the step is not marked
    at: datetime.datetime | None  # when it was last marked (timezone-aware, UTC)
    fingerprint: str | None  # walkthrough.model.step_fingerprint(step) when it was marked
    fields: dict[str, str] = field(default_factory=dict)  # record fields and template answers typed on this step


@dataclass(frozen=True)
class HistoryEvent:
    """One line of the append-only history: what happened to a step, and when."""

    at: datetime.datetime  # timezone-aware, UTC
    guide_id: str
    step_id: str
    action: HistoryAction  # "reset": the step's progress was forgotten (its fields are kept here)
    fingerprint: str | None
    fields: dict[str, str]  # the step's fields at that moment


class StoreError(Exception):
    """The progress store cannot be used; the message is plain words for the user."""


class _CannotWrite(StoreError):
    """Nothing can be written where the store lives; `why` says why in a few plain words."""

    def __init__(self, message: str, why: str):
        super().__init__(message)
        self.why = why


class _Damaged(StoreError):
    """The file was not a usable database and has been moved to `moved`."""

    def __init__(self, moved: Path):
        super().__init__(
            f"Your progress file was damaged and could not be read. It was moved to {moved}; nothing was deleted."
        )
        self.moved = moved


# ---- where the file lives ---------------------------------------------------


Clock = Callable[[], datetime.datetime]
W = TypeVar("W")


def utc_now() -> datetime.datetime:
    """The store's default clock: now, in UTC, to the second."""
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def _parse_time(text: str) -> datetime.datetime:
    value = datetime.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)


# ---- turning SQLite's errors into words --------------------------------------

_CORRUPT, _NOTADB = 11, 26
_CODE_WORDS = {  # for Python 3.10, whose sqlite3 errors carry no code
    "malformed": _CORRUPT,
    "not a database": _NOTADB,
    "readonly": 8,
    "read-only": 8,
    "locked": 5,
    "disk is full": 13,
    "disk i/o": 10,
    "unable to open": 14,
}


def _code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF  # the primary code; extended codes add bits above
    text = str(exc).lower()
    return next((c for words, c in _CODE_WORDS.items() if words in text), None)


def _is_damage(exc: sqlite3.Error) -> bool:
    return _code(exc) in (_CORRUPT, _NOTADB)


def _explain(exc: sqlite3.Error, path: Path) -> str:
    code = _code(exc)
    if code in (_CORRUPT, _NOTADB):
        return f"Your progress file {path} is damaged and cannot be read."
    if code in (5, 6):
        return (
            "Your progress file is busy: another optout-tui window is saving. "
            "Try again in a moment, or close the other window."
        )
    if code == 8:
        return f"optout-tui cannot use your progress file {path}: the file or its folder is read-only."
    if code == 13:
        return "Your progress cannot be saved: the disk is full. Free some space and try again."
    if code in (3, 23):
        return f"optout-tui is not allowed to use your progress file {path}. Check its permissions."
    if code == 14:
        return (
            f"Your progress file {path} cannot be opened. "
            f"Check that the folder {path.parent} exists and that you may write in it."
        )
    if code == 10:
        return f"Your progress file {path} could not be read or written (a disk error)."
    return f"Your progress file {path} could not be used ({exc})."


# ---- the store --------------------------------------------------------------


class ProgressStore:
    """The progress file. `clock` says when things happen (tests pass their own)."""

    def __init__(self, path: Path, *, clock: Clock = utc_now):
        self.path = Path(path)
        self._clock = clock
        self._lock = threading.Lock()  # the app may call from worker threads
        self._conn: sqlite3.Connection | None = None
        self.read_only: str | None = None  # why nothing can be saved, when that is so
        self._open()

    @classmethod
    def open_default(cls, *, clock: Clock = utc_now) -> tuple[ProgressStore, str | None]:
        """Open the user's store ($OPTOUT_TUI_DATA_DIR or platformdirs.user_data_path("optout-tui"),
        file progress.sqlite3). If the file exists but is not a usable database, move it aside to
        progress.sqlite3.damaged-YYYYmmdd-HHMMSS, start a fresh one, and return a plain-language notice
        naming where the old file now is. The notice is None when all was well."""
        path = paths.progress_file()
        try:
            store = cls(path, clock=clock)
        except _Damaged as damaged:
            return cls(path, clock=clock), _damaged_notice(damaged.moved)
        return store, store.read_only_notice()

    def read_only_notice(self) -> str | None:
        """What to tell the user when nothing can be saved: where, why, and what to do, in plain words."""
        if self.read_only is None:
            return None
        fix = (
            "free some space on the disk"
            if "full" in self.read_only
            else "ask whoever looks after this computer to let you save files in that folder"
        )
        return (
            f"optout-tui cannot save your progress in {self.path.parent}: {self.read_only}. "
            f"You can still see and export what you did; new steps will not be kept. To fix it, {fix}, "
            "then start optout-tui again."
        )

    # -- opening

    def _open(self) -> None:
        try:
            self._open_writable()
        except _CannotWrite as cannot:
            self._open_read_only(cannot)

    def _open_writable(self) -> None:
        _make_dir(self.path.parent)
        _create_private(self.path)
        # SQLite opens a file it cannot write without complaint and fails at the first save;
        # asked first, the user hears before doing a step, not after.
        why = _write_blocker(self.path)
        if why:
            raise _CannotWrite(f"Your progress file {self.path} cannot be written ({why}).", why)
        if not _looks_like_sqlite(self.path):
            # Decided before SQLite touches it: closing a connection to a file it cannot read
            # deletes the -wal beside it, and that may hold the user's latest steps.
            raise _Damaged(_set_aside(self.path))
        try:
            # isolation_level=None: we write BEGIN/COMMIT ourselves, so nothing is left uncommitted.
            conn = sqlite3.connect(
                str(self.path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(_explain(exc, self.path)) from None
        try:
            # FULL: a mark survives a power cut, not only a crash. Costs one fsync per action.
            conn.execute("PRAGMA synchronous = FULL")
            version = self._check_ours(conn)
            if version < SCHEMA_VERSION:
                self._migrate(conn)
        except sqlite3.Error as exc:
            if _is_damage(exc):
                # Move the files before closing: SQLite deletes the -wal by name when it closes.
                moved = _set_aside(self.path, conn)
                raise _Damaged(moved) from None
            conn.close()
            why = _cannot_write_words(exc)
            if why:
                raise _CannotWrite(_explain(exc, self.path), why) from None
            raise StoreError(_explain(exc, self.path)) from None
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    def _check_ours(self, conn: sqlite3.Connection) -> int:
        """The file's schema version, once it is known to be ours; StoreError (file untouched) if not."""
        # Both read in one snapshot: another window creating the store between the two reads
        # (its tables and version are committed together) made a new store look foreign.
        conn.execute("BEGIN")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"Your progress file {self.path} was made by a newer version of optout-tui. "
                "Update optout-tui to use it. The file was not changed."
            )
        # A new store is empty; one of ours at version 1 or later has all our tables. Anything else
        # is another program's database: adding our tables or switching it to WAL would change it.
        if (version == 0 and tables) or (version > 0 and not tables >= OUR_TABLES):
            raise StoreError(
                f"The file {self.path} is not an optout-tui progress file: it is another program's database. "
                f"It was left as it is. Move it elsewhere, or set {paths.ENV_DATA_DIR} to another folder "
                "for your progress."
            )
        return version

    def _open_read_only(self, cannot: _CannotWrite) -> None:
        """Open what is there without writing anything, or an empty store when nothing is there yet."""
        conn: sqlite3.Connection | None = None
        if not self.path.exists() or self.path.stat().st_size == 0:  # nothing saved yet
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            for statement in (s for target in range(1, SCHEMA_VERSION + 1) for s in MIGRATIONS[target]):
                conn.execute(statement)
        else:
            uri = "file:" + urllib.parse.quote(str(self.path.resolve()))
            # mode=ro still needs the -shm file of a WAL database; immutable reads the file as it
            # is when even that cannot be made (a read-only folder). Our store checkpoints its WAL
            # into the file when it closes, so the file holds everything unless a crash cut it short.
            for flags in ("?mode=ro", "?immutable=1"):
                try:
                    conn = sqlite3.connect(uri + flags, uri=True, isolation_level=None, check_same_thread=False)
                    if self._check_ours(conn) != SCHEMA_VERSION:
                        conn.close()
                        raise cannot  # an older file needs its upgrade written first
                    break
                except sqlite3.Error:
                    if conn is not None:
                        conn.close()
                    conn = None
            if conn is None:
                raise StoreError(str(cannot)) from None
        self._conn = conn
        self.read_only = cannot.why

    def _migrate(self, conn: sqlite3.Connection) -> None:
        # journal_mode cannot change inside a transaction; it is stored in the file, so once is enough.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Read again under the write lock: another window may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[target]:
                    conn.execute(statement)
            if version < SCHEMA_VERSION:
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- running statements

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._connection().execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                self._fail(exc)

    def _write(self, work: Callable[[sqlite3.Connection], W]) -> W:
        """Run `work(conn)` in one committed transaction; take the write lock first."""
        if self.read_only is not None:
            raise StoreError(
                f"This was not saved: optout-tui cannot write your progress file {self.path} "
                f"({self.read_only}). What was saved before is still there."
            )
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    result = work(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                return result
            except sqlite3.Error as exc:
                self._fail(exc)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("The progress store was closed.")
        return self._conn

    def _fail(self, exc: sqlite3.Error) -> NoReturn:
        if isinstance(exc, (sqlite3.ProgrammingError, sqlite3.InterfaceError)):
            raise exc  # our bug, not the user's file
        if not _is_damage(exc):
            raise StoreError(_explain(exc, self.path)) from None
        # Damaged while in use: set it aside now and carry on with a fresh file,
        # so the user is not stuck with a store that fails on every key press.
        conn, self._conn = self._conn, None
        moved = _set_aside(self.path, conn)
        self._open()
        raise StoreError(_damaged_notice(moved) + " What you just did was not saved: please do it again.") from None

    # -- steps

    def mark(self, guide_id: str, step_id: str, status: StepStatus, fingerprint: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
        at = self._clock().isoformat()

        def work(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO mark (guide_id, step_id, status, at, fingerprint) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (guide_id, step_id) DO UPDATE SET "
                "status = excluded.status, at = excluded.at, fingerprint = excluded.fingerprint",
                (guide_id, step_id, status, at, fingerprint),
            )
            _log(conn, at, guide_id, step_id, status, fingerprint)

        self._write(work)

    def unmark(self, guide_id: str, step_id: str) -> None:
        """The step is "not done" again; its fields stay, and the history keeps the earlier mark."""
        at = self._clock().isoformat()

        def work(conn: sqlite3.Connection) -> None:
            gone = conn.execute("DELETE FROM mark WHERE guide_id = ? AND step_id = ?", (guide_id, step_id))
            if gone.rowcount:
                _log(conn, at, guide_id, step_id, "unmarked", None)

        self._write(work)

    def save_fields(self, guide_id: str, step_id: str, fields: dict[str, str]) -> None:
        """Merge into what is saved; an empty value removes that field."""

        def work(conn: sqlite3.Connection) -> None:
            for name, value in fields.items():
                if value == "":
                    conn.execute(
                        "DELETE FROM field WHERE guide_id = ? AND step_id = ? AND name = ?", (guide_id, step_id, name)
                    )
                else:
                    conn.execute(
                        "INSERT INTO field (guide_id, step_id, name, value) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (guide_id, step_id, name) DO UPDATE SET value = excluded.value",
                        (guide_id, step_id, name, str(value)),
                    )

        self._write(work)

    def steps(self, guide_id: str) -> dict[str, StepRecord]:
        return self._records(guide_id).get(guide_id, {})

    def all(self) -> dict[str, dict[str, StepRecord]]:
        return self._records(None)

    def _records(self, guide_id: str | None) -> dict[str, dict[str, StepRecord]]:
        where, params = ("WHERE guide_id = ?", (guide_id,)) if guide_id is not None else ("", ())
        # One read transaction, so a write from another window cannot land between the two queries.
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN")
                try:
                    marks = conn.execute(
                        f"SELECT guide_id, step_id, status, at, fingerprint FROM mark {where}", params
                    ).fetchall()
                    fields = conn.execute(
                        f"SELECT guide_id, step_id, name, value FROM field {where} ORDER BY rowid", params
                    ).fetchall()
                finally:
                    conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._fail(exc)
        saved: dict[tuple[str, str], dict[str, str]] = {}
        for gid, sid, name, value in fields:
            saved.setdefault((gid, sid), {})[name] = value
        out: dict[str, dict[str, StepRecord]] = {}
        for gid, sid, status, at, fingerprint in marks:
            out.setdefault(gid, {})[sid] = StepRecord(status, _parse_time(at), fingerprint, saved.pop((gid, sid), {}))
        for (gid, sid), values in saved.items():
            out.setdefault(gid, {})[sid] = StepRecord(None, None, None, values)
        return out

    def reset(self, guide_id: str) -> int:
        """Forget a guide's steps and fields; returns how many steps. The history keeps them, for proof."""
        at = self._clock().isoformat()

        def work(conn: sqlite3.Connection) -> int:
            current = _current_steps(conn, guide_id)
            for step_id, (fingerprint, values) in current.items():
                _log(conn, at, guide_id, step_id, "reset", fingerprint, values)
            conn.execute("DELETE FROM mark WHERE guide_id = ?", (guide_id,))
            conn.execute("DELETE FROM field WHERE guide_id = ?", (guide_id,))
            return len(current)

        return self._write(work)

    def history(self, guide_id: str | None = None) -> list[HistoryEvent]:
        """Every mark, unmark and reset, oldest first."""
        where, params = ("WHERE guide_id = ?", (guide_id,)) if guide_id is not None else ("", ())
        rows = self._read(
            f"SELECT at, guide_id, step_id, action, fingerprint, fields FROM history {where} ORDER BY id", params
        )
        return [HistoryEvent(_parse_time(at), g, s, a, fp, _load_fields(values)) for at, g, s, a, fp, values in rows]

    # -- answers and settings

    def answers(self) -> dict[str, str]:
        """Template answers remembered across guides (full_name, email, ...)."""
        return dict(self._read("SELECT name, value FROM answer ORDER BY name"))

    def remember_answers(self, values: dict[str, str]) -> None:
        """Merge into what is remembered; an empty value forgets that answer."""

        def work(conn: sqlite3.Connection) -> None:
            for name, value in values.items():
                if value == "":
                    conn.execute("DELETE FROM answer WHERE name = ?", (name,))
                else:
                    conn.execute("INSERT OR REPLACE INTO answer (name, value) VALUES (?, ?)", (name, str(value)))

        self._write(work)

    def get_setting(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM setting WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_setting(self, key: str, value: str | None) -> None:
        def work(conn: sqlite3.Connection) -> None:
            if value is None:
                conn.execute("DELETE FROM setting WHERE key = ?", (key,))
            else:
                conn.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (key, str(value)))

        self._write(work)

    # -- letters and replies (schema 2)

    def record_letter(
        self,
        guide_id: str,
        step_id: str,
        *,
        text: str,
        to: str | None = None,
        subject: str | None = None,
        law: str | None = None,
        country: str | None = None,
    ) -> Letter | None:
        """Keep a letter exactly as it was copied. Returns it, or None when it is the same as the
        step's last copy (copying again without an edit adds nothing to the proof)."""
        at = self._clock()

        def work(conn: sqlite3.Connection) -> Letter | None:
            last = conn.execute(
                "SELECT recipient, subject, text FROM letter WHERE guide_id = ? AND step_id = ? ORDER BY id DESC LIMIT 1",
                (guide_id, step_id),
            ).fetchone()
            if last == (to, subject, text):
                return None
            cur = conn.execute(
                "INSERT INTO letter (guide_id, step_id, at, recipient, subject, text, law, country) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (guide_id, step_id, at.isoformat(), to, subject, text, law, country),
            )
            return Letter(cur.lastrowid or 0, guide_id, step_id, at, to, subject, text, law, country)

        return self._write(work)

    def letters(self, guide_id: str | None = None) -> list[Letter]:
        """Every letter copied, oldest first."""
        where, params = ("WHERE guide_id = ?", (guide_id,)) if guide_id is not None else ("", ())
        rows = self._read(
            f"SELECT id, guide_id, step_id, at, recipient, subject, text, law, country FROM letter {where} ORDER BY id",
            params,
        )
        return [
            Letter(i, g, s, _parse_time(at), to, subj, text, law, c) for i, g, s, at, to, subj, text, law, c in rows
        ]

    def record_reply(
        self,
        guide_id: str,
        step_id: str,
        *,
        received_on: datetime.date,
        said: str = "",
        case_number: str = "",
        more_time: bool = False,
    ) -> Reply:
        """Keep what a company answered to the letter or form of `step_id`, and when."""
        at = self._clock()

        def work(conn: sqlite3.Connection) -> Reply:
            cur = conn.execute(
                "INSERT INTO reply (guide_id, step_id, received_on, said, case_number, more_time, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (guide_id, step_id, received_on.isoformat(), said, case_number, int(more_time), at.isoformat()),
            )
            return Reply(cur.lastrowid or 0, guide_id, step_id, received_on, said, case_number, more_time, at)

        return self._write(work)

    def replies(self, guide_id: str | None = None) -> list[Reply]:
        """Every reply recorded, in the order they were recorded."""
        where, params = ("WHERE guide_id = ?", (guide_id,)) if guide_id is not None else ("", ())
        rows = self._read(
            "SELECT id, guide_id, step_id, received_on, said, case_number, more_time, at "
            f"FROM reply {where} ORDER BY id",
            params,
        )
        return [
            Reply(i, g, s, datetime.date.fromisoformat(on), said, case, bool(more), _parse_time(at))
            for i, g, s, on, said, case, more, at in rows
        ]


# ---- helpers -----------------------------------------------------------------


def _log(
    conn: sqlite3.Connection,
    at: str,
    guide_id: str,
    step_id: str,
    action: str,
    fingerprint: str | None,
    values: dict[str, str] | None = None,
) -> None:
    if values is None:
        rows = conn.execute(
            "SELECT name, value FROM field WHERE guide_id = ? AND step_id = ? ORDER BY rowid", (guide_id, step_id)
        ).fetchall()
        values = dict(rows)
    conn.execute(
        "INSERT INTO history (at, guide_id, step_id, action, fingerprint, fields) VALUES (?, ?, ?, ?, ?, ?)",
        (at, guide_id, step_id, action, fingerprint, json.dumps(values, ensure_ascii=False)),
    )


def _current_steps(conn: sqlite3.Connection, guide_id: str) -> dict[str, tuple[str | None, dict[str, str]]]:
    steps: dict[str, tuple[str | None, dict[str, str]]] = {}
    for step_id, fingerprint in conn.execute("SELECT step_id, fingerprint FROM mark WHERE guide_id = ?", (guide_id,)):
        steps[step_id] = (fingerprint, {})
    for step_id, name, value in conn.execute(
        "SELECT step_id, name, value FROM field WHERE guide_id = ? ORDER BY rowid", (guide_id,)
    ):
        steps.setdefault(step_id, (None, {}))[1][name] = value
    return steps


def _load_fields(text: str) -> dict[str, str]:
    try:
        values = json.loads(text)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {}


def _cannot_write_words(exc: BaseException) -> str | None:
    """A few plain words when `exc` means nothing can be written here (and reading may still work)."""
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return "the disk is full"
        if exc.errno == errno.EROFS:
            return "the folder is read-only"
        if exc.errno in (errno.EACCES, errno.EPERM):
            return "you are not allowed to save files there"
        return None
    if isinstance(exc, sqlite3.Error):
        code = _code(exc)
        if code == 13:
            return "the disk is full"
        if code in (8, 10, 14):  # read-only, an I/O error making the -wal or -shm, cannot open for writing
            return "the folder is read-only or cannot be written"
    return None


def _disk_full(folder: Path) -> bool:
    statvfs = getattr(os, "statvfs", None)
    if statvfs is None:
        return False
    try:
        st = statvfs(folder)
    except OSError:
        return False
    free = st.f_bfree if hasattr(os, "geteuid") and os.geteuid() == 0 else st.f_bavail
    return free == 0


def _write_blocker(path: Path) -> str | None:
    """Why nothing can be written at `path` (a read-only folder or disk, no permission, a full disk), or None."""
    if _disk_full(path.parent):
        return "the disk is full"
    for target in (path.parent, path):
        if not os.access(target, os.W_OK):
            return "the folder is read-only" if target == path.parent else "the file is read-only"
    return None


def _make_dir(folder: Path) -> None:
    if folder.is_dir():
        return
    try:
        # 0700: what the user objected to, and their name and email, are nobody else's business.
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        message = (
            f"optout-tui cannot create the folder {folder} for your progress ({exc.strerror or exc}). "
            f"Set {paths.ENV_DATA_DIR} to a folder you may write in."
        )
        why = _cannot_write_words(exc)
        raise (_CannotWrite(message, why) if why else StoreError(message)) from None


def _create_private(path: Path) -> None:
    """Create the file ourselves with mode 0600, so it is never briefly readable by others.

    SQLite gives the -wal and -shm files the same mode as the database.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        message = (
            f"optout-tui cannot create your progress file {path} ({exc.strerror or exc}). "
            f"Set {paths.ENV_DATA_DIR} to a folder you may write in."
        )
        why = _cannot_write_words(exc)
        raise (_CannotWrite(message, why) if why else StoreError(message)) from None
    os.close(fd)


def _looks_like_sqlite(path: Path) -> bool:
    """An empty file is a new store; anything else must start with SQLite's magic string."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return True  # not ours to judge: SQLite reports why it cannot open it
    return head == b"" or head == b"SQLite format 3\x00"


def _set_aside(path: Path, conn: sqlite3.Connection | None = None) -> Path:
    """Rename a damaged file (and its -wal and -shm) to a name no file has yet; never overwrite.

    An open connection is closed only after the renames, when its unlink of the
    old -wal name can no longer reach the user's data.
    """
    try:
        return _rename_aside(path)
    finally:
        if conn is not None:
            conn.close()


def _rename_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while any(Path(f"{target}{s}").exists() for s in ("", "-wal", "-shm")):
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        # The -wal first: a stale one left beside a fresh file would be replayed into it.
        for suffix in ("-wal", "-shm", ""):
            src = Path(f"{path}{suffix}")
            if src.exists():
                os.rename(src, f"{target}{suffix}")
    except OSError as exc:
        raise StoreError(
            f"Your progress file {path} is damaged, and optout-tui could not move it aside "
            f"({exc.strerror or exc}). Move or rename it yourself, then start optout-tui again."
        ) from None
    return target


def _damaged_notice(moved: Path) -> str:
    return (
        f"Your progress file was damaged and could not be read, so optout-tui started a new one. "
        f"The old file was not deleted: it is now {moved}."
    )


# ---- letters and replies ------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    """A letter as the user copied it: the exact text they sent."""

    id: int
    guide_id: str
    step_id: str
    at: datetime.datetime  # when it was copied (timezone-aware, UTC)
    to: str | None  # the recipient, for an email
    subject: str | None
    text: str
    law: str | None  # the id of the law it relied on for the user's country (walkthrough.content.laws)
    country: str | None  # the user's country when it was copied


@dataclass(frozen=True)
class Reply:
    """What a company answered, as the user recorded it."""

    id: int
    guide_id: str
    step_id: str  # the letter or form step it answers
    received_on: datetime.date
    said: str  # what they said, in the user's words
    case_number: str
    more_time: bool  # they said they need more time (the law may allow it)
    at: datetime.datetime  # when the user recorded it
