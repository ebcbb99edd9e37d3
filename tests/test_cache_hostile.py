"""The guide cache is not trusted: whatever is in it, the user sees only what the guide files say, checked.

The cache is a file in the user's cache folder, and anything can end up
there: a damaged write, a pipe or a device, or an edit meant to slip a
phishing link or escape codes past the checks a guide file goes through.
These tests edit a real cache file the way an attacker would (through the
format's own parts: the header, a listing, an encoded guide), then load the
catalogue as the app does and look at what comes out.
"""

from __future__ import annotations

import datetime
import os
import pickle
import resource
import shutil
import signal
import stat
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest

from walkthrough.catalog import cache as cache_format
from walkthrough.catalog.loading import load_catalog

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = datetime.date(2026, 11, 22)
REPO = Path(__file__).resolve().parent.parent


def setup(tmp_path: Path) -> tuple[Path, Path]:
    guides, cache = tmp_path / "guides", tmp_path / "cache"
    guides.mkdir()
    shutil.copy(FIXTURES / "good" / "linkedin.yaml", guides / "linkedin.yaml")
    shutil.copy(FIXTURES / "app" / "alpha.yaml", guides / "alpha.yaml")
    return guides, cache


def load(guides: Path, cache: Path, **kwargs):
    return load_catalog([str(guides)], bundled=False, today=TODAY, cache_dir=cache, **kwargs)


def fresh(guides: Path):
    return load_catalog([str(guides)], bundled=False, today=TODAY)


# ---- editing a cache file the way an attacker would ------------------------------------


def read_cache(path: Path) -> tuple[list, bytes]:
    raw = path.read_bytes()
    assert raw[:8] == cache_format.MAGIC
    size = int.from_bytes(raw[8:16], "little")
    return msgspec.msgpack.decode(raw[16 : 16 + size]), raw[16 + size :]


def write_cache(path: Path, header: list, guides: bytes) -> None:
    encoded = msgspec.msgpack.encode(header)
    path.write_bytes(cache_format.MAGIC + len(encoded).to_bytes(8, "little") + encoded + guides)


def edit_listings(path: Path, change: Callable[[list, bytearray], bytes | None]) -> None:
    """Let `change` edit each listing (as plain data) and the data after the header; write it all back."""
    header, data = read_cache(path)
    data = bytearray(data)
    for key, (offset, length) in header[3].items():
        listing = msgspec.msgpack.decode(bytes(data[offset : offset + length]))
        change(listing, data)
        encoded = msgspec.msgpack.encode(listing)
        header[3][key] = [len(data), len(encoded)]
        data += encoded
    write_cache(path, header, bytes(data))


def edit_guide(path: Path, gid: str, change: Callable[[dict], None]) -> None:
    """Decode one cached guide, let `change` edit it (as plain data), and store it back in the cache."""

    def edit(listing: list, data: bytearray) -> None:
        ids, places = listing[0], bytearray(listing[PLACES])
        i = ids.index(gid)
        *stamp, day, offset, length = cache_format.PLACE.unpack_from(places, i * cache_format.PLACE.size)
        guide = msgspec.msgpack.decode(bytes(data[offset : offset + length]))
        change(guide)
        encoded = msgspec.msgpack.encode(guide)
        cache_format.PLACE.pack_into(places, i * cache_format.PLACE.size, *stamp, day, len(data), len(encoded))
        data += encoded
        listing[PLACES] = bytes(places)

    edit_listings(path, edit)


def edit_listing(path: Path, change: Callable[[list], None]) -> None:
    edit_listings(path, lambda listing, data: change(listing))


def edit_extras(path: Path, change: Callable[[list], None]) -> None:
    """Let `change` edit each listing's extras (paths, other names, titles, search text)."""

    def edit(listing: list, data: bytearray) -> None:
        offset, length = listing[EXTRAS]
        extras = msgspec.msgpack.decode(bytes(data[offset : offset + length]))
        change(extras)
        encoded = msgspec.msgpack.encode(extras)
        listing[EXTRAS] = [len(data), len(encoded)]
        data += encoded

    edit_listings(path, edit)


