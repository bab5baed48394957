"""Writing an imported race as YAML, the same way for every source: deterministic (the same input
gives the same bytes), a lap, an entry or an event a line, a blank line between sections."""

from __future__ import annotations

import re
from typing import Any

import yaml


class PerLap(dict):
    """A lap -> value mapping written one lap per line."""


def _represent_per_lap(dumper: yaml.SafeDumper, data: PerLap) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=False)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """YAML's fast safe dumper with the per-lap representer: a subclass, so that importing a
    source changes no global of the YAML library."""


_Dumper.add_representer(PerLap, _represent_per_lap)


def render(race: dict[str, Any], header: str) -> str:
    """``race`` as YAML after ``header`` (comment lines, each ending in a newline)."""
    body = yaml.dump(race, Dumper=_Dumper, sort_keys=False, default_flow_style=None, allow_unicode=True,
                     width=1_000_000)  # a lap, an entry or an event: one line each
    return header + re.sub(r"^(\w+):\n", r"\n\1:\n", body, flags=re.MULTILINE).lstrip("\n")
