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
ENV_UPDATE_URL = "OPTOUT_TUI_UPDATE_URL"  # where `optout-tui update` looks for guide releases (a mirror)
PROGRESS_FILE = "progress.sqlite3"
GUIDE_SETS = "guide-sets"  # downloaded guide releases, below the data folder
# The project's guide releases: `releases/latest/download/` always names the newest release's files.
DEFAULT_UPDATE_URL = "https://github.com/optout-tui/optout-tui/releases/latest/download/"


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


def running_from_source() -> bool:
    """True in a source checkout (an editable install, or run from the repository), where guides/ is being edited.

    The wheel carries the guides inside the package as `_guides`; without it the
    package is running from the repository, next to the contributor's guides/.
    """
    return not (Path(__file__).resolve().parent / "_guides").is_dir()


def guide_sets_dir() -> Path:
    """Where downloaded guide releases are kept (each set in its own folder, and the pointer to the one in use).

    Beside the progress record, not in the cache: the system may empty a cache
    folder at any time, and the pointer must never name a set that is gone.
    """
    return data_dir() / GUIDE_SETS


def update_url(cli_url: str | None = None) -> str:
    """Where `optout-tui update` downloads from: --url, else $OPTOUT_TUI_UPDATE_URL, else the project's releases."""
    if cli_url is not None:
        if not cli_url.strip():
            raise PathError("--url was given, but no address. Give the address of a guide mirror, or leave --url out.")
        return cli_url.strip()
    env = os.environ.get(ENV_UPDATE_URL)
    if env is None:
        return DEFAULT_UPDATE_URL
    if not env.strip():
        raise PathError(
            f"{ENV_UPDATE_URL} is set, but to nothing. Set it to the address of a guide mirror, "
            f"or remove it (unset {ENV_UPDATE_URL}) to use the project's own releases."
        )
    return env.strip()


def extra_guide_dirs(cli_dirs: list[str] | None = None) -> list[Path]:
    """Folders from --guides-dir, then from $OPTOUT_TUI_GUIDES (empty entries between separators are skipped)."""
    dirs = [_folder(d) for d in cli_dirs or []]
    env = _env_value(ENV_GUIDES)
    if env is not None:
        dirs += [_folder(p) for p in env.split(os.pathsep) if p.strip()]
    return dirs


def records_dir() -> Path:
    """Where the app saves an exported record: a folder people can find.

    The Documents folder's optout-tui folder (or the home folder's, where there is
    no Documents folder); beside the data when $OPTOUT_TUI_DATA_DIR moves it, so a
    test or a portable copy never writes into the real home folder.
    """
    if _env_value(ENV_DATA_DIR) is not None:
        return data_dir() / "records"
    import platformdirs

    documents = platformdirs.user_documents_path()
    base = documents if documents.is_dir() else Path.home()
    return base / APP_NAME


def saved_files_dir() -> Path:
    """Where files the user asks for (a letter to send) are saved: a folder they can find.

    optout-tui in their Documents folder, or in their home folder when there is no Documents.
    """
    import platformdirs

    documents = platformdirs.user_documents_path()
    return (documents if documents.is_dir() else Path.home()) / APP_NAME
