"""Getting a new set of guides in, checked at every step, or going back to the one before.

The order is the point: nothing is written until everything is checked.

1. The built-in public keys are read (none set: refuse before any download).
2. The manifest and its signature are fetched (or read from disk) and the
   signature checked against those keys. Only then is the manifest read:
   its format and minimum app version (newer than this app: "update optout-tui
   itself"), its serial (older than what is installed: refused as a rollback;
   the same: up to date), its archive's size (over the cap: refused).
3. The archive is fetched (or read), its size and SHA-256 checked against the
   manifest, unpacked in memory with every entry checked, each file's SHA-256
   checked, and every guide and letter validated with the app's own loader.
4. What changes for the user is worked out from the set in use and the
   progress record (read-only).
5. The set is written beside the others, read back, and switched in by one
   atomic rename of the pointer (see `walkthrough.update.sets`); the set it
   replaces is kept for `--revert`.

Every refusal is an UpdateError whose message is plain words. Used by
`optout-tui update`; the app's "Update guides" command can call the same
functions (they print nothing).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from walkthrough import __version__, paths
from walkthrough.catalog import sources
from walkthrough.content.guidefile import guide_id
from walkthrough.content.model import Guide, SharedTemplate
from walkthrough.safe_text import visible
from walkthrough.update import archive, sets
from walkthrough.update import manifest as manifests
from walkthrough.update.manifest import ARCHIVE_NAME, MANIFEST_NAME, SIGNATURE_NAME, Manifest

DEFAULT_TIMEOUT = 30.0
MAX_SIGNATURE_BYTES = 4096
REVERT_COMMAND = "optout-tui update --revert"
UPGRADE_APP = (
    "Update optout-tui itself first (python3 -m pip install --upgrade optout-tui, "
    "or pipx upgrade optout-tui), then run optout-tui update again."
)


class UpdateError(Exception):
    """An update refused or failed; the message is plain words, and the guides in use are unchanged."""


@dataclass
class Outcome:
    """What happened, for a person: `lines` are plain sentences, in order."""

    kind: str  # "installed", "up_to_date", "newer_available", "reverted"
    lines: list[str] = field(default_factory=list)
    serial: int | None = None  # the release now in use, or offered (for --check)


@dataclass(frozen=True)
class Installed:
    """What is on this computer now."""

    in_use: sources.GuideSet
    pointer: sets.Pointer | None
    serial: int  # the newest release installed: a download must be newer than this

    @property
    def words(self) -> str:
        """The release in use, as `update` installed it: "release 45 of 30 November 2026"."""
        s = self.in_use
        if s.kind == "downloaded":
            return sources.release_words(s.serial, s.date)
        current = self.pointer.current if self.pointer is not None else None
        if s.kind == "checkout" and current is not None:
            return f"downloaded {sources.release_words(current.serial, current.date)}"
        label = f", {sources.release_words(s.serial, s.date)}" if s.serial else ""
        return f"the guides that came with optout-tui{label}"


def contact_words(url: str | None = None) -> str:
    """What `update` will contact, said before it does: for the command's first line and the app's palette."""
    from walkthrough.update.urls import host_of

    address = paths.update_url(url)
    return (
        f"This contacts {visible(host_of(address))} to download the newest guides ({visible(address)}). "
        "Nothing about you or your progress is sent."
    )


def installed() -> Installed:
    sets_dir = paths.guide_sets_dir()
    in_use = sources.set_in_use()
    state = sets.read_pointer(sets_dir)
    label = sets.read_bundled_label(paths.bundled_guides_dir())
    current = state.pointer.current if state.pointer is not None else None
    from walkthrough.update import keys

    # A set signed by a withdrawn key does not count: the next good release must be able to replace it.
    trusted = current is not None and current.key in keys.trusted_ids()
    serial = max(label.serial, current.serial if current is not None and trusted else 0)
    return Installed(in_use, state.pointer, serial)


def trusted_keys() -> list:
    """The built-in public keys (walkthrough.update.keys), parsed; refuses when there are none."""
    from walkthrough.update import keys, minisign

    lines = keys.trusted_lines()
    if not lines:
        raise UpdateError(
            "This copy of optout-tui was built without the project's public key, so it cannot check who made "
            "a set of guides, and will not install one. Install optout-tui from a release."
        )
    try:
        return [minisign.parse_public_key(line) for line in lines]
    except minisign.SignatureError as exc:
        raise UpdateError(f"This copy of optout-tui has a damaged built-in key: {exc}") from None


# ---- checking, in memory ----------------------------------------------------------


def verify_manifest(manifest_bytes: bytes, signature_bytes: bytes, keys: list) -> Manifest:
    """The manifest, once its signature is checked against `keys` and its fields against this app."""
    from walkthrough.update import minisign

    if not signature_bytes.strip():
        raise UpdateError("The guides have no signature, so there is no telling who made them.")
    if len(signature_bytes) > MAX_SIGNATURE_BYTES:
        raise UpdateError("The guides' signature file is far larger than a signature.")
    try:
        signature_text = signature_bytes.decode("utf-8")
        minisign.verify(manifest_bytes, signature_text, keys)
    except UnicodeDecodeError:
        raise UpdateError("The guides' signature file is not a signature.") from None
    except minisign.SignatureError as exc:
        raise UpdateError(f"The guides' signature is not valid, so they were not made by this project. {exc}") from None
    try:
        found = manifests.parse(manifest_bytes, __version__)
    except manifests.TooNew as exc:
        raise UpdateError(f"{exc} {UPGRADE_APP}") from None
    except manifests.ManifestError as exc:
        raise UpdateError(str(exc)) from None
    if found.archive.size > archive.MAX_ARCHIVE_BYTES:
        raise UpdateError(
            f"The guides' archive is {found.archive.size // (1024 * 1024)} MB, over the size cap "
            f"({archive.MAX_ARCHIVE_BYTES // (1024 * 1024)} MB)."
        )
    return found


def check_serial(found: Manifest, have: Installed) -> bool:
    """True when `found` is newer than what is installed; False when it is the same; refuses an older one."""
    if found.serial > have.serial:
        return True
    if found.serial == have.serial:
        return False
    raise UpdateError(
        f"These guides are {sources.release_words(found.serial, found.date)}, older than the release "
        f"{have.serial} already installed. optout-tui never goes back to older guides this way: "
        f"an old set could bring back a mistake that was fixed. (To go back on purpose: {REVERT_COMMAND}.)"
    )


def unpack(data: bytes, found: Manifest) -> dict[str, bytes]:
    """The archive's files, checked against the signed manifest; nothing touches the disk."""
    if len(data) < found.archive.size:
        raise UpdateError(
            f"The guides' archive is {len(data)} bytes instead of {found.archive.size}: the download was cut short."
        )
    if len(data) > found.archive.size or archive.sha256(data) != found.archive.sha256:
        raise UpdateError(
            "The guides' archive differs from the one that was signed (its SHA-256 does not match). "
            "If this happens again, the download is being changed on its way."
        )
    try:
        files = archive.read(data)
        archive.check_against(files, found.files)
    except archive.ArchiveError as exc:
        raise UpdateError(str(exc)) from None
    return files