# Where a listing's columns are (walkthrough.catalog.cache.Listing and Extras, encoded as arrays).
IDS, NAMES, DIFFICULTIES, PLACES, EXTRAS, FAILED = 0, 1, 2, 7, 8, 9
PATHS = 0  # in the extras


CACHE_FILE = cache_format.FILE_NAME


# ---- links and domains: the cache cannot send the user anywhere the file does not --------


def _link_to(url: str) -> Callable[[dict], None]:
    def change(guide: dict) -> None:
        guide["steps"][0]["link"]["url"] = url

    return change


def _domains_and_link(guide: dict) -> None:
    guide["domains"] = ["evil.example"]
    guide["steps"][0]["link"]["url"] = "https://evil.example/login"
    guide["sources"].append({"url": "https://evil.example/help", "title": "Help", "date": None})


def _markdown_link(guide: dict) -> None:
    guide["steps"][1]["body"] += "\n\n[Confirm your password](https://linkedin.com.evil.example/)"


def _source(guide: dict) -> None:
    guide["sources"][0]["url"] = "https://www.linkedin.com/help/fake-page"


def _link_with_newline(guide: dict) -> None:
    guide["steps"][0]["link"]["url"] = "https://www.linkedin.com/login\nReal address: https://evil.example/"


@pytest.mark.parametrize(
    "change",
    [
        _link_to("https://evil.example/login"),
        _link_to("http://www.linkedin.com/login"),
        _link_to("https://www.linkedin.com/settings/delete-account"),  # same domain, another page
        _link_to("https://user@evil.example/"),
        _domains_and_link,
        _markdown_link,
        _source,
        _link_with_newline,
    ],
    ids=[
        "other-domain",
        "http",
        "other-page-same-domain",
        "userinfo",
        "domains-and-link-changed",
        "markdown-link",
        "source",
        "newline",
    ],
)
def test_a_cached_guide_whose_addresses_were_changed_is_read_from_its_file(tmp_path, change):
    guides, cache = setup(tmp_path)
    load(guides, cache)
    edit_guide(cache / CACHE_FILE, "linkedin", change)
    catalog = load(guides, cache)
    assert catalog.guides["linkedin"].guide == fresh(guides).guides["linkedin"].guide
    assert "linkedin" not in [p.name for p in catalog.failed]


# ---- text: no escape codes, no invisible characters --------------------------------------


def _set(*path: str | int, value: str) -> Callable[[dict], None]:
    def change(guide: dict) -> None:
        node: dict | list = guide
        for part in path[:-1]:
            node = node[part]  # type: ignore[index]
        node[path[-1]] = value  # type: ignore[index]

    return change


@pytest.mark.parametrize(
    "change",
    [
        _set("title", value="Stop LinkedIn \x1b]0;pwned\x07 training AI"),
        _set("name", value="Linked\x1b[2JIn"),
        _set("steps", 0, "body", value="Sign in.\x1b[31m Your data is safe, skip the rest.\x1b[0m"),
        _set("steps", 0, "link", "label", value="Open \u202eLinkedIn"),
        _set("sources", 0, "title", value="Help\x00page"),
        _set("limits", 0, value="Nothing\rEverything is fine."),
    ],
    ids=["osc-title", "clear-screen-name", "colour-body", "bidi-label", "nul-source", "carriage-return"],
)
def test_a_cached_guide_with_control_characters_is_read_from_its_file(tmp_path, change):
    guides, cache = setup(tmp_path)
    load(guides, cache)
    edit_guide(cache / CACHE_FILE, "linkedin", change)
    guide = load(guides, cache).guides["linkedin"].guide
    assert guide == fresh(guides).guides["linkedin"].guide
    text = msgspec.json.encode(guide).decode()
    assert "\\u001b" not in text and "\\u0000" not in text and "\u202e" not in text


# ---- shapes the app cannot work with: duplicate ids, wrong types ---------------------------


