"""Fuzzing the loader with thousands of broken guides per run, in bounded time.

Two generators: a seeded mutator over the bundled guides (byte flips, cut and
copied ranges, shuffled lines, and hostile YAML spliced in where a value was),
and Hypothesis writing arbitrary text into each field of a real guide. For
every input: no exception escapes the loader, a refused file has a message
that names it, and nothing is written anywhere. Then the app starts beside a
folder of the fuzzed files.
"""

from __future__ import annotations

import datetime
import os
import random
import re
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from walkthrough.catalog.loading import load_catalog
from walkthrough.content.loader import load_guide, load_template
from walkthrough.paths import bundled_guides_dir

TODAY = datetime.date(2026, 12, 1)
SEED = int(os.environ.get("OPTOUT_TUI_FUZZ_SEED", "20261201"))
INPUTS = int(os.environ.get("OPTOUT_TUI_FUZZ_INPUTS", "3000"))
TIME_LIMIT = 60.0  # seconds: the run stops early rather than run long on a slow machine
MINIMUM = 1000  # and fails if the machine was too slow to try at least this many

GUIDES = sorted(bundled_guides_dir().glob("*.yaml"))
LETTERS = sorted((bundled_guides_dir() / "templates").glob("*.yaml"))

# Values an attacker would splice in where a guide has a value.
HOSTILE_VALUES = [
    "0x_", "0b_", "-0b_", "9" * 5001, '!!int "abc"', '!!int ""', '!!float "abc"', "1:20", "017", "0x1F", "1_000",
    ".inf", ".nan", "!!python/object/apply:os.system ['true']", "!!binary AAAA", "*anchor", "&anchor x",
    "<<: *x", "[@click=app.screenshot('x.svg','/tmp')]Case[/]", "Open [/foo] settings",
    '[link="https://evil.example/"]x[/link]', '"\\e]0;PWNED\\a"', '"\\x1b[2J"', '"\\u202eevil"', '"a\\nb"',
    "https://evil.example/login", '"https://www.linkedin.com/\\nReal: https://evil.example"',
    "[" * 3000, "{" * 50, "- - - - -", "? complex", "|\n  block\n", ">-\n  folded", "~", "null", "yes", "NO",
    "2026-13-45", "2099-01-01", "", "''", '""', "%YAML 1.1", "---", "...", "\t", "\ufeff", "\x85", "é" * 300,
]  # fmt: skip
_VALUE = re.compile(rb"(?m)^(\s*(?:- )?[a-z_]+: ).+$")


def mutate(raw: bytes, rng: random.Random) -> bytes:
    """One random change (sometimes two) to a guide file."""
    data = bytearray(raw)
    for _ in range(rng.choice((1, 1, 1, 2))):
        op = rng.randrange(8)
        if not data:
            data = bytearray(rng.choice(HOSTILE_VALUES).encode())
            continue
        i = rng.randrange(len(data))
        if op == 0:  # flip a byte
            data[i] = rng.randrange(256)
        elif op == 1:  # insert bytes
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 2:  # cut a range
            del data[i : i + rng.randint(1, 200)]
        elif op == 3:  # copy a range elsewhere (duplicate keys, repeated steps)
            j = rng.randrange(len(data))
            data[j:j] = data[i : i + rng.randint(1, 400)]
        elif op == 4:  # truncate
            del data[i:]
        elif op == 5:  # swap two lines
            lines = bytes(data).split(b"\n")
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            data = bytearray(b"\n".join(lines))
        else:  # replace one value with a hostile one
            matches = list(_VALUE.finditer(bytes(data)))
            if matches:
                m = rng.choice(matches)
                value = rng.choice(HOSTILE_VALUES).encode()
                data[m.start() : m.end()] = m.group(1) + value
    return bytes(data)


def check_one(path: Path, *, letter: bool = False) -> bool:
    """Load one file; assert the promises. True when it was refused."""
    result = load_template(path) if letter else load_guide(path, today=TODAY, style=True)
    errors = [p for p in result.problems if p.is_error]
    if result.ok:
        assert not errors
        return False
    assert errors, f"{path} was refused without a word"
    for problem in errors:
        assert problem.path == path
        assert problem.message.strip() and "Traceback" not in problem.message
        assert str(path) in problem.format()
        assert "\n" not in problem.format() and "\x1b" not in problem.format()
    return True


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.rglob("*"))}


