"""`optout-tui update` as a user runs it: the installed command, a real server on 127.0.0.1, a key made here.

Every refusal must say why in plain words, exit 1, and leave the guides in use
exactly as they were (no pointer, no new set, `list` unchanged). Nothing here
reaches beyond this computer.
"""

from __future__ import annotations

import datetime
import io
import json
import sys
import tarfile
from pathlib import Path

import pytest
from update_helpers import (
    BUNDLED,
    clean_env,
    edited,
    install_copy,
    read_set,
    release,
    run,
)
from update_server import ReleaseServer, Route

from walkthrough.content.loader import load_guide, load_template
from walkthrough.content.model import step_fingerprint
from walkthrough.progress.store import ProgressStore
from walkthrough.update import minisign

TURN_OFF = 'title: Turn off "Data for Generative AI Improvement"'
NEW_TITLE = 'title: Turn off "Data for Generative AI Improvement" under Data privacy'


@pytest.fixture(scope="session")
def key() -> minisign.SecretKey:
    return minisign.generate()


@pytest.fixture(scope="session")
def next_key() -> minisign.SecretKey:
    return minisign.generate()


@pytest.fixture(scope="session")
def site(tmp_path_factory, key, next_key) -> Path:
    """The installed package, trusting the test's current and next keys."""
    return install_copy(tmp_path_factory.mktemp("installed"), [key.public(), next_key.public()])


@pytest.fixture
def server():
    with ReleaseServer() as srv:
        yield srv


