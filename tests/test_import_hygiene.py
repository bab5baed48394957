"""Layer rules a static check cannot see: what really loads at run time, and module size.

The import contracts themselves are in pyproject.toml ([tool.importlinter]); CI runs `lint-imports`.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import replay
from tests.conftest import HOMESTEAD, ROOT

VIEWER = "replay.viewer"
# what the app processes of `race-replay serve` run: the viewer too (its web server loads no Textual)
SERVED_VIEWER = {f"replay.serve.{name}" for name in ("app", "party_screen", "driver", "messages")}


def modules_outside_the_viewer() -> list[str]:
    """Every module of the package but the viewer's (its preload excepted: it runs before Textual)
    and ``__main__`` (importing it runs the command)."""
    found = ["replay"]
    for module in pkgutil.walk_packages(replay.__path__, "replay."):
        if module.name.endswith(".__main__"):
            continue
        if module.name in SERVED_VIEWER:
            continue
        if not module.name.startswith(VIEWER) or module.name == f"{VIEWER}.preload":
            found.append(module.name)
    return found


def test_the_walk_finds_every_layer():
    found = set(modules_outside_the_viewer())
    assert {"replay.core.engine", "replay.racefile.loader", "replay.sources.nascar.importer",
            "replay.export.json_contract", "replay.cli", "replay.viewer.preload", "replay.serve.server",
            "replay.serve.child"} <= found
    assert "replay.viewer.app" not in found


def test_nothing_outside_the_viewer_loads_textual():
    code = (
        "import importlib, sys\n"
        f"for name in {modules_outside_the_viewer()!r}:\n"
        "    importlib.import_module(name)\n"
        "from replay.cli import main\n"
        f"assert main(['export', {str(HOMESTEAD)!r}, '--lap', '50']) == 0\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


def test_the_viewer_process_leaves_parsing_to_the_child():
    """Opening a race file, the viewer's own process imports Textual while a child parses: it
    must not load the YAML reader or the checker itself (they cost ~40 ms of the first frame)."""
    code = (
        "import sys\n"
        "import replay.cli, replay.viewer.app, replay.viewer.screens, widgets\n"
        "print(sorted(m for m in sys.modules if m == 'yaml' or m.startswith('replay.racefile.')\n"
        "             or m.startswith('replay.sources.nascar')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


def test_no_module_is_over_400_lines():
    sources = [*ROOT.joinpath("replay").rglob("*.py"), *ROOT.joinpath("widgets").rglob("*.py")]
    long = {str(p.relative_to(ROOT)): n for p in sources if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}
    assert len(sources) > 30, "the walk found the sources"


def test_package_init_imports_nothing():
    """``import replay`` must stay free: the preload's fork relies on the viewer process not
    having loaded the YAML reader before Textual."""
    tree = Path(replay.__file__).read_text()
    assert "import" not in tree.split('"""')[-1]