def test_the_seeded_mutator_finds_no_escape(tmp_path, data_dir):
    rng = random.Random(SEED)
    folder = tmp_path / "fuzz"
    folder.mkdir()
    sources = [(p.read_bytes(), False) for p in GUIDES] + [(p.read_bytes(), True) for p in LETTERS]
    started = time.monotonic()
    tried = refused = 0
    kept: list[tuple[str, bytes]] = []
    while tried < INPUTS and time.monotonic() - started < TIME_LIMIT:
        raw, letter = rng.choice(sources)
        fuzzed = mutate(raw, rng)
        path = folder / f"case-{tried}.yaml"
        path.write_bytes(fuzzed)
        before = snapshot(folder)
        try:
            refused += check_one(path, letter=letter)
        except AssertionError:
            raise
        except Exception as exc:  # noqa: BLE001 - exactly what must never happen
            pytest.fail(f"seed {SEED}, input {tried}: {type(exc).__name__}: {exc}\n{fuzzed[:2000]!r}")
        assert snapshot(folder) == before, "loading wrote something"
        if not letter and len(kept) < 150 and rng.random() < 0.1:
            kept.append((path.name, fuzzed))
        path.unlink()
        tried += 1
    assert tried >= MINIMUM, f"only {tried} inputs in {TIME_LIMIT:.0f} s"
    assert refused > tried // 4  # the mutator really breaks files, so the refusal path is what is tested
    assert not data_dir.exists() or not any(data_dir.iterdir()), "the loader wrote into the data folder"

    # The app starts beside the fuzzed files that were kept, and shows the guides that survived.
    for name, fuzzed in kept:
        (folder / name).write_bytes(fuzzed)
    from walkthrough.tui.app import make_app

    app = make_app([str(folder)], bundled=False, today=TODAY, region="DE")
    assert len(app.catalog.guides) + len(app.catalog.failed) == len(kept)

    async def start() -> str:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            return "\n".join(strip.text for strip in app.screen._compositor.render_strips())

    import asyncio

    shown = asyncio.run(start())
    assert "could not be opened" in shown or not app.catalog.failed
    assert app.return_code in (None, 0)


def test_a_whole_folder_of_mutants_loads_with_every_failure_named(tmp_path):
    rng = random.Random(SEED + 1)
    folder = tmp_path / "fuzz"
    folder.mkdir()
    names = []
    for n in range(300):
        raw = rng.choice(GUIDES).read_bytes()
        name = f"g{n:03d}.yaml"
        (folder / name).write_bytes(mutate(raw, rng))
        names.append(name)
    before = snapshot(folder)
    catalog = load_catalog([str(folder)], bundled=False, today=TODAY, style=True)
    assert snapshot(folder) == before
    assert sorted([*catalog.guides, *(p.stem for p in catalog.failed)]) == sorted(n[:-5] for n in names)
    for path in catalog.failed:
        assert any(p.path == path and p.is_error for p in catalog.problems), path


# ---- Hypothesis: any text in any field of a real guide ---------------------------------------------

BASE = yaml.safe_load((bundled_guides_dir() / "linkedin.yaml").read_text())
FIELDS = ["name", "title", "summary", "difficulty", "minutes", "recheck_days", "last_verified", "domains"]
STEP_FIELDS = ["id", "kind", "title", "body", "expect", "fallback", "link"]
any_value = st.one_of(
    st.text(max_size=300),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.lists(st.text(max_size=40), max_size=5),
    st.dictionaries(st.text(max_size=20), st.text(max_size=40), max_size=3),
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS + [f"steps.{f}" for f in STEP_FIELDS]), value=any_value)
def test_any_value_in_any_field_is_answered_not_raised(tmp_path, field, value):
    import copy

    data = copy.deepcopy(BASE)
    if field.startswith("steps."):
        data["steps"][0][field[6:]] = value
    else:
        data[field] = value
    path = tmp_path / "linkedin.yaml"
    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        return
    path.write_bytes(text.encode("utf-8", "surrogatepass"))  # a lone surrogate is bytes a file can hold
    check_one(path)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=2000))
def test_any_bytes_are_answered_not_raised(tmp_path, raw):
    path = tmp_path / "anything.yaml"
    path.write_bytes(raw)
    check_one(path)