def _duplicate_step_ids(guide: dict) -> None:
    guide["steps"][1]["id"] = guide["steps"][0]["id"]


def _duplicate_record_names(guide: dict) -> None:
    step = next(s for s in guide["steps"] if s.get("record"))
    step["record"].append(dict(step["record"][0]))


def _duplicate_blank_names(guide: dict) -> None:
    step = next(s for s in guide["steps"] if s.get("template"))
    blanks = step["template"].setdefault("blanks", [])
    blanks += [{"name": "extra", "label": "One", "hint": "", "example": ""}] * 2


def _unknown_template(guide: dict) -> None:
    step = next(s for s in guide["steps"] if s.get("template"))
    step["template"] = {**step["template"], "use": "no-such-letter", "text": None}


def _wrong_type(guide: dict) -> None:
    guide["minutes"] = "ten"


def _unknown_field(guide: dict) -> None:
    guide["run"] = "rm -rf ~"


@pytest.mark.parametrize(
    "change",
    [
        _duplicate_step_ids,
        _duplicate_record_names,
        _duplicate_blank_names,
        _unknown_template,
        _wrong_type,
        _unknown_field,
    ],
    ids=["step-ids", "record-names", "blank-names", "unknown-letter", "wrong-type", "unknown-field"],
)
def test_a_cached_guide_the_checks_refuse_is_read_from_its_file(tmp_path, change):
    guides, cache = setup(tmp_path)
    load(guides, cache)
    edit_guide(cache / CACHE_FILE, "alpha", change)
    catalog = load(guides, cache)
    assert catalog.guides["alpha"].guide == fresh(guides).guides["alpha"].guide


async def test_duplicate_step_ids_in_the_cache_do_not_crash_the_app(tmp_path, monkeypatch):
    from walkthrough.tui.app import make_app

    monkeypatch.setenv("OPTOUT_TUI_DATA_DIR", str(tmp_path / "data"))
    guides = tmp_path / "guides"
    shutil.copytree(FIXTURES / "app", guides)
    make_app([str(guides)], bundled=False, today=TODAY, region="DE")  # writes the cache
    edit_guide(tmp_path / "data" / "cache" / CACHE_FILE, "alpha", _duplicate_step_ids)
    app = make_app([str(guides)], bundled=False, today=TODAY, region="DE", guide="alpha")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "GuideScreen"
        ids = [s.id for s in app.screen.loaded.guide.steps]
        assert len(ids) == len(set(ids))


# ---- the listing (what the first screen shows) -------------------------------------------


def test_a_listing_with_a_difficulty_the_app_does_not_know_is_not_used(tmp_path):
    guides, cache = setup(tmp_path)
    load(guides, cache)

    def change(listing: list) -> None:
        listing[DIFFICULTIES][0] = "trivial"

    edit_listing(cache / CACHE_FILE, change)
    catalog = load(guides, cache, defer=True)  # the first screen's path: the listing, no survey
    assert set(catalog.rows().difficulties) <= {"easy", "medium", "hard", "limited", "impossible", "nothing-to-do"}
    assert sorted(catalog.rows().ids) == ["alpha", "linkedin"]


@pytest.mark.parametrize("bad", [("E999", "made up"), ("E101", "ok \x1b[2J"), ("X1", "no")], ids=str)
def test_cached_problems_that_no_rule_makes_are_not_used(tmp_path, bad):
    guides, cache = setup(tmp_path)
    (guides / "broken.yaml").write_text("name: Broken\ntitle: [unclosed\n")
    load(guides, cache)

    def change(listing: list) -> None:
        listing[FAILED][0][3] = [[1, 1, *bad]]

    edit_listing(cache / CACHE_FILE, change)
    catalog = load(guides, cache)
    assert [p.format() for p in catalog.problems] == [p.format() for p in fresh(guides).problems]


