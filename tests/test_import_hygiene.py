"""What each part of the package imports, checked in a fresh interpreter.

The core must work without Textual (the CLI's list/show/validate, other
programs reading guides), and the network library must not load unless a
network command runs: importing them costs start-up time, and httpx being
loaded at all would be a bad sign in a tool that promises not to phone home.
Each check runs in a subprocess, because this test process has long since
imported everything.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import walkthrough

NETWORK = ("httpx", "httpcore", "textual_serve", "aiohttp")
# The signature library (and py-minisign, the candidate not chosen): only `optout-tui update` needs it.
SIGNATURES = ("cryptography", "minisign", "nacl")


def core_modules() -> list[str]:
    """Every module of the package outside walkthrough.tui, found on disk so new ones are covered too.

    Files, not pkgutil.walk_packages: that imports each package, tui included, in this process.
    """
    package = Path(walkthrough.__file__).parent
    names = []
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        # __main__ runs the CLI when imported; the CLI tests below cover it.
        if parts[0] == "tui" or parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(("walkthrough", *parts)))
    return sorted(names)


def modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def roots(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_the_core_is_found() -> None:
    # Guards the test below against passing because it checked nothing.
    assert {"walkthrough.catalog.loading", "walkthrough.cli", "walkthrough.content.model"} <= set(core_modules())


# The link checker, the web server and the update's downloader are the network code
# itself. What matters is that nothing else imports them at import time: `check-links`,
# `serve` and `update` import them inside run(). The web server is built on
# textual-serve, so it imports Textual. The same goes for the signature checker, and
# for the release script, which signs.
NETWORK_MODULES = {"walkthrough.linkcheck.checker", "walkthrough.serve.server", "walkthrough.update.fetch"}
NEEDS_TEXTUAL = {"walkthrough.serve.server"}
SIGNATURE_MODULES = {"walkthrough.update.minisign", "walkthrough.update.release"}


@pytest.mark.parametrize("module", core_modules())
def test_core_module_imports_neither_textual_nor_the_network(module: str) -> None:
    if module in NEEDS_TEXTUAL and importlib.util.find_spec("textual_serve") is None:
        pytest.skip("the [web] extra is not installed")
    loaded = modules_after(f"import {module}")
    if module not in NEEDS_TEXTUAL:
        assert "textual" not in roots(loaded), f"{module} imports Textual; only walkthrough.tui may"
    if module not in NETWORK_MODULES:
        assert not roots(loaded) & set(NETWORK), f"{module} imports {sorted(roots(loaded) & set(NETWORK))}"
        assert not loaded & NETWORK_MODULES, f"{module} imports the network code at import time"
    if module not in SIGNATURE_MODULES:
        assert not roots(loaded) & set(SIGNATURES), f"{module} imports {sorted(roots(loaded) & set(SIGNATURES))}"
        assert not loaded & SIGNATURE_MODULES, f"{module} imports the signature code at import time"


def test_the_update_modules_are_found() -> None:
    # Guards the exceptions above against naming modules that no longer exist (and so excusing nothing).
    assert set(core_modules()) >= NETWORK_MODULES | SIGNATURE_MODULES


def test_cli_help_needs_neither_textual_nor_the_network() -> None:
    # Building the parser imports every command module: they must defer their heavy imports to run().
    loaded = roots(
        modules_after(
            "import contextlib, io\n"
            "from walkthrough import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n"
            "        cli.main(['--help'])\n"
            "    except SystemExit:\n"
            "        pass"
        )
    )
    assert "textual" not in loaded
    assert not loaded & set(NETWORK)
    assert not loaded & set(SIGNATURES)


def test_listing_guides_needs_neither_textual_nor_the_network() -> None:
    loaded = roots(
        modules_after(
            "import contextlib, io\n"
            "from walkthrough import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    assert cli.main(['list']) == 0"
        )
    )
    assert "textual" not in loaded
    assert not loaded & set(NETWORK)
    assert not loaded & set(SIGNATURES)


def test_the_app_on_screen_has_loaded_no_network_code(tmp_path) -> None:
    # The home screen, drawn and idle, headless: browsing guides must not have pulled in httpx.
    probe = (
        "import json, sys\n"
        "from walkthrough.tui.app import make_app\n"
        "app = make_app(region='DE')\n"
        "async def ready(pilot):\n"
        "    await pilot.pause()\n"
        "    pilot.app.exit(sorted(sys.modules))\n"
        "print(json.dumps(app.run(headless=True, size=(80, 24), auto_pilot=ready)))"
    )
    env = {**os.environ, "OPTOUT_TUI_DATA_DIR": str(tmp_path / "data")}
    env.pop("OPTOUT_TUI_GUIDES", None)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "walkthrough.tui.screens.home" in loaded, "the probe never reached the home screen"
    assert not roots(loaded) & set(NETWORK)
    assert not loaded & NETWORK_MODULES
    assert not roots(loaded) & set(SIGNATURES), "the app loaded the signature library"
    assert "walkthrough.catalog.sources" in loaded, "the probe did not load the guides through sources.py"


def test_the_app_and_its_copy_route_load_no_web_server(tmp_path) -> None:
    # Each browser tab runs `optout-tui app` under Textual's web driver: the server's half
    # second of imports (aiohttp, textual-serve) stays in the server, out of every tab's start.
    probe = (
        "import json, sys\n"
        "from walkthrough.tui.app import make_app\n"
        "from walkthrough.serve.browser_tab import copy_route\n"
        "app = make_app(region='DE')\n"
        "async def ready(pilot):\n"
        "    await pilot.pause()\n"
        "    copy_route(pilot.app)\n"
        "    pilot.app.exit(sorted(sys.modules))\n"
        "print(json.dumps(app.run(headless=True, size=(80, 24), auto_pilot=ready)))"
    )
    env = {**os.environ, "OPTOUT_TUI_DATA_DIR": str(tmp_path / "data")}
    env.pop("OPTOUT_TUI_GUIDES", None)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "walkthrough.serve.browser_tab" in loaded, "the probe never asked how to copy"
    assert not roots(loaded) & {"textual_serve", "aiohttp"}
    assert "walkthrough.serve.server" not in loaded


def test_serve_help_loads_no_web_server() -> None:
    loaded = roots(
        modules_after(
            "import contextlib, io\n"
            "from walkthrough import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n"
            "        cli.main(['serve', '--help'])\n"
            "    except SystemExit:\n"
            "        pass"
        )
    )
    assert not loaded & {"textual", "textual_serve", "aiohttp"}


def _imports(path: Path, module: str) -> set[str]:
    """The walkthrough modules `path` imports, anywhere in it (inside functions too), except for type checking."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return  # only the type checker reads these
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)  # `from pkg import module`
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_the_package_has_no_import_cycles() -> None:
    # A cycle (A imports B, which imports A) is how a rule ends up in two places; this one
    # counts imports inside functions too, since those run just the same.
    package = Path(walkthrough.__file__).parent
    modules = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        name = ".".join(("walkthrough", *(parts[:-1] if parts[-1] == "__init__" else parts)))
        modules[name] = path
    graph = {
        name: sorted(m for m in _imports(path, name) if m in modules and m != name) for name, path in modules.items()
    }
    assert graph["walkthrough.commands.progress"], "the graph was not built"

    seen: dict[str, int] = {}  # 1: on the current path, 2: done

    def walk(name: str, trail: list[str]) -> None:
        seen[name] = 1
        for dep in graph[name]:
            if seen.get(dep) == 1:
                cycle = trail[trail.index(dep) :] + [dep]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if dep not in seen:
                walk(dep, [*trail, dep])
        seen[name] = 2

    for name in sorted(graph):
        if name not in seen:
            walk(name, [name])


@pytest.mark.parametrize(("set_by_user", "cap"), [(None, 120), ("30", 30)])
def test_the_app_raises_textuals_frame_cap_unless_the_user_set_one(set_by_user, cap) -> None:
    # Set before Textual reads it, on the path the command takes (walkthrough.commands.app imports
    # the app inside run()): a key within 30 ms of the last frame waited up to two frames at 60.
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    if set_by_user:
        env["TEXTUAL_FPS"] = set_by_user
    probe = "import walkthrough.cli, walkthrough.tui.app, textual.constants as c; print(c.MAX_FPS)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60, check=True)
    assert out.stdout.split() == [str(cap)]
