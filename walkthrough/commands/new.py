"""`optout-tui new ID`: start a guide file with every field in place."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from walkthrough.commands.output import shown_path
from walkthrough.safe_text import visible


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("id", metavar="ID", help="the new guide's id: lowercase letters, digits, hyphens (acme-cloud)")
    parser.add_argument(
        "--name", metavar="NAME", help='the platform\'s name as people know it, for example "Acme Cloud"'
    )
    parser.epilog = (
        "The file goes into the first --guides-dir, or into ./guides when you run this in a copy of the "
        "optout-tui repository."
    )


def _fail(message: str) -> int:
    print(f"optout-tui new: {visible(message)}", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    import datetime

    from walkthrough import paths
    from walkthrough.authoring import scaffold
    from walkthrough.authoring.schema import render_guide_schema
    from walkthrough.catalog.folders import guide_files
    from walkthrough.catalog.loading import Catalog, load_templates

    gid = args.id
    if reason := scaffold.id_problem(gid):
        return _fail(reason)
    if args.name is not None and (reason := scaffold.name_problem(args.name)):
        return _fail(reason)

    if args.guides_dir:
        folder = Path(args.guides_dir[0])
    elif (Path("guides") / scaffold.SCHEMA_FILE).is_file():
        folder = Path("guides")
    else:
        return _fail(
            "this folder is not a copy of the optout-tui repository (there is no guides/schema.json here), "
            f"so say where the new guide should go, for example: optout-tui new {gid} --guides-dir ./my-guides"
        )

    for where in (paths.bundled_guides_dir(), folder):
        taken = [p for p in guide_files(where) if p.stem == gid]
        if taken:
            return _fail(
                f"there is already a guide `{gid}` ({shown_path(taken[0])}). To fix it, edit that file; to try changes "
                f"without touching it, copy it into a folder of your own and run optout-tui show {gid} --guides-dir "
                "FOLDER. For a different platform, pick another id."
            )

    target = folder / f"{gid}.yaml"
    today = datetime.date.today()
    shared = Catalog()
    load_templates([paths.bundled_guides_dir(), folder], shared, report=False)
    text = scaffold.render(gid, args.name, today=today, shared=sorted(shared.templates))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # "x" refuses to replace a file that appeared since the check above.
        with open(target, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError:
        return _fail(f"{shown_path(target)} already exists. Pick another id, or edit that file.")
    except OSError as exc:
        return _fail(
            f"cannot write {shown_path(target)}: {exc.strerror or exc}. Pass --guides-dir with a folder you can write to."
        )

    # Editors read the `$schema=schema.json` line relative to the guide, so a
    # folder outside the repository gets its own copy (it keeps working
    # offline and after the package moves; `optout-tui schema` refreshes it).
    schema = folder / scaffold.SCHEMA_FILE
    copied = False
    if not schema.exists():
        try:
            schema.write_text(render_guide_schema(), encoding="utf-8", newline="\n")
            copied = True
        except OSError:
            pass  # only editor help is lost; validate does not need it

    placeholders, others = scaffold.check(target, shared.templates, today=today)
    flagged = [p for p in placeholders if p.problem]
    prose = [p for p in placeholders if not p.problem]

    out = [f"Wrote {shown_path(target)}" + (f" (and {shown_path(schema)}, for editors)." if copied else ".")]
    if flagged or others:
        out += ["", "Fill in these values. `optout-tui validate` reports each one until you do:"]
        out += [f"  {shown_path(target)}:{p.line}:{p.column}: {p.problem.code} {p.path}" for p in flagged if p.problem]
        out += [f"  {shown_path(target)}:{p.line}:{p.column}: {p.code} {p.message}" for p in others]
    if prose:
        out += ["", 'Write these in your own words (they start with "TODO:"; validate cannot judge writing):']
        out += [f"  {shown_path(target)}:{p.line}:{p.column}: {p.path}" for p in prose]
    try_dir = shown_path(folder)
    out += [
        "",
        "Then check it and try it:",
        f"  optout-tui validate --strict {shown_path(target)}",
        f"  optout-tui show {gid} --guides-dir {try_dir}",
        f"  optout-tui {gid} --guides-dir {try_dir}",
    ]
    print(visible("\n".join(out), keep_lines=True))
    return 0
