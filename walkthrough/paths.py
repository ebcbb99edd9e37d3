"""Every folder optout-tui uses, and every environment variable that moves one.

Nothing else reads these variables or asks platformdirs, so the progress store,
the guide cache and the guide folders can never disagree about where they are.
A `~` is expanded; a variable that is set but blank is refused in plain words
(a blank value would otherwise become a folder named " " in the current folder).
Nothing here creates a folder: that is done by whoever writes into it.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "optout-tui"
ENV_DATA_DIR = "OPTOUT_TUI_DATA_DIR"  # progress, settings and (then) the guide cache
ENV_GUIDES = "OPTOUT_TUI_GUIDES"  # extra guide folders, separated like PATH
PROGRESS_FILE = "progress.sqlite3"


class PathError(Exception):
    """A folder setting that cannot be used; the message says what to do, in plain words."""


def _env_value(name: str) -> str | None:
    raw = os.environ.get(name)
    if raw is None:
        return None
    if not raw.strip():
        raise PathError(
            f"{name} is set, but to nothing. Set it to a folder (for example: export {name}=~/optout-tui) "
            f"or remove it (unset {name})."
        )
    return raw


def _folder(text: str) -> Path:
    return Path(text.strip()).expanduser()


def data_dir() -> Path:
    """Where the progress record lives: $OPTOUT_TUI_DATA_DIR, else the system's place for app data."""
    env = _env_value(ENV_DATA_DIR)
    if env is not None:
        return _folder(env)
    import platformdirs  # only here: most commands never need it

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def progress_file() -> Path:
    return data_dir() / PROGRESS_FILE


def cache_dir() -> Path:
    """Where parsed guides are cached: beside the data when $OPTOUT_TUI_DATA_DIR moves it."""
    if _env_value(ENV_DATA_DIR) is not None:
        return data_dir() / "cache"
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def bundled_guides_dir() -> Path:
    """The guides shipped with the package: inside the wheel, or guides/ in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_guides"
    return packaged if packaged.is_dir() else here.parent / "guides"


def extra_guide_dirs(cli_dirs: list[str] | None = None) -> list[Path]:
    """Folders from --guides-dir, then from $OPTOUT_TUI_GUIDES (empty entries between separators are skipped)."""
    dirs = [_folder(d) for d in cli_dirs or []]
    env = _env_value(ENV_GUIDES)
    if env is not None:
        dirs += [_folder(p) for p in env.split(os.pathsep) if p.strip()]
    return dirs


def saved_files_dir() -> Path:
    """Where files the user asks for (a letter to send) are saved: a folder they can find.

    optout-tui in their Documents folder, or in their home folder when there is no Documents.
    """
    import platformdirs

    documents = platformdirs.user_documents_path()
    return (documents if documents.is_dir() else Path.home()) / APP_NAME
