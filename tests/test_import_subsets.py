"""Every real folder imports: each subset of the Atlanta 2023 feed files (and the season's race list
beside them) imports into a race that
passes ``validate --strict``, or says in one line why it cannot; and Martinsville 2020's lap times
with its weekend feed (what ``fetch`` gets for a race whose loop data is not published) imports."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from replay.racefile.loader import check_text
from replay.sources.base import FeedError, ImportOptions
from replay.sources.nascar.importer import import_nascar
from tests.conftest import ROOT

ATLANTA = ROOT / "tests" / "data" / "feeds" / "nascar-xfinity-2023-atlanta-5314"
MARTINSVILLE = ROOT / "tests" / "data" / "feeds" / "nascar-cup-2020-martinsville-4973"
FILES = sorted(path.name for path in ATLANTA.glob("*.json"))
NOTHING = "nothing to replay: neither lap-times.json (each lap's running order) nor weekend-feed.json"


def imported(tmp_path: Path, source: Path, names: tuple[str, ...], options: ImportOptions) -> str:
    folder = tmp_path / source.name
    folder.mkdir()
    for name in names:
        shutil.copy(source / name, folder)
    return import_nascar(folder, options).text


def strict_problems(text: str) -> list[str]:
    report = check_text(text, "imported")
    return report.errors + report.warnings


@pytest.mark.parametrize("names", [c for n in range(1, len(FILES) + 1) for c in itertools.combinations(FILES, n)],
                         ids="+".join)
def test_every_subset_of_the_atlanta_files_imports_or_says_why_not(tmp_path, names):
    options = ImportOptions(track="Atlanta Motor Speedway", series="NASCAR Xfinity Series", name="Nalley Cars 250")
    if "lap-times.json" not in names:
        with pytest.raises(FeedError) as error:
            imported(tmp_path, ATLANTA, names, options)
        why = str(error.value)
        assert (NOTHING in why or why.endswith("not one race's record; nothing here to import")) and "\n" not in why
        return
    assert strict_problems(imported(tmp_path, ATLANTA, names, options)) == []


def test_martinsville_lap_times_with_the_weekend_feed(tmp_path):
    """Before: "source 'live-driver-stats' is not listed under `sources`" (the laps-led dispute named
    the loop data where the totals were the weekend feed's)."""
    text = imported(tmp_path, MARTINSVILLE, ("lap-times.json", "weekend-feed.json"), ImportOptions())
    assert strict_problems(text) == []
    assert "live-driver-stats" not in text and "weekend-feed.json" in text


def test_the_weekend_feed_keeps_the_lap_times_markers_of_rookies_and_ineligible_drivers(tmp_path):
    """The weekend feed names drivers without lap-times.json's suffixes ("Tyler Reddick #", "JJ
    Yeley(i)"): with both files every car lost its (R) and (i)."""
    import yaml

    text = imported(tmp_path, MARTINSVILLE, ("lap-times.json", "weekend-feed.json"), ImportOptions())
    entries = {entry["driver"]: entry for entry in yaml.safe_load(text)["entries"]}
    assert entries["Tyler Reddick"].get("rookie") and entries["Cole Custer"].get("rookie")
    assert entries["JJ Yeley"].get("points_eligible") is False
    assert entries["Tyler Reddick"]["team"] == "Richard Childress Racing"  # the weekend feed's, kept
