"""`optout-tui serve [GUIDE]`: the same app in a browser tab, private to this computer.

Everything heavy (Textual, aiohttp, textual-serve: about half a second) is
imported inside `run`. textual-serve is the optional `[web]` extra; without it
this command says in one line how to get it.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import textwrap
import threading
from pathlib import Path

INSTALL_HINT = (
    "optout-tui serve needs one more part. Install it with: pip install 'optout-tui[web]' "
    "(with pipx: pipx install --force 'optout-tui[web]')"
)

WEB_PACKAGES = {"textual_serve", "aiohttp", "yarl", "multidict"}  # what the [web] extra brings


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"give a port from 1 to 65535 (or 0 for any free one), not {value}")
    return value


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.description = (
        "Use the app in your web browser instead of the terminal. Only this computer can reach it, "
        "and only with the address it prints, which holds a one-time key. "
        "Your progress is the same as in the terminal app."
    )
    parser.add_argument("guide", nargs="?", metavar="GUIDE", help="open this guide straight away")
    parser.add_argument("--region", metavar="CODE", help="your country, for example DE or US (saved for next time)")
    parser.add_argument("--port", type=_port, default=0, metavar="N", help="the port to use (default: any free one)")
    parser.add_argument("--no-open", action="store_true", help="print the address but do not open a browser")
    parser.add_argument(
        "--host",
        metavar="ADDRESS",
        help="answer on this address instead of 127.0.0.1, for example this computer's address on your "
        "network. Anyone there with the printed address can then use the app and see your progress.",
    )


def app_command(guides_dirs: list[str] | None, guide: str | None) -> list[str]:
    """The command each browser session runs: `optout-tui app` from this very installation.

    `python -c` with the package's own folder first, not `python -m`: -m would put the
    current folder first, where a stray walkthrough/ or yaml.py would be imported instead.
    The country is not passed: it is saved already, and a country changed in one tab
    must hold in the next.
    """
    import walkthrough

    root = str(Path(walkthrough.__file__).resolve().parent.parent)
    code = f"import sys; sys.path[0] = {root!r}; from walkthrough.cli import main; sys.exit(main())"
    argv = [sys.executable, "-c", code, "app"]
    for folder in guides_dirs or []:
        argv += ["--guides-dir", str(Path(folder).expanduser().resolve())]
    if guide:
        argv.append(guide)
    return argv


def can_open_browser() -> bool:
    # Without a desktop (over SSH, say), Python would start a text browser in this very terminal.
    if os.environ.get("BROWSER") or sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_in_browser(url: str) -> None:
    """Open `url` in the user's browser, in the background: some browsers keep the call waiting."""
    import webbrowser

    def go() -> None:
        try:
            opened = webbrowser.open(url)
        except Exception:
            opened = False
        if not opened:
            print("Your browser could not be opened from here: open the address above yourself.", flush=True)

    threading.Thread(target=go, name="open-browser", daemon=True).start()


def run(args: argparse.Namespace) -> int:
    try:
        from walkthrough.serve import server
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in WEB_PACKAGES:
            raise
        print(INSTALL_HINT, file=sys.stderr)
        return 1

    from walkthrough.progress.store import StoreError
    from walkthrough.serve.access import LOOPBACK, Access, HostError, check_host, is_loopback
    from walkthrough.tui.app import StartError, make_app

    try:
        host = check_host(args.host) if args.host is not None else LOOPBACK
        # What was typed is checked once, here, rather than in every browser tab.
        app = make_app(args.guides_dir, guide=args.guide, region=args.region)
    except (HostError, StartError) as exc:
        print(f"optout-tui: {exc}", file=sys.stderr)
        return 1
    except StoreError as exc:  # its message already names the program
        print(exc, file=sys.stderr)
        return 1
    app.store.close()
    if app.store_notice:
        print(app.store_notice)

    try:
        sock = server.listen(host, args.port)
    except OSError as exc:
        if args.port and exc.errno in (errno.EADDRINUSE, 10048):  # 10048: the same, on Windows
            print(f"optout-tui: port {args.port} is in use. Leave out --port to use any free one.", file=sys.stderr)
        else:
            where = f"port {args.port} on {host}" if args.port else f"the address {host}"
            print(f"optout-tui: cannot use {where} on this computer ({exc.strerror or exc}).", file=sys.stderr)
        return 1

    access = Access.create(host, sock.getsockname()[1])

    if not is_loopback(host):
        warning = (
            f"Warning: optout-tui is answering on {host}, not only on this computer. Anyone on that network "
            "who has the address below can use the app and see your progress. Browsers do not let a page "
            "on a network address copy to the clipboard."
        )
        print(textwrap.fill(warning, width=78), file=sys.stderr)

    def ready() -> None:
        print(
            "optout-tui is ready. Open this address in your web browser:\n\n"
            f"    {access.address}\n\n"
            "Its last part is a one-time key: without it, the app does not answer.\n"
            "Your progress is the same as in the terminal app.\n"
            "Keep this window open while you use it. Press Ctrl+C here to stop.",
            flush=True,
        )
        if args.no_open:
            return
        if can_open_browser():
            open_in_browser(access.address)
        else:
            print("(No browser could be opened from here: open the address yourself.)", flush=True)

    with sock:
        server.run(app_command(args.guides_dir, args.guide), access, sock, ready)
    print("optout-tui serve has stopped. Everything you marked is saved.", flush=True)
    return 0