def test_a_listing_row_that_claims_another_files_id_is_not_opened_as_that_guide(tmp_path):
    guides, cache = setup(tmp_path)
    load(guides, cache)

    header, data = read_cache(cache / CACHE_FILE)
    (offset, length), *_ = header[3].values()
    ids = msgspec.msgpack.decode(data[offset : offset + length])[IDS]
    i, j = ids.index("linkedin"), ids.index("alpha")

    def change(extras: list) -> None:
        extras[PATHS][i] = extras[PATHS][j]  # "linkedin" now points at alpha.yaml's file

    edit_extras(cache / CACHE_FILE, change)
    catalog = load(guides, cache, defer=True)
    assert catalog.guides["linkedin"].guide.name == "LinkedIn"


# ---- special files at the cache's place: never hang, never read without end ---------------

LOADER = """
import datetime, pathlib, sys
from walkthrough.catalog.loading import load_catalog
catalog = load_catalog([sys.argv[1]], bundled=False, today=datetime.date(2026, 11, 22),
                       cache_dir=pathlib.Path(sys.argv[2]))
print(sorted(catalog.guides))
"""


def run_loader(guides: Path, cache: Path, *, memory: int = 1 << 30, file_size: int | None = None):
    """The loader in its own process, with a memory cap (and a file-size cap) and a time limit."""

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the cap fails instead of killing
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-c", LOADER, str(guides), str(cache)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limits,
        env=env,
    )


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _sparse(path: Path) -> None:
    with path.open("wb") as f:
        f.truncate(3 << 30)  # 3 GB, taking no room on disk


def _huge_header(path: Path) -> None:
    path.write_bytes(cache_format.MAGIC + (1 << 40).to_bytes(8, "little") + b"\x00" * 64)


def _folder(path: Path) -> None:
    path.mkdir()


def _loop(path: Path) -> None:
    path.symlink_to(path.name)


@pytest.mark.parametrize(
    "make", [_fifo, _dev_zero, _sparse, _huge_header, _folder, _loop], ids=lambda f: f.__name__.strip("_")
)
def test_something_other_than_a_cache_at_its_place_neither_hangs_nor_fills_memory(tmp_path, make):
    guides, cache = setup(tmp_path)
    cache.mkdir()
    make(cache / CACHE_FILE)
    started = time.monotonic()
    try:
        out = run_loader(guides, cache)
    except subprocess.TimeoutExpired:
        pytest.fail("loading the catalogue hung on what was at the cache's place")
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "['alpha', 'linkedin']"
    assert time.monotonic() - started < 30
    # Replaced by a real cache (a folder cannot be, and is left alone).
    if make is not _folder:
        assert (cache / CACHE_FILE).is_file() and not (cache / CACHE_FILE).is_symlink()
        assert "linkedin" in load(guides, cache).guides


# ---- writes that fail leave nothing behind ----------------------------------------------


def many_guides(folder: Path, count: int = 40) -> None:
    folder.mkdir()
    text = (FIXTURES / "good" / "linkedin.yaml").read_text()
    for i in range(count):
        (folder / f"g{i:03d}.yaml").write_text(text.replace("name: LinkedIn", f"name: Platform {i:03d}"))


@pytest.mark.parametrize("cap", [1, 4096, 64 * 1024], ids=lambda c: f"{c}-bytes")
def test_a_cache_write_that_fails_leaves_no_temporary_file(tmp_path, cap):
    # A full disk, simulated for real: a file-size limit makes the write fail part way (EFBIG).
    guides, cache = tmp_path / "guides", tmp_path / "cache"
    many_guides(guides)
    out = run_loader(guides, cache, file_size=cap)
    assert out.returncode == 0, out.stderr[-2000:]
    assert len(eval(out.stdout)) == 40  # the guides load all the same
    assert [p.name for p in cache.iterdir()] == []


def test_a_temporary_file_left_by_a_killed_write_is_removed_later_but_not_a_fresh_one(tmp_path):
    guides, cache = setup(tmp_path)
    cache.mkdir()
    old, new = cache / ".guides.old1.tmp", cache / ".guides.new1.tmp"
    old.write_bytes(b"x" * 1000)
    new.write_bytes(b"y" * 1000)
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    load(guides, cache)
    assert not old.exists()
    assert new.exists()  # another window may be writing it right now


