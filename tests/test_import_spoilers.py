"""The import's messages keep the race untold (a new user's trial): by default `import` and `validate`
print only the warnings that tell nothing of the race, and count the rest in one line; --spoilers
prints them all, as the import printed them before. Real feed folders (copies in tests/data/feeds/)."""

from __future__ import annotations

import re

import yaml

from replay.cli import main
from tests.conftest import ROOT

FEEDS = ROOT / "tests" / "data" / "feeds"
MARTINSVILLE = FEEDS / "nascar-cup-2020-martinsville-4973"
ATLANTA = FEEDS / "nascar-xfinity-2023-atlanta-5314"
ATLANTA_WARNINGS = [  # what the import printed before, every line of it (each tells of the race)
    "warning: lap-times.json: lap 34 gives position(s) [29] to more than one car (or skips some); ordered by race time",
    "warning: lap-times.json: lap 66 gives position(s) [9] to more than one car (or skips some); ordered by race time",
    "warning: lap-times.json: lap 163 gives position(s) [3] to more than one car (or skips some); "
    "ordered by the finishing order",
    "warning: stage 1 winner: lap-notes.json says #2, live-stage-points.json #21; using live-stage-points.json, "
    "both kept as a dispute",
]
COUNT_LINE = re.compile(r"race-replay: (\d+)( more)? notes? tells? of the race itself \(its cautions, lead changes, "
                        r"finish\); add --spoilers to read (them|it)")


def imported(capsys, folder, out, *args: str) -> list[str]:
    assert main(["import", "nascar", str(folder), "-o", str(out), *args]) == 0
    return capsys.readouterr().err.splitlines()


def numbers(lines: list[str]) -> set[str]:
    """The numbers the lines give, less those in file names (the user's own)."""
    return set(re.findall(r"\d+", re.sub(r"[\w.-]+\.json", "", "\n".join(lines))))


def test_the_martinsville_import_tells_nothing_of_the_race_unless_asked(capsys, tmp_path):
    quiet = imported(capsys, MARTINSVILLE, tmp_path / "m.yaml")
    loud = imported(capsys, MARTINSVILLE, tmp_path / "m.yaml", "--spoilers")
    drivers = [entry["driver"] for entry in yaml.safe_load((tmp_path / "m.yaml").read_text())["entries"]]
    count = COUNT_LINE.fullmatch(quiet[-1])
    assert count and int(count[1]) == len(loud) - len(quiet) + 1
    text = "\n".join(quiet[:-1])
    assert "lead changes" not in text and "caution" not in text and "397" not in text
    assert not [name for name in drivers if name.split()[-1] in text]
    # the race's name (its scheduled distance) and id are all the numbers said, and the count of the rest
    assert numbers(quiet) == {"500", "4973", count[1]}
    assert all(line.endswith("; left out") for line in quiet[:-1])  # the live snapshots, without their laps
    said = "\n".join(loud)
    assert "weekend-feed.json states 14 lead changes, the timeline counts 13" in said
    assert "states 52 caution laps" in said and "397-402 against 398-403" in said
    assert "car 19: lap-times.json names 'Martin Truex Jr.', another file 'Martin Truex Jr'" in said
    assert not COUNT_LINE.search(said)


def test_the_atlanta_import_counts_its_warnings_and_prints_them_with_spoilers(capsys, tmp_path):
    quiet = imported(capsys, ATLANTA, tmp_path / "a.yaml", "--track", "Atlanta Motor Speedway")
    assert quiet == ["race-replay: 4 notes tell of the race itself (its cautions, lead changes, finish); "
                     "add --spoilers to read them"]
    assert imported(capsys, ATLANTA, tmp_path / "a.yaml", "--track", "Atlanta Motor Speedway",
                    "--spoilers") == ATLANTA_WARNINGS


def test_validate_counts_the_race_files_warnings_unless_asked(capsys, tmp_path):
    """A race file's warnings cross-check its course (here: laps led against the leader data)."""
    race = yaml.safe_load((ROOT / "races" / "2023-xfinity-atlanta.yaml").read_text())
    race["results"][0]["laps_led"] += 7
    path = tmp_path / "race.yaml"
    path.write_text(yaml.safe_dump(race), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{path}: ok (1 warnings)\n"
    assert err == f"race-replay: {path}: 1 warning tells of the race itself; add --spoilers to read them\n"
    assert main(["validate", str(path), "--spoilers"]) == 0
    out, err = capsys.readouterr()
    assert "results say" in err and "laps led" in err and "--spoilers" not in err


def test_stage_ends_guessed_from_the_notes_are_said_by_default_without_their_laps(capsys, tmp_path):
    """Without the season's race list the stage ends are guessed from the lap notes; the warning that
    says so (and how to give the real ones) went with the spoilers, so a default import never said
    its stage ends were a guess (a new user's trial: stage 2 ended at lap 78, not 80). Its laps tell
    where the notes announced stage winners: those stay for --spoilers."""
    import shutil

    folder = tmp_path / "atlanta"
    shutil.copytree(ATLANTA, folder)
    (folder / "race_list_basic.json").unlink()
    quiet = imported(capsys, folder, tmp_path / "a.yaml", "--track", "Atlanta Motor Speedway")
    guessed = [line for line in quiet if "stage ends estimated from the lap notes" in line]
    assert len(guessed) == 1 and "--stage-ends" in guessed[0] and not re.search(r"\d", guessed[0].split("(")[0])
    assert "78" not in "\n".join(quiet)
    loud = imported(capsys, folder, tmp_path / "a.yaml", "--track", "Atlanta Motor Speedway", "--spoilers")
    assert any("lap(s) 40, 78" in line for line in loud)
