"""Hostile and broken files are clear errors, never crashes or tracebacks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from replay.racefile import yamlsafe
from replay.racefile.loader import check_file


def only_error(path: Path) -> str:
    report = check_file(path)
    assert report.race is None
    assert len(report.errors) == 1, report.errors
    return report.errors[0]


@pytest.mark.parametrize("content", [b"", b"   \n\n  \t\n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.yaml"
    path.write_bytes(content)
    assert only_error(path) == f"{path}: file is empty"


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("race:\n  name: Caf\xe9\n".encode("latin-1"))
    assert only_error(path).startswith(f"{path}:2:1: not UTF-8 text")


def test_binary_file(tmp_path):
    path = tmp_path / "race.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert "binary file" in only_error(path)


def test_directory(tmp_path):
    assert only_error(tmp_path) == f"{tmp_path}: is a directory, not a race file"


def test_missing_file(tmp_path):
    assert only_error(tmp_path / "nope.yaml").endswith("no such file")


def test_file_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200)
    assert "capped at 100" in only_error(path)


def test_alias_bomb_is_refused_before_expanding(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    assert only_error(path) == f"{path}:2:8: YAML aliases (*name) are not allowed in race files; write the value out"


def test_python_tags_are_refused(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("race: !!python/object/apply:os.system ['echo pwned']\n")
    assert "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed" in only_error(path)


def test_deep_nesting_does_not_crash(tmp_path):
    # libyaml's own composer segfaults on this; the event reader must not. Which layer stops it
    # (our depth cap or a newer libyaml's own limit) is not ours to assert: one located line is.
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert re.match(rf"{re.escape(str(path))}:1:\d+: \S", only_error(path))


def test_nesting_past_our_cap_is_refused_with_its_place(tmp_path):
    path = tmp_path / "deep.yaml"
    depth = yamlsafe.MAX_DEPTH + 1
    path.write_text("[" * depth + "]" * depth)
    assert only_error(path) == f"{path}:1:{depth}: nested more than {yamlsafe.MAX_DEPTH} levels deep"


def test_duplicate_keys_are_reported(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("race: {}\nsources: {}\nrace: {}\n")
    assert only_error(path) == f"{path}:3:1: duplicate key 'race' (YAML would silently keep only the last)"


def test_syntax_error_has_position(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("race:\n  name: [unclosed\n")
    assert only_error(path).startswith(f"{path}:2:18: YAML syntax error")  # the end of the last line


def test_several_documents(tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text("a: 1\n---\nb: 2\n")
    assert "more than one YAML document" in only_error(path)


def test_byte_order_mark_is_stripped(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: 1\n".encode("utf-8"))
    assert yamlsafe.parse(yamlsafe.read_text(path)) == {"a": 1}


def test_scalars_resolve_like_safe_loader_but_dates_stay_text():
    data = yamlsafe.parse('a: 07\nb: "07"\nc: 1.5\nd: ~\ne: yes\nf: 2025-03-21\ng: 0x1F\nh: 1_000\n')
    assert data == {"a": 7, "b": "07", "c": 1.5, "d": None, "e": True, "f": "2025-03-21", "g": 31, "h": 1000}


def test_locate_points_at_keys_and_nested_values():
    text = "race:\n  laps: 10\nlist:\n  - [a, b]\n"
    places = yamlsafe.locate(text, [("race", "laps"), ("list", 0, 1), ("race", yamlsafe.KeyOf("laps")),
                                    ("race", "missing")])
    assert places[("race", "laps")] == (2, 9)
    assert places[("list", 0, 1)] == (4, 9)
    assert places[("race", yamlsafe.KeyOf("laps"))] == (2, 3)
    assert places[("race", "missing")] == (2, 3)  # nearest parent: the race mapping


def test_a_file_of_exactly_the_cap_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 100)
    path = tmp_path / "edge.yaml"
    path.write_text("a: " + "x" * 96 + "\n")
    assert path.stat().st_size == 100
    assert yamlsafe.read_text(path).startswith("a: x")


def test_an_unreadable_file_says_why(tmp_path, monkeypatch):
    path = tmp_path / "locked.yaml"
    path.write_text("a: 1\n")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert only_error(path) == f"{path}: cannot read file: Permission denied"


def test_a_yaml_error_without_a_place_is_still_one_line():
    problem = yamlsafe._problem_from_yaml_error(yaml.YAMLError("something odd\nand more"))
    assert (str(problem), problem.line, problem.column) == ("YAML syntax error: something odd", 0, 0)


def test_a_problem_at_the_end_of_the_file_names_its_last_line(tmp_path):
    """A new user's trial: an unclosed ``[`` on line 2 of a two-line file was reported at 3:1, a line
    that is not there."""
    path = tmp_path / "race.yaml"
    path.write_text("format: 1\nrace: [\n", encoding="utf-8")
    [error] = check_file(path).errors
    assert error.startswith(f"{path}:2:8: YAML syntax error") and error.endswith("at the end of the file")
    path.write_text("a: b\n  c: d\n", encoding="utf-8")
    assert check_file(path).errors[0].startswith(f"{path}:2:4: ")  # inside the file: where it is
