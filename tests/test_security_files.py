"""One hostile file is that file's problem: it never stops the tool, hides other guides, hangs or eats memory.

Security review items 1 (numbers that crash the loader), 3 (a folder entry that
hides the whole folder), 8 (special files) and the smaller ones (a line break
in a field name, odd number notations, a file given as a folder). Every
command runs for real here: in this process through `cli.main`, or the app
through Pilot.
"""

from __future__ import annotations

import datetime
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from walkthrough import cli
from walkthrough.catalog.loading import load_catalog, load_paths
from walkthrough.content import yamlsafe
from walkthrough.content.loader import load_guide
from walkthrough.content.problems import ProblemError
from walkthrough.tui.app import make_app

FIXTURES = Path(__file__).parent / "fixtures"
NUMBERS = FIXTURES / "security" / "numbers"
OK = FIXTURES / "hostile" / "ok-example.yaml"
TODAY = datetime.date(2026, 11, 22)

# fixture -> (rule, line) validate points at
NUMBER_CASES = {
    "binary-title.yaml": ("E103", 2),
    "hex-minutes.yaml": ("E103", 6),
    "hex-title.yaml": ("E103", 2),
    "huge-integer-title.yaml": ("E103", 2),
    "negative-binary-title.yaml": ("E103", 2),
    "octal-minutes.yaml": ("E103", 6),
    "sexagesimal-float-step-title.yaml": ("E103", 15),
    "sexagesimal-minutes.yaml": ("E103", 6),
    "tagged-float-text.yaml": ("E006", 2),
    "tagged-int-empty.yaml": ("E006", 2),
    "tagged-int-text.yaml": ("E006", 2),
    "underscore-minutes.yaml": ("E103", 6),
}


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_number_fixture_is_listed():
    assert {p.name for p in NUMBERS.glob("*.yaml")} == set(NUMBER_CASES)


@pytest.mark.parametrize("name", sorted(NUMBER_CASES))
def test_a_number_in_an_odd_notation_is_refused_with_its_line(name):
    code, line = NUMBER_CASES[name]
    result = load_guide(NUMBERS / name, today=TODAY)
    assert [(p.code, p.line) for p in result.problems] == [(code, line)], [p.format() for p in result.problems]
    assert not result.ok


def test_minutes_written_1_20_or_017_are_never_read_as_80_or_15():
    for name in ("sexagesimal-minutes.yaml", "octal-minutes.yaml"):
        result = load_guide(NUMBERS / name, today=TODAY)
        assert result.value is None
        assert "plain digits" in result.problems[0].message


@pytest.mark.parametrize("name", sorted(NUMBER_CASES))
def test_one_bad_number_stops_no_command(name, tmp_path, capsys):
    folder = tmp_path / "guides"
    folder.mkdir()
    shutil.copy(NUMBERS / name, folder / "broken.yaml")
    shutil.copy(OK, folder / "example.yaml")

    code, out, err = run_cli(capsys, "list", "--guides-dir", str(folder))
    assert code == 0, err
    assert "linkedin" in out and "example" in out
    assert "broken.yaml" in err

    code, out, err = run_cli(capsys, "show", "example", "--guides-dir", str(folder))
    assert code == 0 and "Turn off the switch" in out

    code, out, err = run_cli(capsys, "validate", str(folder / "broken.yaml"))
    assert code == 1
    assert f"broken.yaml:{NUMBER_CASES[name][1]}:" in out

    code, out, err = run_cli(capsys, "progress", "--guides-dir", str(folder))
    assert code == 0, err


