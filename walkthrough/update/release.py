"""Building and signing a guide release: the maintainer's side of `optout-tui update`.

    python -m walkthrough.update.release keygen --secret KEY --public KEY.pub
    python -m walkthrough.update.release build --key KEY --out dist/ [--guides guides] [--serial N]
    python -m walkthrough.update.release verify dist/ [--public-key KEY.pub]
    python -m walkthrough.update.release serial --published manifest.json [--app-release]

`build` validates every guide with the app's own loader, builds the archive
the same way every time (sorted names, fixed time stamps), writes the manifest
and signs it. It never overwrites a file: a published release is never
changed in place. It runs with any key, so a contributor can build a release
and try it; only the project's key (in a protected secret of the repository)
makes one that installed apps accept. See MAINTAINING.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

from walkthrough.update import archive, minisign, sets
from walkthrough.update import manifest as manifests
from walkthrough.update.manifest import ARCHIVE_NAME, MANIFEST_NAME, SIGNATURE_NAME


class ReleaseError(Exception):
    """Plain words for the maintainer."""


def _write_new(path: Path, data: bytes, mode: int = 0o644) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise ReleaseError(f"{path} already exists: a release file is never replaced. Use a new folder.") from None
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def keygen(secret_path: Path, public_path: Path) -> minisign.PublicKey:
    secret = minisign.generate()
    _write_new(secret_path, secret.file_text().encode(), 0o600)
    _write_new(public_path, secret.public().file_text().encode())
    return secret.public()


def read_secret(key_file: Path | None, key_env: str | None) -> minisign.SecretKey:
    if key_env:
        text = os.environ.get(key_env, "")
        if not text.strip():
            raise ReleaseError(f"The variable {key_env} is empty: it should hold the secret key file's text.")
    elif key_file is not None:
        text = key_file.read_text(encoding="utf-8")
    else:
        raise ReleaseError("Give the secret key: --key FILE or --key-env VARIABLE.")
    try:
        return minisign.parse_secret_key(text)
    except minisign.SignatureError as exc:
        raise ReleaseError(str(exc)) from None


def build(
    guides: Path,
    out: Path,
    secret: minisign.SecretKey,
    *,
    serial: int | None = None,
    date: datetime.date | None = None,
    min_app_version: str | None = None,
) -> manifests.Manifest:
    """Write guides.tar.gz, manifest.json and manifest.json.minisig into `out` (a new or empty folder)."""
    from walkthrough.update.install import UpdateError, validate

    label = sets.read_bundled_label(guides)
    serial = serial if serial is not None else label.serial
    if serial < 1:
        raise ReleaseError("Give a serial of 1 or more (--serial), or set one in guides/release.json.")
    date = date or datetime.datetime.now(datetime.timezone.utc).date()
    try:
        files = archive.collect(guides)
        validate(files, date + datetime.timedelta(days=1))
    except archive.ArchiveError as exc:
        raise ReleaseError(str(exc)) from None
    except UpdateError as exc:
        raise ReleaseError(f"{exc} Run `optout-tui validate --strict {guides}` to see every problem.") from None
    data = archive.build(files)
    if len(data) > archive.MAX_ARCHIVE_BYTES:
        raise ReleaseError(f"The archive is over the size cap apps accept ({archive.MAX_ARCHIVE_BYTES} bytes).")
    found = manifests.Manifest(
        format=manifests.FORMAT,
        serial=serial,
        date=date,
        min_app_version=min_app_version or label.min_app_version,
        archive=manifests.ArchiveInfo(ARCHIVE_NAME, len(data), archive.sha256(data)),
        files={name: archive.sha256(files[name]) for name in sorted(files)},
    )
    body = manifests.encode(found)
    comment = f"timestamp:{int(time.time())}\tfile:{MANIFEST_NAME}\tserial:{serial}"
    signature = minisign.sign(body, secret, comment)
    out.mkdir(parents=True, exist_ok=True)
    for name, content in ((ARCHIVE_NAME, data), (MANIFEST_NAME, body), (SIGNATURE_NAME, signature.encode())):
        _write_new(out / name, content)
    return found


def verify(folder: Path, public_key: Path | None = None) -> manifests.Manifest:
    """Check a built release as an app would, without installing it: with a given public key,
    or with the keys built into this copy of the package (what every installed app trusts)."""
    from walkthrough.update.install import UpdateError, trusted_keys, unpack, validate, verify_manifest

    try:
        keys = [minisign.parse_public_key(public_key.read_text(encoding="utf-8"))] if public_key else trusted_keys()
        found = verify_manifest((folder / MANIFEST_NAME).read_bytes(), (folder / SIGNATURE_NAME).read_bytes(), keys)
        files = unpack((folder / found.archive.name).read_bytes(), found)
        validate(files, found.date + datetime.timedelta(days=1))
    except UpdateError as exc:
        raise ReleaseError(str(exc)) from None
    return found


def next_serial(published: Path | None, guides: Path, *, app_release: bool) -> int:
    """The serial for the next release.

    After a guide change: one more than the newest published (or the bundled serial, if that is higher).
    For an app release: the bundled serial itself, so the app's own guides and the published
    ones carry the same number; it must not be lower than the newest published.
    """
    last = 0
    if published is not None and published.exists():
        try:
            last = manifests.parse(published.read_bytes(), "999999").serial
        except manifests.ManifestError as exc:
            raise ReleaseError(f"The published manifest cannot be read: {exc}") from None
    bundled = sets.read_bundled_label(guides).serial
    if not app_release:
        return max(last + 1, bundled)
    if bundled < last:
        raise ReleaseError(
            f"guides/release.json says serial {bundled}, but release {last} is already published. "
            f"Raise its serial to {last + 1} (and its date), merge that, then tag the app release."
        )
    return bundled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m walkthrough.update.release", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    k = sub.add_parser("keygen", help="make a new key pair (minisign format, no password)")
    k.add_argument("--secret", type=Path, required=True, help="where to write the secret key (never commit it)")
    k.add_argument("--public", type=Path, required=True, help="where to write the public key")
    b = sub.add_parser("build", help="build and sign a release")
    b.add_argument("--key", type=Path, help="the secret key file")
    b.add_argument("--key-env", metavar="VARIABLE", help="read the secret key's text from this variable instead")
    b.add_argument("--guides", type=Path, default=Path("guides"), help="the guides folder (default: guides)")
    b.add_argument("--out", type=Path, required=True, help="a new folder for the three release files")
    b.add_argument("--serial", type=int, help="the release's serial (default: guides/release.json's)")
    b.add_argument("--date", type=datetime.date.fromisoformat, help="the release's date (default: today, UTC)")
    b.add_argument("--min-app-version", help="the oldest app that can read these guides (default: release.json's)")
    v = sub.add_parser("verify", help="check a built release with a public key, as the app would")
    v.add_argument("folder", type=Path)
    v.add_argument("--public-key", type=Path, help="a public key file (default: the keys built into the package)")
    s = sub.add_parser("serial", help="print the serial the next release should have")
    s.add_argument("--published", type=Path, help="the newest published manifest.json, if there is one")
    s.add_argument("--guides", type=Path, default=Path("guides"))
    s.add_argument("--app-release", action="store_true", help="for an app release: the bundled serial itself")
    args = parser.parse_args(argv)
    try:
        if args.command == "keygen":
            public = keygen(args.secret, args.public)
            print(f"Made key {public.id_text}. Public key line (for walkthrough/update/keys.py):")
            print(public.line())
        elif args.command == "build":
            found = build(
                args.guides,
                args.out,
                read_secret(args.key, args.key_env),
                serial=args.serial,
                date=args.date,
                min_app_version=args.min_app_version,
            )
            print(f"Built release {found.serial} of {found.date}: {len(found.files)} files, in {args.out}.")
        elif args.command == "verify":
            found = verify(args.folder, args.public_key)
            which = "that key" if args.public_key else "a key built into this package"
            print(f"Release {found.serial} of {found.date} is signed by {which} and every guide is valid.")
        else:
            print(next_serial(args.published, args.guides, app_release=args.app_release))
    except (ReleaseError, minisign.SignatureError, OSError) as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
