"""Guide releases made in the test, signed with a key made in the test, and an installed optout-tui that trusts it.

The package trusts only the keys written in walkthrough/update/keys.py (no
variable or file can add one: that is the point). So the end-to-end tests do
what a release does: they lay out the package as the wheel installs it (the
guides inside it as `_guides`) in a folder of their own, with the test's public
key written into its keys.py, and run the installed `optout-tui` with that
folder first on PYTHONPATH. The package under test is the real one, file for
file; only the key and the bundled guides differ.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from e2e.tmux_driver import installed_command

import walkthrough
from walkthrough.update import archive, minisign

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
BUNDLED = FIXTURES / "snap"  # the installed copy's bundled guides: linkedin, examplenet, one shared letter
BUNDLED_DATE = "2026-11-01"


def read_set(folder: Path) -> dict[str, bytes]:
    """A guide folder as a release's files: name -> bytes."""
    return archive.collect(folder)


def install_copy(root: Path, keys: list[minisign.PublicKey], *, bundled: Path = BUNDLED, serial: int = 1) -> Path:
    """The package laid out as the wheel installs it, trusting `keys`; returns the folder for PYTHONPATH."""
    site = root / "site"
    package = site / "walkthrough"
    shutil.copytree(Path(walkthrough.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__", "_guides"))
    shutil.copytree(bundled, package / "_guides")
    label = {"format": 1, "serial": serial, "date": BUNDLED_DATE, "min_app_version": "0.1.0"}
    (package / "_guides" / "release.json").write_text(json.dumps(label))
    keys_py = package / "update" / "keys.py"
    text = keys_py.read_text()
    lines = [k.line() for k in keys] + [None, None]
    text, n = re.subn(r"^CURRENT: str \| None = None$", f"CURRENT: str | None = {lines[0]!r}", text, flags=re.M)
    text, m = re.subn(r"^NEXT: str \| None = None$", f"NEXT: str | None = {lines[1]!r}", text, flags=re.M)
    assert n == m == 1, "walkthrough/update/keys.py no longer has the CURRENT and NEXT placeholders"
    keys_py.write_text(text)
    return site


def clean_env(site: Path | None, data: Path, **extra: str) -> dict[str, str]:
    """The environment for the installed command: no proxies or mirrors of the machine's, our data folder."""
    drop = {"OPTOUT_TUI_GUIDES", "OPTOUT_TUI_UPDATE_URL", "OPTOUT_TUI_DATA_DIR", "PYTHONPATH"}
    env = {k: v for k, v in os.environ.items() if k not in drop and "proxy" not in k.lower()}
    if site is not None:
        env["PYTHONPATH"] = str(site)
    env["OPTOUT_TUI_DATA_DIR"] = str(data)
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [installed_command(), *args], capture_output=True, text=True, env=env, timeout=timeout, cwd=env.get("HOME")
    )


def release(
    files: dict[str, bytes],
    secret: minisign.SecretKey,
    *,
    serial: int,
    date: str = "2026-11-20",
    min_app_version: str = "0.1.0",
    format: int = 1,  # noqa: A002 - the manifest's own field name
    archive_bytes: bytes | None = None,
    listed: dict[str, str] | None = None,
    archive_size: int | None = None,
) -> dict[str, bytes]:
    """A release's three files, signed with `secret`; the keywords make the broken ones the tests need."""
    data = archive_bytes if archive_bytes is not None else archive.build(files)
    manifest = {
        "format": format,
        "serial": serial,
        "date": date,
        "min_app_version": min_app_version,
        "archive": {
            "name": "guides.tar.gz",
            "size": archive_size if archive_size is not None else len(data),
            "sha256": archive.sha256(data),
        },
        "files": listed if listed is not None else {n: archive.sha256(b) for n, b in sorted(files.items())},
    }
    body = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    signature = minisign.sign(body, secret, f"timestamp:0\tfile:manifest.json\tserial:{serial}")
    return {"guides.tar.gz": data, "manifest.json": body, "manifest.json.minisig": signature.encode()}


def edited(files: dict[str, bytes], name: str, old: str, new: str) -> dict[str, bytes]:
    """`files` with one text replacement in one file (which must happen)."""
    text = files[name].decode()
    assert old in text, f"{old!r} is not in {name}"
    return {**files, name: text.replace(old, new, 1).encode()}