def validate(files: dict[str, bytes], today: datetime.date) -> tuple[dict[str, Guide], dict[str, SharedTemplate]]:
    """Every letter and guide in the set, loaded with the app's own loader from memory; refuses on any error.

    Letters come only from the set itself: a guide and the letters it uses are
    always from the same release.
    """
    from walkthrough.content import lint
    from walkthrough.content.loader import load_guide, parse_struct
    from walkthrough.content.problems import Problem, ProblemError

    templates: dict[str, SharedTemplate] = {}
    problems: list[Problem] = []
    for name in sorted(n for n in files if "/" in n):
        path = Path(name)
        # What walkthrough.content.loader.load_template does, from bytes in memory instead of a file.
        try:
            template, parsed = parse_struct(path, files[name], SharedTemplate)
        except ProblemError as exc:
            problems.append(exc.at(path))
            continue
        errors = [p for p in lint.check_shared_template(template, path, parsed.root) if p.is_error]
        problems += errors
        if not errors:
            templates[guide_id(path)] = template
    guides: dict[str, Guide] = {}
    for name in sorted(n for n in files if "/" not in n):
        result = load_guide(Path(name), templates, today=today, style=False, raw=files[name])
        errors = [p for p in result.problems if p.is_error]
        problems += errors
        if result.value is not None and not errors:
            guides[guide_id(Path(name))] = result.value
    if problems:
        bad = len({p.path for p in problems})
        raise UpdateError(
            f"{bad} file{'s' if bad != 1 else ''} in these guides {'have' if bad != 1 else 'has'} errors, "
            f"so none of them were installed. The first: {visible(problems[0].format())}"
        )
    if not guides:
        raise UpdateError("This set of guides holds no guides.")
    return guides, templates


