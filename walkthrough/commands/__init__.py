"""One module per command. Each has `add_arguments(parser)` and `run(args) -> int`.

Keep module-level imports light: argparse imports every command module to
build `--help`, so whatever a command needs goes inside its `run`.
"""