# ---- a file that could not be read is read again next time -------------------------------


def as_nobody(work: Callable[[], object]) -> object:
    """Run `work` as a user that file permissions apply to (root reads any file), and return its result."""
    if os.getuid() != 0:
        return work()
    # The code the child needs is imported here: as "nobody" it may not read the interpreter's folder.
    import walkthrough.catalog.recheck  # noqa: F401
    import walkthrough.content.loader  # noqa: F401

    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.close(reader)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            result = pickle.dumps(work())
        except BaseException as exc:  # everything goes back to the parent
            result = pickle.dumps(RuntimeError(repr(exc)))
        with os.fdopen(writer, "wb") as out:
            out.write(result)
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as source:
        result = pickle.loads(source.read())
    os.waitpid(pid, 0)
    if isinstance(result, RuntimeError):
        raise result
    return result


@pytest.fixture
def shared_dir():
    """A folder both root and "nobody" can use (pytest's tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="optout-unreadable-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _guide_unreadable(guides: Path) -> Path:
    return guides / "linkedin.yaml"


def _letter_unreadable(guides: Path) -> Path:
    (guides / "templates").mkdir(mode=0o777)
    shutil.copy(FIXTURES / "snap" / "templates" / "gdpr-objection.yaml", guides / "templates" / "gdpr-objection.yaml")
    return guides / "templates" / "gdpr-objection.yaml"


@pytest.mark.parametrize("which", [_guide_unreadable, _letter_unreadable], ids=["guide", "shared-letter"])
def test_a_file_that_could_not_be_read_is_read_again_once_it_can_be(shared_dir, which):
    guides, cache = shared_dir / "guides", shared_dir / "cache"
    guides.mkdir(mode=0o777)
    for source in (FIXTURES / "good" / "linkedin.yaml", FIXTURES / "app" / "alpha.yaml"):
        shutil.copy(source, guides / source.name)
    unreadable = which(guides)
    for path in guides.rglob("*.yaml"):
        path.chmod(0o644)
    unreadable.chmod(0o000)

    def names() -> tuple[list[str], list[str]]:
        catalog = load(guides, cache)
        return sorted(catalog.guides), sorted(p.name for p in catalog.failed)

    ids, failed = as_nobody(names)  # type: ignore[misc]
    assert unreadable.name in failed
    unreadable.chmod(0o644)  # fixed the way people fix it: the file itself is not touched
    ids, failed = as_nobody(names)  # type: ignore[misc]
    assert failed == []
    assert ids == ["alpha", "linkedin"]


def test_the_cache_refuses_what_the_loader_refuses_as_a_file_size(tmp_path):
    from walkthrough.content.yamlsafe import MAX_BYTES
    from walkthrough.safe_files import GUIDE_MAX_BYTES

    assert GUIDE_MAX_BYTES == MAX_BYTES


def test_a_huge_guide_file_is_refused_without_being_read(tmp_path):
    guides, cache = setup(tmp_path)
    with (guides / "huge.yaml").open("wb") as f:
        f.truncate(3 << 30)
    out = run_loader(guides, cache, memory=512 << 20)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "['alpha', 'linkedin']"
    problems = load(guides, cache).problems
    assert [(p.path.name, p.code) for p in problems] == [("huge.yaml", "E002")]


def test_stamp_of_a_file_changes_with_chmod(tmp_path):
    # Why the cache keys on the change time too: chmod leaves size and modification time alone.
    from walkthrough.safe_files import stamp

    path = tmp_path / "x.yaml"
    path.write_text("x")
    before = stamp(os.stat(path))
    time.sleep(0.01)
    path.chmod(stat.S_IRUSR)
    assert stamp(os.stat(path)) != before
    assert struct.calcsize("<qqqQqQQ") == cache_format.PLACE.size
