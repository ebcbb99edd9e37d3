"""The parts of guide updates that need no server: signatures, the archive, the release script, the words."""

from __future__ import annotations

import datetime
import gzip
import io
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from update_helpers import BUNDLED, REPO, read_set

from walkthrough.catalog import sources
from walkthrough.update import archive, manifest, minisign, release
from walkthrough.update.changes import Changes

# ---- signatures ------------------------------------------------------------------------


def test_a_signature_verifies_and_any_change_breaks_it() -> None:
    key = minisign.generate()
    signature = minisign.sign(b"serial 2\n", key, "timestamp:0\tfile:manifest.json")
    assert minisign.verify(b"serial 2\n", signature, [key.public()]) == key.public()
    with pytest.raises(minisign.SignatureError, match="does not match"):
        minisign.verify(b"serial 9\n", signature, [key.public()])
    # The trusted comment is signed too (minisign's second signature).
    changed_comment = signature.replace("file:manifest.json", "file:other.json")
    with pytest.raises(minisign.SignatureError, match="does not match"):
        minisign.verify(b"serial 2\n", changed_comment, [key.public()])


def test_a_signature_from_an_unknown_key_names_its_id() -> None:
    key, other = minisign.generate(), minisign.generate()
    signature = minisign.sign(b"x", other, "c")
    with pytest.raises(minisign.SignatureError, match=other.public().id_text):
        minisign.verify(b"x", signature, [key.public()])


def test_a_key_with_the_trusted_id_but_other_bytes_does_not_pass() -> None:
    # A stolen key id is worth nothing: the signature is checked with the trusted key's own bytes.
    key, forger = minisign.generate(), minisign.generate()
    forged = minisign.SecretKey(key.key_id, forger.seed)
    with pytest.raises(minisign.SignatureError, match="does not match"):
        minisign.verify(b"x", minisign.sign(b"x", forged, "c"), [key.public()])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "untrusted comment: x\n!!!!\ntrusted comment: y\nAAAA\n",
        "untrusted comment: x\nRWQ=\ntrusted comment: y\nAAAA\n",
    ],
)
def test_a_damaged_signature_file_is_refused_in_words(text: str) -> None:
    with pytest.raises(minisign.SignatureError):
        minisign.verify(b"x", text, [minisign.generate().public()])


def test_key_files_round_trip() -> None:
    key = minisign.generate()
    assert minisign.parse_secret_key(key.file_text()) == key
    assert minisign.parse_public_key(key.public().file_text()) == key.public()
    assert minisign.parse_public_key(key.public().line()) == key.public()


minisign_tool = shutil.which("minisign")


@pytest.mark.skipif(minisign_tool is None, reason="the minisign tool is not installed (apt-get install minisign)")
def test_the_real_minisign_tool_agrees_both_ways(tmp_path) -> None:
    # Our keys and signatures are minisign's: a maintainer may use either tool.
    assert minisign_tool is not None
    secret, public = tmp_path / "k.sec", tmp_path / "k.pub"
    release.keygen(secret, public)
    message = tmp_path / "manifest.json"
    message.write_bytes(b'{"serial": 2}\n')
    key = minisign.parse_secret_key(secret.read_text())
    (tmp_path / "manifest.json.minisig").write_text(minisign.sign(message.read_bytes(), key, "ours"))
    ours = subprocess.run([minisign_tool, "-V", "-p", str(public), "-m", str(message)], capture_output=True, text=True)
    assert ours.returncode == 0, ours.stderr
    theirs_sig = tmp_path / "theirs.minisig"
    subprocess.run(
        [minisign_tool, "-S", "-s", str(secret), "-m", str(message), "-x", str(theirs_sig), "-t", "theirs"],
        check=True,
        capture_output=True,
    )
    assert minisign.verify(message.read_bytes(), theirs_sig.read_text(), [key.public()]) == key.public()


# ---- the archive ---------------------------------------------------------------------------