def _validation_day(found: Manifest, today: datetime.date | None) -> datetime.date:
    # A guide checked "today" where the release was built may be tomorrow here (time zones).
    return max(today or datetime.date.today(), found.date) + datetime.timedelta(days=1)


# ---- installing ---------------------------------------------------------------


def _install(
    found: Manifest, manifest_bytes: bytes, signature: bytes, data: bytes, have: Installed, today: datetime.date | None
) -> Outcome:
    from walkthrough.update import changes as changes_module

    files = unpack(data, found)
    guides, templates = validate(files, _validation_day(found, today))
    changes = changes_module.describe(
        have.in_use.folder,
        found.files,
        guides,
        {tid: t.name for tid, t in templates.items()},
        progress_file=paths.progress_file(),
        today=today or datetime.date.today(),
    )
    from walkthrough.update import minisign

    signed_by = minisign.parse_signature(signature.decode("utf-8")).key_id.hex()
    sets_dir = paths.guide_sets_dir()
    try:
        folder = sets.write_set(
            sets_dir, found.serial, files, {MANIFEST_NAME: manifest_bytes, SIGNATURE_NAME: signature}
        )
        before = have.pointer.current if have.pointer is not None else None
        # What the user had in use is what --revert goes back to: the bundled set is written as None.
        previous = before if have.in_use.kind != "bundled" else None
        pointer = sets.Pointer(current=sets.SetInfo(folder, found.serial, found.date, signed_by), previous=previous)
        sets.switch(sets_dir, pointer)
    except sets.SetsError as exc:
        raise UpdateError(str(exc)) from None
    sets.tidy(sets_dir, pointer)

    lines = [f"Installed guides {sources.release_words(found.serial, found.date)} (you had {have.words})."]
    lines += changes.lines()
    lines += _after_switch_lines()
    lines.append(f"To go back to the guides you had: {REVERT_COMMAND}")
    return Outcome("installed", lines, found.serial)


def _after_switch_lines() -> list[str]:
    now = sources.set_in_use()
    if now.kind == "checkout":
        return [
            f"This optout-tui runs from a copy of the source code, so it keeps using {now.folder}; "
            "an installed optout-tui using the same data folder will use the new guides."
        ]
    if now.kind == "bundled":
        return ["The guides that came with this optout-tui are newer, so those stay in use."]
    return ["An optout-tui that is already open keeps its guides until it is started again."]


def _up_to_date(have: Installed) -> Outcome:
    return Outcome("up_to_date", [f"Your guides are up to date ({have.words})."], have.serial)


