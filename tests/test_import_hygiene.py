"""The core never imports Textual: importers, exports and tests can use it without a UI."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import HOMESTEAD

CORE = ["replay", "replay.loader", "replay.engine", "replay.positions", "replay.export", "replay.schema",
        "replay.cli", "replay.yamlsafe", "replay.preload", "replay.errors"]


def test_core_does_not_load_textual():
    code = (
        "import sys\n"
        + "".join(f"import {module}\n" for module in CORE)
        + "from replay.cli import main\n"
        + f"assert main(['export', {str(HOMESTEAD)!r}, '--lap', '50']) == 0\n"
        + "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        + "print(loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


def test_the_viewer_process_leaves_parsing_to_the_child():
    """Opening a race file, the viewer's own process imports Textual while a child parses: it
    must not load the YAML reader or the checker itself (they cost ~40 ms of the first frame)."""
    code = (
        "import sys\n"
        "import replay.cli, replay.app, replay.screens, widgets\n"
        "print(sorted(m for m in sys.modules if m == 'yaml' or m in ('replay.loader', 'replay.checks')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