async def test_the_app_starts_beside_a_bad_number(tmp_path):
    folder = tmp_path / "guides"
    folder.mkdir()
    for name in NUMBER_CASES:
        shutil.copy(NUMBERS / name, folder / name)
    shutil.copy(OK, folder / "example.yaml")
    app = make_app([str(folder)], bundled=False, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert list(app.catalog.guides) == ["example"]
        assert len(app.catalog.failed) == len(NUMBER_CASES)


@pytest.mark.parametrize(
    "key",
    ['"title\\nsrc/app.py:1:1: E000 all good"', '"name\\n"', '"a\\tb"', '"\\u2028x"', '""'],
)
def test_a_field_name_with_a_line_break_cannot_fake_a_line_of_output(key, tmp_path, capsys):
    path = tmp_path / "fake.yaml"
    path.write_text(OK.read_text() + f"{key}: x\n")
    code, out, err = run_cli(capsys, "validate", str(path))
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 1, out
    assert "E000" not in lines[0].split(": ", 1)[0]
    assert lines[0].endswith(("E003 A field name must be a plain word on one line.", "is not a field here."))


def test_a_value_quoted_in_a_message_stays_on_its_line(tmp_path, capsys):
    path = tmp_path / "fake.yaml"
    # A domain is quoted in E204's message; a line break in it must not start a new line of output.
    path.write_text(OK.read_text().replace("domains: [example.com]", 'domains: ["example.com\\nok.yaml:1:1: fine"]'))
    code, out, err = run_cli(capsys, "validate", "--format", "github", str(path))
    assert code == 1
    assert all(line.startswith("::") for line in out.splitlines()), out


# ---- special files: FIFOs, devices, sparse files, link loops ----------------------------


def special_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "guides"
    folder.mkdir()
    shutil.copy(OK, folder / "example.yaml")
    os.mkfifo(folder / "fifo.yaml")
    (folder / "loop.yaml").symlink_to("loop.yaml")
    (folder / "dangling.yaml").symlink_to("nothing-here.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "null.yml").symlink_to("/dev/null")
    (folder / "a-folder.yaml").mkdir()
    with open(folder / "sparse.yaml", "wb") as f:
        f.truncate(3 * 1024**3)  # 3 GB that takes no disk space
    return folder


EXPECTED_SPECIAL = {
    "fifo.yaml": "E011",
    "loop.yaml": "E011",
    "dangling.yaml": "E011",
    "zero.yaml": "E011",
    "null.yml": "E011",
    "sparse.yaml": "E002",
}


def test_special_files_are_each_refused_by_name_and_the_rest_load(tmp_path):
    folder = special_folder(tmp_path)
    catalog = load_catalog([str(folder)], bundled=False, today=TODAY)
    assert list(catalog.guides) == ["example"]
    assert {p.path.name: p.code for p in catalog.problems} == EXPECTED_SPECIAL
    for problem in catalog.problems:
        assert problem.message.endswith(".")


def test_validate_names_every_special_file_and_fails_the_gate(tmp_path):
    folder = special_folder(tmp_path)
    # A subprocess with a time limit: before the fix the FIFO made this hang for ever.
    out = subprocess.run(
        [sys.executable, "-m", "walkthrough", "validate", "--strict", "--format", "github", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1
    for name, code in EXPECTED_SPECIAL.items():
        assert f"{name},line=1,col=1,title={code}::" in out.stdout, out.stdout


def test_check_links_does_not_hang_on_a_fifo(tmp_path):
    folder = tmp_path / "guides"
    folder.mkdir()
    os.mkfifo(folder / "fifo.yaml")
    out = subprocess.run(
        [sys.executable, "-m", "walkthrough", "check-links", str(folder)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 1
    assert "fifo.yaml" in out.stderr


def test_a_file_is_never_read_past_the_cap(tmp_path):
    # A file that grows while being read (here: a link to an endless device) costs at most cap + 1 bytes.
    path = tmp_path / "endless.yaml"
    path.write_bytes(b"x" * (yamlsafe.MAX_BYTES + 10))
    with pytest.raises(ProblemError) as refused:
        yamlsafe.read_capped(path)
    assert refused.value.code == "E002"
    assert yamlsafe.read_capped(path, limit=len(path.read_bytes())) == path.read_bytes()


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs alarm signals")
def test_a_fifo_that_appears_after_the_check_does_not_block(tmp_path):
    # Opening is non-blocking, so even a FIFO the stat did not see cannot hang the reader.
    fifo = tmp_path / "late.yaml"
    os.mkfifo(fifo)
    signal.alarm(10)
    try:
        with pytest.raises(ProblemError) as refused:
            yamlsafe.read_capped(fifo)
    finally:
        signal.alarm(0)
    assert refused.value.code == "E011"


# ---- folders that cannot be listed ----------------------------------------------------


def test_a_link_loop_inside_a_folder_does_not_hide_the_folder(tmp_path, capsys):
    folder = tmp_path / "guides"
    folder.mkdir()
    shutil.copy(OK, folder / "example.yaml")
    (folder / "loop.yaml").symlink_to("loop.yaml")
    code, out, err = run_cli(capsys, "validate", "--strict", "--format", "github", str(folder))
    assert code == 1
    assert "loop.yaml" in out
    code, out, err = run_cli(capsys, "list", "--guides-dir", str(folder))
    assert "example " in out


@pytest.mark.parametrize("kind", ["loop", "file", "link-to-file"])
def test_a_guides_folder_that_cannot_be_read_is_an_error_not_an_empty_folder(kind, tmp_path, capsys):
    target = tmp_path / "guides"
    if kind == "loop":
        target.symlink_to("guides")
    elif kind == "file":
        target.write_text("name: not a folder\n")
    else:
        (tmp_path / "afile").write_text("x")
        target.symlink_to(tmp_path / "afile")
    catalog = load_catalog([str(target)], bundled=False, today=TODAY)
    assert [p.code for p in catalog.errors] == ["E010"]
    assert catalog.missing_dirs == []  # it is there: saying "does not exist" would send the user looking elsewhere

    code, out, err = run_cli(capsys, "list", "--guides-dir", str(target))
    assert "does not exist" not in err
    assert "guides" in err and ("file, not a folder" in err or "loop" in err)


@pytest.mark.skipif(os.geteuid() == 0, reason="permissions do not stop root")
def test_a_folder_without_read_permission_is_an_error(tmp_path):
    folder = tmp_path / "guides"
    folder.mkdir()
    shutil.copy(OK, folder / "example.yaml")
    folder.chmod(0)
    try:
        catalog = load_paths([folder], today=TODAY)
        assert [p.code for p in catalog.errors] == ["E010"]
    finally:
        folder.chmod(0o755)


def test_a_templates_folder_that_cannot_be_read_is_reported(tmp_path):
    folder = tmp_path / "guides"
    folder.mkdir()
    (folder / "templates").symlink_to("templates")
    catalog = load_catalog([str(folder)], bundled=False, today=TODAY)
    assert [(p.code, p.path.name) for p in catalog.errors] == [("E010", "templates")]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  - id: turn-off", '  - id: "turn-off\\n"'),
        ("  - id: turn-off", "  - id: |\n      turn-off"),
        ("recheck_days: 90", 'recheck_days: 90\nregions: ["DE\\n"]'),
    ],
)
def test_an_id_or_code_with_a_final_line_break_is_refused(old, new, tmp_path):
    # The model's patterns end in `$`, which matches before a final line break.
    path = tmp_path / "example.yaml"
    text = OK.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    result = load_guide(path, today=TODAY)
    assert not result.ok
    assert "E103" in [p.code for p in result.problems if p.is_error]