@pytest.fixture
def data(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def env(site, data) -> dict[str, str]:
    return clean_env(site, data)


def bundled_files() -> dict[str, bytes]:
    return read_set(BUNDLED)


def new_guides() -> dict[str, bytes]:
    """The next release: LinkedIn's setting step reworded and a host added, and a new guide, Acme."""
    files = edited(bundled_files(), "linkedin.yaml", TURN_OFF, NEW_TITLE)
    files = edited(files, "linkedin.yaml", "domains: [linkedin.com]", "domains: [linkedin.com, lnkd.in]")
    acme = files["examplenet.yaml"].decode().replace("name: ExampleNet", "name: Acme Cloud")
    return {**files, "acme.yaml": acme.encode()}


def nothing_installed(data: Path) -> bool:
    sets = data / "guide-sets"
    return not (sets / "in-use.json").exists() and not [p for p in sets.glob("*") if p.name != ".lock"]


def listing(env) -> str:
    out = run(["list"], env)
    assert out.returncode == 0, out.stderr
    return out.stdout


def finish_linkedin(data: Path) -> None:
    """The user did every LinkedIn step, on the bundled guide: their record, in the real store."""
    templates = {"gdpr-objection": load_template(BUNDLED / "templates" / "gdpr-objection.yaml").value}
    guide = load_guide(BUNDLED / "linkedin.yaml", templates, style=False).value
    assert guide is not None
    with ProgressStore(data / "progress.sqlite3") as store:
        for step in guide.steps:
            store.mark("linkedin", step.id, "done", step_fingerprint(step))


# ---- the good path ------------------------------------------------------------------


def test_a_good_update_end_to_end(server, env, data, key) -> None:
    finish_linkedin(data)
    store_rows = _marks(data)
    before = listing(env)
    assert "Guides in use: the ones that came with optout-tui 0.1.0, release 1 of 1 November 2026." in before
    server.publish(release(new_guides(), key, serial=2))

    out = run(["update", "--url", server.url()], env)

    assert out.returncode == 0, out.stderr
    assert f"uses the network. This contacts 127.0.0.1:{server.server_address[1]}" in out.stderr
    lines = out.stdout.splitlines()
    assert (
        lines[0]
        == "Installed guides release 2 of 20 November 2026 (you had the guides that came with optout-tui, release 1 of 1 November 2026)."
    )
    assert "1 guide changed, 1 new." in lines
    assert "Changed: LinkedIn." in lines and "New: Acme Cloud." in lines
    assert "LinkedIn's guide now also links to lnkd.in." in lines
    assert (
        "You finished LinkedIn; its step 'Turn off \"Data for Generative AI Improvement\" under Data privacy' "
        "changed, so it is marked to check again."
    ) in lines
    assert lines[-1] == "To go back to the guides you had: optout-tui update --revert"
    # The record was only read: every row is as it was.
    assert _marks(data) == store_rows

    after = listing(env)
    assert "Guides in use: downloaded release 2 of 20 November 2026." in after
    assert any(line.startswith("acme ") for line in after.splitlines())
    show = run(["show", "linkedin"], env)
    assert "under Data privacy" in show.stdout
    # The status rules now show the step as changed, from the same record.
    progress = run(["progress", "--json"], env)
    assert progress.returncode == 0, progress.stderr
    assert '"changed"' in progress.stdout


def _marks(data: Path) -> list[tuple]:
    import sqlite3

    conn = sqlite3.connect(data / "progress.sqlite3")
    try:
        return conn.execute("SELECT * FROM mark ORDER BY guide_id, step_id").fetchall()
    finally:
        conn.close()


def test_the_same_release_again_is_up_to_date_and_not_downloaded(server, env, data, key) -> None:
    server.publish(release(new_guides(), key, serial=2))
    assert run(["update", "--url", server.url()], env).returncode == 0
    server.requests.clear()
    out = run(["update", "--url", server.url()], env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Your guides are up to date (release 2 of 20 November 2026)."
    assert "/release/guides.tar.gz" not in server.requests


def test_check_says_what_is_newer_and_changes_nothing(server, env, data, key) -> None:
    server.publish(release(new_guides(), key, serial=2))
    out = run(["update", "--check", "--url", server.url()], env)
    assert out.returncode == 0, out.stderr
    assert "Newer guides are available: release 2 of 20 November 2026" in out.stdout
    assert "To get them: optout-tui update" in out.stdout
    assert "/release/guides.tar.gz" not in server.requests
    assert not (data / "guide-sets").exists()


def test_the_mirror_variable_is_used_and_named_before_contacting_it(server, site, data, key) -> None:
    server.publish(release(new_guides(), key, serial=2))
    env = clean_env(site, data, OPTOUT_TUI_UPDATE_URL=server.url())
    out = run(["update"], env)
    assert out.returncode == 0, out.stderr
    assert server.url() in out.stderr.splitlines()[0]
    assert "/release/manifest.json" in server.requests


def test_a_release_signed_with_the_next_key_is_accepted(server, env, next_key) -> None:
    server.publish(release(new_guides(), next_key, serial=2))
    out = run(["update", "--url", server.url()], env)
    assert out.returncode == 0, out.stderr


def test_revert_goes_back_and_forth(server, env, data, key) -> None:
    server.publish(release(new_guides(), key, serial=2))
    assert run(["update", "--url", server.url()], env).returncode == 0
    out = run(["update", "--revert"], env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == (
        "Went back to the guides that came with optout-tui, release 1 of 1 November 2026 "
        "(from release 2 of 20 November 2026)."
    )
    assert out.stdout.splitlines()[1] == "To get the newest guides again: optout-tui update"
    assert "Guides in use: the ones that came with optout-tui" in listing(env)
    assert "under Data privacy" not in run(["show", "linkedin"], env).stdout
    again = run(["update", "--revert"], env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [
        "Went back to release 2 of 20 November 2026 (from the guides that came with optout-tui, "
        "release 1 of 1 November 2026)."
    ]
    assert "Guides in use: downloaded release 2 of 20 November 2026." in listing(env)


def test_revert_with_nothing_to_go_back_to(env, data) -> None:
    out = run(["update", "--revert"], env)
    assert out.returncode == 1
    assert out.stderr.strip() == (
        "optout-tui update: There are no earlier guides to go back to. Your guides were not changed."
    )


def test_the_previous_set_is_kept_and_older_ones_removed(server, env, data, key) -> None:
    for serial in (2, 3, 4):
        files = edited(new_guides(), "acme.yaml", "name: Acme Cloud", f"name: Acme {serial}")
        server.routes.clear()
        server.publish(release(files, key, serial=serial))
        assert run(["update", "--url", server.url()], env).returncode == 0
    pointer = json.loads((data / "guide-sets" / "in-use.json").read_text())
    assert pointer["current"]["serial"] == 4 and pointer["previous"]["serial"] == 3
    kept = sorted(p.name.split("-")[0] for p in (data / "guide-sets").iterdir() if p.is_dir() and p.name[0] != ".")
    assert kept == ["3", "4"]


def test_install_from_a_file_uses_no_network(tmp_path, env, data, key) -> None:
    folder = tmp_path / "download"
    folder.mkdir()
    for name, body in release(new_guides(), key, serial=2).items():
        (folder / name).write_bytes(body)
    # Any attempt to reach the network would go to a proxy that is not there.
    out = run(["update", "--from", str(folder / "guides.tar.gz")], {**env, "HTTPS_PROXY": "http://127.0.0.1:9"})
    assert out.returncode == 0, out.stderr
    assert "uses the network" not in out.stderr
    assert "Guides in use: downloaded release 2 of 20 November 2026." in listing(env)


def test_install_from_a_file_without_its_signature_is_refused(tmp_path, env, data, key) -> None:
    folder = tmp_path / "download"
    folder.mkdir()
    for name, body in release(new_guides(), key, serial=2).items():
        if name != "manifest.json.minisig":
            (folder / name).write_bytes(body)
    out = run(["update", "--from", str(folder / "guides.tar.gz")], env)
    assert out.returncode == 1
    assert "The signature (manifest.json.minisig) should be beside the archive" in out.stderr
    assert nothing_installed(data)


def test_an_old_download_gives_way_to_newer_bundled_guides(server, tmp_path, data, key) -> None:
    old_app = install_copy(tmp_path / "old", [key.public()], serial=1)
    new_app = install_copy(tmp_path / "new", [key.public()], serial=5)
    server.publish(release(new_guides(), key, serial=2))
    assert run(["update", "--url", server.url()], clean_env(old_app, data)).returncode == 0
    # The user upgrades the app: its own guides (serial 5) are newer than the download (2).
    out = listing(clean_env(new_app, data))
    assert "Guides in use: the ones that came with optout-tui 0.1.0, release 5 of 1 November 2026." in out
    check = run(["update", "--url", server.url()], clean_env(new_app, data))
    assert check.returncode == 1
    assert "older than the release 5 already installed" in check.stderr


def test_a_damaged_pointer_falls_back_to_the_bundled_guides(env, data) -> None:
    (data / "guide-sets").mkdir(parents=True)
    (data / "guide-sets" / "in-use.json").write_text(
        '{"current": {"folder": "../../etc", "serial": 9, "date": "2026-01-01"}}'
    )
    out = listing(env)
    assert "Guides in use: the ones that came with optout-tui" in out
    assert "The downloaded guides could not be read" in out


def test_list_says_how_old_the_guides_are_after_30_days(server, env, data, key) -> None:
    server.publish(release(new_guides(), key, serial=2, date="2020-01-02"))
    assert run(["update", "--url", server.url()], env).returncode == 0
    out = listing(env)
    assert "Guides checked up to 2 January 2020. To get newer ones: optout-tui update" in out


def test_fresh_guides_get_no_age_line(server, env, data, key) -> None:
    today = datetime.date.today().isoformat()
    server.publish(release(new_guides(), key, serial=2, date=today))
    assert run(["update", "--url", server.url()], env).returncode == 0
    assert "Guides checked up to" not in listing(env)


def test_a_source_checkout_ignores_downloads(server, env, data, key) -> None:
    server.publish(release(new_guides(), key, serial=2))
    assert run(["update", "--url", server.url()], env).returncode == 0
    import subprocess
    import sys

    from update_helpers import REPO

    checkout = subprocess.run(
        [sys.executable, "-m", "walkthrough", "list"],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(REPO)},
        cwd=REPO,
        timeout=60,
    )
    assert checkout.returncode == 0, checkout.stderr
    assert "a copy of the source code (downloaded guides are not used here, so your edits win)" in checkout.stdout
    assert not any(line.startswith("acme ") for line in checkout.stdout.splitlines())


def test_no_built_in_key_means_no_update_and_no_network(server, tmp_path, data, key) -> None:
    unkeyed = install_copy(tmp_path / "unkeyed", [])
    server.publish(release(new_guides(), key, serial=2))
    out = run(["update", "--url", server.url()], clean_env(unkeyed, data))
    assert out.returncode == 1
    assert "built without the project's public key" in out.stderr
    assert "contacts" not in out.stderr, "it said it would contact a server it then did not contact"
    assert server.requests == []


@pytest.mark.skipif(sys.platform == "win32", reason="the test holds the lock with fcntl")
def test_another_update_running_is_waited_for(server, env, data, key) -> None:
    import fcntl
    import os

    server.publish(release(new_guides(), key, serial=2))
    (data / "guide-sets").mkdir(parents=True)
    fd = os.open(data / "guide-sets" / ".lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        out = run(["update", "--url", server.url()], env)
    finally:
        os.close(fd)
    assert out.returncode == 1
    assert "Another `optout-tui update` is running" in out.stderr
    assert nothing_installed(data)


# ---- refusals ----------------------------------------------------------------------


def _tar(entries: list[tuple[tarfile.TarInfo, bytes | None]]) -> bytes:
    import gzip

    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, body in entries:
            tar.addfile(info, io.BytesIO(body) if body is not None else None)
    return gzip.compress(raw.getvalue())


def _file(name: str, body: bytes = b"x") -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(body)
    return info, body


def _special(name: str, kind: bytes, target: str = "") -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info, None


def _hostile(entries, key) -> dict[str, bytes]:
    """A signed release whose archive holds `entries` besides the good guides, all listed in the manifest."""
    good = new_guides()
    items = [_file(n, b) for n, b in sorted(good.items())] + entries
    data = _tar(items)
    listed = {info.name: __import__("hashlib").sha256(body or b"").hexdigest() for info, body in items}
    return release(good, key, serial=2, archive_bytes=data, listed=listed)


def _other_key_release() -> dict[str, bytes]:
    return release(new_guides(), minisign.generate(), serial=2)


def _tampered(key) -> dict[str, bytes]:
    files = release(new_guides(), key, serial=2)
    return {**files, "manifest.json": files["manifest.json"].replace(b'"serial": 2', b'"serial": 9')}


def _swapped_archive(key) -> dict[str, bytes]:
    # The signed size, other bytes: another archive compresses to another size, so one byte is changed instead.
    files = release(new_guides(), key, serial=2)
    archive = bytearray(files["guides.tar.gz"])
    archive[len(archive) // 2] ^= 0xFF
    return {**files, "guides.tar.gz": bytes(archive)}


def _invalid_guide(key) -> dict[str, bytes]:
    bad = edited(new_guides(), "linkedin.yaml", "https://www.linkedin.com/login", "http://www.linkedin.com/login")
    return release(bad, key, serial=2)


def _phishing_link(key) -> dict[str, bytes]:
    bad = edited(
        new_guides(), "linkedin.yaml", "https://www.linkedin.com/login", "https://linkedin.com.evil.example/login"
    )
    return release(bad, key, serial=2)


def _unlisted_file(key) -> dict[str, bytes]:
    good = new_guides()
    listed = {n: __import__("hashlib").sha256(b).hexdigest() for n, b in good.items() if n != "acme.yaml"}
    return release(good, key, serial=2, listed=listed)


REFUSALS = {
    "signed with another key": (lambda key: _other_key_release(), "a key this optout-tui does not trust"),
    "manifest changed after signing": (_tampered, "The signature does not match"),
    "empty signature": (
        lambda key: {**release(new_guides(), key, serial=2), "manifest.json.minisig": b"\n"},
        "The guides have no signature",
    ),
    "newer format": (
        lambda key: release(new_guides(), key, serial=2, format=2),
        "newer format than this optout-tui can read. Update optout-tui itself first",
    ),
    "newer app needed": (
        lambda key: release(new_guides(), key, serial=2, min_app_version="99.0"),
        "These guides need optout-tui 99.0 or newer; this is 0.1.0. Update optout-tui itself first",
    ),
    "archive hash differs": (_swapped_archive, "differs from the one that was signed (its SHA-256 does not match)"),
    "archive over the size cap": (
        lambda key: release(new_guides(), key, serial=2, archive_size=40 * 1024 * 1024),
        "over the size cap (16 MB)",
    ),
    "a guide failing validation": (
        _invalid_guide,
        "1 file in these guides has errors, so none of them were installed. The first: linkedin.yaml:",
    ),
    "a link to another site": (_phishing_link, "linkedin.yaml:"),
    "a file the manifest does not list": (_unlisted_file, "a file its signed list does not: 'acme.yaml'"),
    "entry with ..": (
        lambda key: _hostile([_file("../escape.yaml")], key),
        "a path outside the guides folder (..): '../escape.yaml'",
    ),
    "absolute entry": (
        lambda key: _hostile([_file("/etc/cron.d/evil.yaml")], key),
        "an absolute path: '/etc/cron.d/evil.yaml'",
    ),
    "symbolic link": (
        lambda key: _hostile([_special("evil.yaml", tarfile.SYMTYPE, "/etc/passwd")], key),
        "an entry that is a link: 'evil.yaml'",
    ),
    "hard link": (
        lambda key: _hostile([_special("evil.yaml", tarfile.LNKTYPE, "linkedin.yaml")], key),
        "an entry that is a link: 'evil.yaml'",
    ),
    "another folder": (
        lambda key: _hostile([_special("scripts", tarfile.DIRTYPE)], key),
        "a folder other than templates/: 'scripts'",
    ),
    "a file in another folder": (
        lambda key: _hostile([_file("scripts/run.yaml")], key),
        "in a folder other than templates/",
    ),
    "not a guide file name": (
        lambda key: _hostile([_file("README.md")], key),
        "not a guide or shared letter file name: 'README.md'",
    ),
    "a device": (lambda key: _hostile([_special("dev.yaml", tarfile.CHRTYPE)], key), "not a plain file: 'dev.yaml'"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_bad_release_is_refused_and_changes_nothing(case, server, env, data, key) -> None:
    make, words = REFUSALS[case]
    finish_linkedin(data)
    before = listing(env)
    server.publish(make(key))
    out = run(["update", "--url", server.url()], env)
    assert out.returncode == 1, out.stdout
    error = out.stderr.splitlines()[-1]
    assert error.startswith("optout-tui update: ") and error.endswith(" Your guides were not changed."), out.stderr
    assert words in error
    assert "Traceback" not in out.stderr
    assert nothing_installed(data)
    assert listing(env) == before


SERVER_FAULTS = {
    "no release there (404 page)": (lambda files: {}, "There is no guide release at"),
    "a web page instead of the manifest": (
        lambda files: {"manifest.json": Route(b"<!doctype html><title>Sign in to Wi-Fi</title>", 200, "text/html")},
        "sent a web page instead of guide files",
    ),
    "a web page served as a file": (
        lambda files: {"manifest.json": Route(b"\n<html><body>Hotel Wi-Fi</body></html>")},
        "sent a web page instead of guide files",
    ),
    "the signature missing (404)": (
        lambda files: {"manifest.json": Route(files["manifest.json"])},
        "There is no guide release at",
    ),
    "the archive cut short": (
        lambda files: {"guides.tar.gz": Route(files["guides.tar.gz"], cut_at=len(files["guides.tar.gz"]) // 2)},
        "was cut short",
    ),
    "the archive shorter than signed": (
        lambda files: {"guides.tar.gz": Route(files["guides.tar.gz"][:-100])},
        "the download was cut short",
    ),
    "the archive longer than signed": (
        lambda files: {"guides.tar.gz": Route(files["guides.tar.gz"] + b"\0" * 4096)},
        "larger than the one that was signed",
    ),
    "a server error": (
        lambda files: {"manifest.json": Route(b"<h1>oops</h1>", 500, "text/html")},
        "answered 500 Internal Server Error",
    ),
}


@pytest.mark.parametrize("case", list(SERVER_FAULTS))
def test_a_bad_answer_from_the_server_is_refused(case, server, env, data, key) -> None:
    make, words = SERVER_FAULTS[case]
    files = release(new_guides(), key, serial=2)
    routes = make(files)
    if "manifest.json" in routes or "guides.tar.gz" in routes:
        server.publish({n: b for n, b in files.items() if n not in routes or n == "guides.tar.gz"})
    for name, route in routes.items():
        server.routes["/release/" + name] = route
    if case == "the signature missing (404)":
        server.routes.pop("/release/manifest.json.minisig", None)
    out = run(["update", "--url", server.url()], env)
    assert out.returncode == 1, out.stdout
    assert words in out.stderr and out.stderr.rstrip().endswith("Your guides were not changed."), out.stderr
    assert nothing_installed(data)


def test_an_older_serial_is_refused_as_a_rollback(server, env, data, key) -> None:
    server.publish(release(new_guides(), key, serial=3))
    assert run(["update", "--url", server.url()], env).returncode == 0
    server.routes.clear()
    server.publish(release(bundled_files(), key, serial=2))
    out = run(["update", "--url", server.url()], env)
    assert out.returncode == 1
    assert "These guides are release 2 of 20 November 2026, older than the release 3 already installed" in out.stderr
    assert "/release/guides.tar.gz" not in server.requests[-2:]
    assert "Guides in use: downloaded release 3 of 20 November 2026." in listing(env)


def test_connection_refused_is_one_plain_line(env, data) -> None:
    from linkcheck_server import closed_port

    out = run(["update", "--url", f"http://127.0.0.1:{closed_port()}/"], env)
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 2, out.stderr  # what it contacts, then what went wrong
    assert "the connection was refused" in lines[1] and lines[1].endswith("Your guides were not changed.")
    assert nothing_installed(data)


def test_a_server_that_does_not_answer_in_time(server, env, data, key) -> None:
    server.publish(release(new_guides(), key, serial=2))
    server.routes["/release/manifest.json"].delay = 3
    out = run(["update", "--url", server.url(), "--timeout", "0.5"], env)
    assert out.returncode == 1
    assert "did not answer within 0.5 seconds. Your guides were not changed." in out.stderr
    assert nothing_installed(data)


def test_a_plain_http_address_elsewhere_is_refused(env, data) -> None:
    out = run(["update", "--url", "http://guides.example.org/"], env)
    assert out.returncode == 1
    assert "is not a secure address: use https://" in out.stderr


# ---- proxies and certificates ---------------------------------------------------------


def test_the_proxy_variable_is_honoured(server, site, data, key) -> None:
    from linkcheck_server import closed_port

    server.publish(release(new_guides(), key, serial=2))
    # Nothing listens at the address itself: only through the proxy can the release arrive.
    url = f"http://127.0.0.1:{closed_port()}/release/"
    env = clean_env(site, data, HTTP_PROXY=f"http://127.0.0.1:{server.server_address[1]}")
    out = run(["update", "--url", url], env)
    assert out.returncode == 0, out.stderr
    assert any(p.endswith("/release/guides.tar.gz") for p in server.proxied)


def test_the_certificate_variable_is_honoured(tmp_path, site, data, key) -> None:
    from tls_helpers import make_tls

    context, ca_file = make_tls(tmp_path)
    with ReleaseServer(tls=context) as srv:
        srv.publish(release(new_guides(), key, serial=2))
        untrusted = run(["update", "--url", srv.url()], clean_env(site, data))
        assert untrusted.returncode == 1
        assert "its certificate is not one this computer trusts" in untrusted.stderr
        assert "point SSL_CERT_FILE at them" in untrusted.stderr
        trusted = run(["update", "--url", srv.url()], clean_env(site, data, SSL_CERT_FILE=str(ca_file)))
        assert trusted.returncode == 0, trusted.stderr


def test_guides_signed_with_a_withdrawn_key_are_no_longer_used(server, tmp_path, data, key) -> None:
    # A leaked key signed a release with a huge serial; the app release that withdraws that key
    # must stop using it, and must accept the next good release even though its serial is lower.
    leaked = minisign.generate()
    old_app = install_copy(tmp_path / "old", [leaked.public(), key.public()])
    server.publish(release(edited(new_guides(), "acme.yaml", "Acme Cloud", "Evil Corp"), leaked, serial=900))
    assert run(["update", "--url", server.url()], clean_env(old_app, data)).returncode == 0
    assert "Evil Corp" in listing(clean_env(old_app, data))

    new_app = install_copy(tmp_path / "new", [key.public()])
    out = listing(clean_env(new_app, data))
    assert "signed with a key this optout-tui no longer trusts" in out
    assert "Evil Corp" not in out and "Guides in use: the ones that came with optout-tui" in out

    server.routes.clear()
    server.publish(release(new_guides(), key, serial=3))
    good = run(["update", "--url", server.url()], clean_env(new_app, data))
    assert good.returncode == 0, good.stderr
    assert "Guides in use: downloaded release 3 of 20 November 2026." in listing(clean_env(new_app, data))