def test_building_twice_gives_the_same_bytes_with_sorted_names_and_no_dates() -> None:
    files = read_set(BUNDLED)
    first, second = archive.build(files), archive.build(dict(reversed(list(files.items()))))
    assert first == second
    with tarfile.open(fileobj=io.BytesIO(first), mode="r:gz") as tar:
        members = tar.getmembers()
    assert [m.name for m in members] == sorted(files)
    assert {(m.mtime, m.uid, m.gid, m.uname, m.gname, m.mode) for m in members} == {(0, 0, 0, "", "", 0o644)}
    assert first[4:8] == b"\0\0\0\0", "gzip's header holds a time stamp"
    assert archive.read(first) == files


def _tar_with(*entries: tuple[str, bytes]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for name, body in entries:
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return gzip.compress(raw.getvalue())


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<html>not found</html>", "not a .tar.gz"),
        (gzip.compress(b"not a tar at all" * 100), "damaged or cut short"),
        (_tar_with(("a.yaml", b"x"))[:-30], "damaged or cut short"),
        (_tar_with(("a.yaml", b"x"), ("a.yml", b"y")), "two files for the same guide"),
        (_tar_with(("a.yaml", b"x"), ("a.yaml", b"y")), "twice"),
        (_tar_with(("big.yaml", b"x" * (256 * 1024 + 1))), "over the 256 KB"),
        (_tar_with(("Bad Name.yaml", b"x")), "not a guide or shared letter file name"),
        (_tar_with(("templates/deeper/x.yaml", b"x")), "not a guide or shared letter file name"),
        (_tar_with(("./a.yaml", b"x")), "in a folder other than templates/"),
        (_tar_with(("templates\\x.yaml", b"x")), "absolute path"),
    ],
)
def test_a_bad_archive_is_refused_in_memory(data: bytes, words: str) -> None:
    with pytest.raises(archive.ArchiveError, match=words):
        archive.read(data)


def test_too_many_files_are_refused(monkeypatch) -> None:
    monkeypatch.setattr(archive, "MAX_FILES", 3)
    data = _tar_with(*((f"g{i}.yaml", b"x") for i in range(4)))
    with pytest.raises(archive.ArchiveError, match="more than 3 files"):
        archive.read(data)


# ---- the manifest ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"), [("0.1.0", (0, 1, 0)), ("1.10", (1, 10)), ("0.3.0rc1", (0, 3, 0)), ("x", None)]
)
def test_versions_compare_as_numbers(text: str, expected) -> None:
    assert manifest.version_tuple(text) == expected


def test_a_manifest_with_an_unknown_field_is_refused() -> None:
    good = {
        "format": 1,
        "serial": 2,
        "date": "2026-11-25",
        "min_app_version": "0.1.0",
        "archive": {"name": "guides.tar.gz", "size": 1, "sha256": "0" * 64},
        "files": {},
    }
    assert manifest.parse(json.dumps(good).encode(), "0.1.0").serial == 2
    with pytest.raises(manifest.ManifestError, match="not as expected"):
        manifest.parse(json.dumps({**good, "extra_keys": ["RWQ..."]}).encode(), "0.1.0")


# ---- the release script -----------------------------------------------------------------------


def _script(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "walkthrough.update.release", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
        timeout=120,
    )