def check(url: str | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> Outcome:
    """Whether a newer release exists; changes nothing and writes nothing."""
    keys = trusted_keys()
    have = installed()
    found, _, _ = _fetch_manifest(paths.update_url(url), timeout, keys)
    if not check_serial(found, have):
        return _up_to_date(have)
    return Outcome(
        "newer_available",
        [
            f"Newer guides are available: {sources.release_words(found.serial, found.date)} "
            f"(you have {have.words}). To get them: optout-tui update"
        ],
        found.serial,
    )


def _fetch_manifest(base: str, timeout: float, keys: list) -> tuple[Manifest, bytes, bytes]:
    from walkthrough.update.fetch import Downloader, FetchError, file_url

    try:
        with Downloader(timeout) as down:
            manifest_bytes = down.get(file_url(base, MANIFEST_NAME), manifests.MAX_MANIFEST_BYTES, "the list of guides")
            signature = down.get(file_url(base, SIGNATURE_NAME), MAX_SIGNATURE_BYTES, "the signature")
    except FetchError as exc:
        raise UpdateError(str(exc)) from None
    return verify_manifest(manifest_bytes, signature, keys), manifest_bytes, signature


def update(url: str | None = None, *, timeout: float = DEFAULT_TIMEOUT, today: datetime.date | None = None) -> Outcome:
    """Download, check and switch to the newest guides (see the module's docstring for the order)."""
    from walkthrough.update.fetch import Downloader, FetchError, TooLarge, file_url

    keys = trusted_keys()
    base = paths.update_url(url)
    try:
        with sets.locked(paths.guide_sets_dir()):
            have = installed()
            found, manifest_bytes, signature = _fetch_manifest(base, timeout, keys)
            if not check_serial(found, have):
                return _up_to_date(have)
            try:
                with Downloader(timeout) as down:
                    data = down.get(file_url(base, found.archive.name), found.archive.size, "the guides' archive")
            except TooLarge:
                raise UpdateError(
                    "The guides' archive is larger than the one that was signed. "
                    "If this happens again, the download is being changed on its way."
                ) from None
            except FetchError as exc:
                raise UpdateError(str(exc)) from None
            return _install(found, manifest_bytes, signature, data, have, today)
    except sets.SetsError as exc:
        raise UpdateError(str(exc)) from None


def _read_local(path: Path, cap: int, what: str) -> bytes:
    import stat

    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise UpdateError(f"{visible(path)} is not a file.")
        with path.open("rb") as f:
            data = f.read(cap + 1)
    except FileNotFoundError:
        raise UpdateError(f"There is no {what} at {visible(path)}.") from None
    except OSError as exc:
        raise UpdateError(f"{visible(path)} cannot be read ({exc.strerror}).") from None
    if len(data) > cap:
        raise UpdateError(f"{visible(path)} is over the size cap for {what}.")
    return data


def release_files(given: Path) -> tuple[Path, Path, Path]:
    """The archive, manifest and signature for `--from`: the file given (any of the three) or a folder holding them."""
    folder = given if given.is_dir() else given.parent
    archive_path = given if given.is_file() and given.name not in (MANIFEST_NAME, SIGNATURE_NAME) else None
    return archive_path or folder / ARCHIVE_NAME, folder / MANIFEST_NAME, folder / SIGNATURE_NAME


def install_file(given: Path, *, today: datetime.date | None = None) -> Outcome:
    """`--from FILE`: a release downloaded by hand, with its manifest and signature beside it; no network."""
    keys = trusted_keys()
    archive_path, manifest_path, signature_path = release_files(given)
    if not given.exists():
        raise UpdateError(f"There is no file or folder {visible(given)}.")
    for path, what in ((manifest_path, "list of guides"), (signature_path, "signature")):
        if not path.exists():
            raise UpdateError(
                f"The {what} ({path.name}) should be beside the archive, in {visible(path.parent)}: "
                f"download {MANIFEST_NAME} and {SIGNATURE_NAME} from the same release."
            )
    manifest_bytes = _read_local(manifest_path, manifests.MAX_MANIFEST_BYTES, "a list of guides")
    signature = _read_local(signature_path, MAX_SIGNATURE_BYTES, "a signature")
    try:
        with sets.locked(paths.guide_sets_dir()):
            have = installed()
            found = verify_manifest(manifest_bytes, signature, keys)
            if not check_serial(found, have):
                return _up_to_date(have)
            data = _read_local(archive_path, found.archive.size, "these guides' archive")
            return _install(found, manifest_bytes, signature, data, have, today)
    except sets.SetsError as exc:
        raise UpdateError(str(exc)) from None


def revert(*, today: datetime.date | None = None) -> Outcome:
    """Go back to the set in use before the last switch (and, run again, forward to it)."""
    sets_dir = paths.guide_sets_dir()
    try:
        with sets.locked(sets_dir):
            have = installed()
            pointer = have.pointer
            if pointer is None or (pointer.previous is None and pointer.current is None):
                raise UpdateError("There are no earlier guides to go back to.")
            if have.in_use.kind == "bundled" and pointer.current is not None:
                # The download is older than the guides that came with the app, so it is not in use.
                raise UpdateError(
                    "The guides that came with this optout-tui are newer than the ones you downloaded, "
                    "so they are the ones in use; there are no earlier guides to go back to."
                )
            back_to = pointer.previous
            if back_to is not None and not sets.set_folder(sets_dir, back_to).is_dir():
                raise UpdateError("The earlier guides are no longer on this computer.")
            from walkthrough.update import keys

            if back_to is not None and back_to.key not in keys.trusted_ids():
                raise UpdateError("The earlier guides were signed with a key this optout-tui no longer trusts.")
            sets.switch(sets_dir, sets.Pointer(current=back_to, previous=pointer.current))
    except sets.SetsError as exc:
        raise UpdateError(str(exc)) from None
    now = sources.set_in_use()
    after = installed()
    lines = [f"Went back to {after.words} (from {have.words})."]
    if after.serial < have.serial:
        lines.append("To get the newest guides again: optout-tui update")
    if now.kind == "checkout":
        lines.append(f"This optout-tui runs from a copy of the source code, so it keeps using {now.folder}.")
    return Outcome("reverted", lines, now.serial)
