"""One thin module per `optout-tui` command: parse arguments, call the core, print.

Each has `add_arguments(parser, name)` and `run(args) -> int`. A new command is a
module here plus a line in `walkthrough.cli.COMMANDS`. Keep module-level imports
light: argparse imports every command module to build `--help`, so whatever a
command needs goes inside its `run`.
"""
