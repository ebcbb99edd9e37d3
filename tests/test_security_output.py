"""What the commands print and write: escape codes shown, never sent (item 4); export replaces only a file (item 11)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
from pathlib import Path

import pytest

from walkthrough import cli
from walkthrough.progress.store import ProgressStore

FIXTURES = Path(__file__).parent / "fixtures"
OK = FIXTURES / "hostile" / "ok-example.yaml"
BROKEN = FIXTURES / "hostile" / "syntax-error.yaml"

# File and folder names that drive a terminal when printed raw.
ESCAPES = {
    "retitle": "\x1b]0;PWNED\x07",
    "clear": "\x1b[2J",
    "8-bit CSI": "\x9b2J",
    "fake newline": "\nok.yaml:1:1: E000 fine",
    "carriage return": "\rAll good",
    "right-to-left override": "\u202egpj",
}


def raw_controls(text: str) -> list[str]:
    bad = [c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F or c == "\u202e"]
    return bad


@pytest.fixture(params=sorted(ESCAPES))
def escape_folder(request, tmp_path):
    """A guides folder whose broken file, and the folder itself, have escape codes in their names."""
    name = ESCAPES[request.param]
    folder = tmp_path / f"guides{name}"
    folder.mkdir()
    shutil.copy(BROKEN, folder / f"bad{name}.yaml")
    shutil.copy(OK, folder / "example.yaml")
    return folder


def test_validate_list_show_and_check_links_never_print_a_raw_escape(escape_folder, capsys):
    for args in (
        ["validate", str(escape_folder)],
        ["validate", "--format", "github", str(escape_folder)],
        ["list", "--guides-dir", str(escape_folder)],
        ["show", "nothing-like-this\x1b[2J", "--guides-dir", str(escape_folder)],
        ["check-links", str(escape_folder / "missing\x1b]0;x\x07.yaml")],
        ["list", "--guides-dir", str(escape_folder / "gone\x1b[2J")],
    ):
        cli.main(args)
        out, err = capsys.readouterr()
        assert raw_controls(out) == [] and raw_controls(err) == [], (args, out, err)
        if args[0] == "validate" and "--format" not in args:
            assert len(out.splitlines()) == 1, out  # the broken file: one line, however it is named


def test_a_broken_files_name_is_shown_with_its_escapes_visible(tmp_path, capsys):
    folder = tmp_path / "guides"
    folder.mkdir()
    shutil.copy(BROKEN, folder / "x\x1b]0;PWNED\x07.yaml")
    cli.main(["list", "--guides-dir", str(folder)])
    err = capsys.readouterr().err
    assert "x\\x1b]0;PWNED\\x07.yaml" in err


def test_progress_never_prints_a_raw_escape_from_a_typed_value_or_a_guide(tmp_path, data_dir, capsys):
    folder = tmp_path / "guides"
    folder.mkdir()
    (folder / "example.yaml").write_text(OK.read_text())
    with ProgressStore(data_dir / "progress.sqlite3") as store:
        store.mark("example", "turn-off", "done", "fp")
        store.save_fields("example", "turn-off", {"note": "A1\x1b]0;PWNED\x07\x9b2J"})
    for args in (["progress"], ["progress", "--json"], ["progress", "export"], ["progress", "export", "--json"]):
        assert cli.main([*args, "--guides-dir", str(folder)]) == 0
        out, err = capsys.readouterr()
        assert raw_controls(out) == [] and raw_controls(err) == [], (args, out)
        if "--json" in args:
            json.loads(out)  # still JSON


# ---- export writes only a new file or a regular one ------------------------------------------


@pytest.fixture
def saved(data_dir):
    with ProgressStore(data_dir / "progress.sqlite3") as store:
        store.mark("example", "turn-off", "done", "fp")


def special(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / kind
    if kind == "device":
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a second /dev/null
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        sock.close()
    elif kind == "link":
        (tmp_path / "real.md").write_text("my own notes\n")
        path.symlink_to(tmp_path / "real.md")
    return path


@pytest.mark.parametrize("kind", ["device", "fifo", "socket", "link"])
@pytest.mark.parametrize("force", [False, True])
def test_export_never_replaces_anything_but_a_regular_file(kind, force, tmp_path, saved, capsys):
    path = special(tmp_path, kind)
    before = os.lstat(path)
    args = ["progress", "export", "-o", str(path)] + (["--force"] if force else [])
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "Add --force" not in err
    after = os.lstat(path)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode) and after.st_ino == before.st_ino
    if kind == "link":
        assert (tmp_path / "real.md").read_text() == "my own notes\n"


@pytest.mark.parametrize("force", [False, True])
def test_export_to_a_folder_says_it_is_a_folder(force, tmp_path, saved, capsys):
    folder = tmp_path / "records"
    folder.mkdir()
    assert cli.main(["progress", "export", "-o", str(folder)] + (["--force"] if force else [])) == 1
    err = capsys.readouterr().err
    assert "is a folder" in err and "Add --force" not in err
    assert list(folder.iterdir()) == []


def test_export_still_replaces_a_regular_file_with_force(tmp_path, saved, capsys):
    path = tmp_path / "record.md"
    path.write_text("old\n")
    assert cli.main(["progress", "export", "-o", str(path)]) == 1
    assert "Add --force" in capsys.readouterr().err
    assert cli.main(["progress", "export", "-o", str(path), "--force"]) == 0
    assert path.read_text() != "old\n" and stat.S_ISREG(os.lstat(path).st_mode)
