"""The `optout-tui` command: parse arguments, then hand over to one command.

Bare `optout-tui` (or `optout-tui GUIDE`) starts the app; everything else is a
subcommand. Nothing heavy is imported here, so `--help`, `list` and `validate`
never pay for Textual or httpx.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from walkthrough import __version__
from walkthrough.commands.app import REGION_HELP
from walkthrough.paths import PathError

# name -> (module in walkthrough.commands, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "app": ("app", "Start the step-by-step app (the default)."),
    "list": ("browse", "List every guide."),
    "show": ("browse", "Print one guide as plain text."),
    "validate": ("validate", "Check guide files and say what to fix."),
    "schema": ("schema", "Print the JSON Schema of a guide file."),
    "progress": ("progress", "See, export or reset what you have done."),
    "check-links": ("check_links", "Check that every link in the guides still works (uses the network)."),
    "new": ("new", "Start a new guide file with every field in place."),
    "serve": ("serve", "Use the app in your web browser, private to this computer."),
    "update": ("update", "Get the newest guides, checked and signed (uses the network)."),
}

EPILOG = """\
Start the app with `optout-tui`, or go straight to one guide: `optout-tui linkedin`.
Say where you live once: `optout-tui --region Germany` (or DE, USA, England, Schweiz...).
Guides from other folders: --guides-dir DIR, or the OPTOUT_TUI_GUIDES variable.
"""


def _common(dest: str) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--guides-dir",
        action="append",
        dest=dest,
        metavar="DIR",
        default=None,
        help="also load guides from DIR (may be given more than once; replaces bundled guides of the same id)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    # The option may come before or after the command name. argparse gives a
    # command its own namespace, which would overwrite what came before it, so
    # the two are kept apart and joined in main().
    common = _common("guides_dir")
    parser = argparse.ArgumentParser(
        prog="optout-tui",
        description="Step-by-step help to stop platforms training AI on what you wrote.",
        epilog=EPILOG,
        parents=[_common("guides_dir_before_command")],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"optout-tui {__version__}")
    parser.add_argument("--region", dest="region_before_command", metavar="COUNTRY", help=REGION_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        cmd = sub.add_parser(name, help=help_text, description=help_text, parents=[common])
        mod = importlib.import_module(f".commands.{module}", __package__)
        mod.add_arguments(cmd, name)
        cmd.set_defaults(module=mod)
    return parser


def _with_default_command(argv: list[str]) -> list[str]:
    """Insert `app` unless the first word that is not an option names a command."""
    takes_value = {"--guides-dir", "--region"}
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in ("-h", "--help", "--version"):
            return argv
        if word == "--":
            break
        if word.startswith("-"):
            i += 2 if word in takes_value else 1
            continue
        return argv if word in COMMANDS else ["app", *argv]
    return ["app", *argv]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(_with_default_command(argv))
        args.guides_dir = (args.guides_dir_before_command or []) + (args.guides_dir or []) or None
        args.region = getattr(args, "region", None) or args.region_before_command
        return args.module.run(args)
    except PathError as exc:
        from walkthrough.safe_text import visible

        print(f"optout-tui: {visible(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # the last line of defence: no user ever sees a traceback
        if os.environ.get("OPTOUT_TUI_DEBUG"):
            raise
        from walkthrough.safe_text import visible

        print(
            f"optout-tui: something went wrong that we did not expect ({type(exc).__name__}: {visible(exc)}).\n"
            "Nothing you saved was lost. Please report this, and run with OPTOUT_TUI_DEBUG=1 for details.",
            file=sys.stderr,
        )
        return 70
