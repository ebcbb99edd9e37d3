"""`optout-tui schema`: the JSON Schema editors use to check a guide as you type."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("--template", action="store_true", help="the schema of a shared template instead")


def run(args: argparse.Namespace) -> int:
    from walkthrough.authoring.schema import render_guide_schema, render_template_schema

    print(render_template_schema() if args.template else render_guide_schema(), end="")
    return 0
