"""Shared by the progress tests: running Python code in a child process, as a user who is not root.

Permission tests mean nothing as root (root may write anywhere), and this
project's containers often run as root. So such checks run in a child process
that drops to `nobody` when we are root, in a folder that user may use.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOBODY = 65534


def child_env(data_dir: Path | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OPTOUT_TUI_DATA_DIR", "OPTOUT_TUI_GUIDES")}
    env["PYTHONPATH"] = str(ROOT)
    if data_dir is not None:
        env["OPTOUT_TUI_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


# The interpreter may live where `nobody` cannot read (root's home), so the child
# starts as root, imports what it needs, and only then gives up root.
DROP_ROOT = f"""
import datetime, difflib, gettext, json, locale, os, signal, sqlite3, tempfile, textwrap, time, platformdirs
import walkthrough.progress.store, walkthrough.cli, walkthrough.progress.status, walkthrough.catalog.loading
import walkthrough.commands.progress, walkthrough.progress.export, walkthrough.progress.report, walkthrough.paths
walkthrough.cli.build_parser().format_help()  # argparse imports more as it goes
walkthrough.catalog.loading.load_catalog()
if os.geteuid() == 0:
    os.setgroups([])
    os.setgid({NOBODY})
    os.setuid({NOBODY})
"""


def run_python(code: str, env: dict[str, str], *, unprivileged: bool = False, timeout: float = 60):
    if unprivileged:
        code = DROP_ROOT + code
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=timeout)


def last_json(proc: subprocess.CompletedProcess):
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


class SharedTmp:
    """A folder both this process and an unprivileged child may use; removed afterwards."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="optout-progress-"))
        self.path.chmod(0o777)

    def cleanup(self) -> None:
        for folder, dirs, _files in os.walk(self.path):
            for d in dirs:
                os.chmod(os.path.join(folder, d), 0o700)
        shutil.rmtree(self.path, ignore_errors=True)