def test_the_release_script_builds_signs_and_verifies_with_any_key(tmp_path) -> None:
    made = _script("keygen", "--secret", "k.sec", "--public", "k.pub", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "k.sec").stat().st_mode & 0o077 == 0, "the secret key is readable by others"
    built = _script(
        "build",
        "--key",
        "k.sec",
        "--guides",
        str(BUNDLED),
        "--out",
        "dist",
        "--serial",
        "7",
        "--date",
        "2026-11-25",
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == [
        "guides.tar.gz",
        "manifest.json",
        "manifest.json.minisig",
    ]
    found = json.loads((tmp_path / "dist" / "manifest.json").read_text())
    assert found["serial"] == 7 and found["date"] == "2026-11-25" and found["format"] == 1
    assert set(found["files"]) == {"examplenet.yaml", "linkedin.yaml", "templates/gdpr-objection.yaml"}
    checked = _script("verify", "dist", "--public-key", "k.pub", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    # A second build never replaces a published file.
    again = _script("build", "--key", "k.sec", "--guides", str(BUNDLED), "--out", "dist", "--serial", "8", cwd=tmp_path)
    assert again.returncode == 1 and "a release file is never replaced" in again.stderr


def test_the_release_script_refuses_a_guide_with_errors(tmp_path) -> None:
    guides = tmp_path / "guides"
    shutil.copytree(BUNDLED, guides)
    text = (
        (guides / "linkedin.yaml").read_text().replace("https://www.linkedin.com/login", "https://evil.example/login")
    )
    (guides / "linkedin.yaml").write_text(text)
    release.keygen(tmp_path / "k.sec", tmp_path / "k.pub")
    out = _script("build", "--key", "k.sec", "--guides", str(guides), "--out", "dist", "--serial", "2", cwd=tmp_path)
    assert out.returncode == 1
    assert "E203" in out.stderr and "optout-tui validate --strict" in out.stderr
    assert not (tmp_path / "dist").exists()


def test_the_bundled_guides_carry_a_serial_and_build_into_a_release(tmp_path) -> None:
    label = json.loads((REPO / "guides" / "release.json").read_text())
    assert label["serial"] >= 1 and datetime.date.fromisoformat(label["date"])
    release.keygen(tmp_path / "k.sec", tmp_path / "k.pub")
    secret = minisign.parse_secret_key((tmp_path / "k.sec").read_text())
    found = release.build(REPO / "guides", tmp_path / "dist", secret)
    assert found.serial == label["serial"]
    assert "release.json" not in found.files and "schema.json" not in found.files


@pytest.mark.parametrize(
    ("published", "bundled", "app_release", "expected"),
    [(None, 1, False, 1), (4, 1, False, 5), (4, 9, False, 9), (4, 4, True, 4), (4, 6, True, 6)],
)
def test_the_next_serial_only_grows(tmp_path, published, bundled, app_release, expected) -> None:
    guides = tmp_path / "guides"
    guides.mkdir()
    (guides / "release.json").write_text(json.dumps({"serial": bundled, "date": "2026-11-01"}))
    path = None
    if published is not None:
        path = tmp_path / "manifest.json"
        body = {
            "format": 1,
            "serial": published,
            "date": "2026-11-25",
            "min_app_version": "0.1.0",
            "archive": {"name": "guides.tar.gz", "size": 1, "sha256": "0" * 64},
            "files": {},
        }
        path.write_text(json.dumps(body))
    assert release.next_serial(path, guides, app_release=app_release) == expected


def test_an_app_release_below_the_published_serial_is_stopped(tmp_path) -> None:
    guides = tmp_path / "guides"
    guides.mkdir()
    (guides / "release.json").write_text(json.dumps({"serial": 3}))
    published = tmp_path / "manifest.json"
    published.write_text(
        json.dumps(
            {
                "format": 1,
                "serial": 5,
                "date": "2026-11-25",
                "min_app_version": "0.1.0",
                "archive": {"name": "guides.tar.gz", "size": 1, "sha256": "0" * 64},
                "files": {},
            }
        )
    )
    with pytest.raises(release.ReleaseError, match="Raise its serial to 6"):
        release.next_serial(published, guides, app_release=True)


# ---- the words ---------------------------------------------------------------------------------


def test_dates_are_written_out() -> None:
    assert sources.date_words(datetime.date(2026, 11, 22)) == "22 November 2026"


def test_the_age_line_appears_after_30_days() -> None:
    made = datetime.date(2026, 11, 22)
    downloaded = sources.GuideSet("downloaded", Path("x"), 3, made)
    assert sources.freshness(downloaded, made + datetime.timedelta(days=30)) is None
    assert sources.freshness(downloaded, made + datetime.timedelta(days=31)) == (
        "Guides checked up to 22 November 2026. To get newer ones: optout-tui update"
    )
    checkout = sources.GuideSet("checkout", Path("x"), 3, made)
    assert sources.freshness(checkout, made + datetime.timedelta(days=400)) is None


@pytest.mark.parametrize(
    ("changes", "first"),
    [
        (Changes(changed=["A", "B", "C"], new=["D", "E"]), "3 guides changed, 2 new."),
        (Changes(new=["D"]), "1 new guide."),
        (Changes(new=["D", "E"], removed=["F"]), "2 new guides, 1 removed."),
        (Changes(removed=["F"]), "1 guide removed."),
        (Changes(), "No guide changed."),
    ],
)
def test_the_summary_counts_in_words(changes: Changes, first: str) -> None:
    assert changes.lines()[0] == first
