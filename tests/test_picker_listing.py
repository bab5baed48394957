"""The picker at the command's start: its folders listed in a forked child while Textual imports and
the picker first shows 'listing' (``viewer.preload.ListingPreload``); then the list it would have
shown had it listed them itself."""

from __future__ import annotations

import os

from replay.racefile.catalog import Catalog, list_folders
from replay.viewer.app import ReplayApp
from replay.viewer.preload import ListingPreload
from replay.viewer.screens import PickerScreen
from replay.viewer.screens.picker import LISTING
from tests.conftest import screen_text
from tests.test_picker_archive import COUNT, SIZE, archive, cache, filled  # noqa: F401 - cache: the fixture


def without_times(listed):
    """A listing without its time (``list_folders`` notes when it listed)."""
    return listed[1]


def test_the_child_hands_over_the_listing_this_process_would_make(tmp_path):
    folder = archive(tmp_path / "races")
    handed = ListingPreload.start([folder]).result()
    assert handed is not None and without_times(handed) == without_times(list_folders([folder]))
    assert [name for name, _, _ in handed[1][0][4]] == sorted(path.name for path in folder.iterdir())


def test_without_fork_the_catalog_lists_the_folders_itself(tmp_path, monkeypatch):
    folder = archive(tmp_path / "races")
    monkeypatch.delattr(os, "fork")
    pending = ListingPreload.start([folder])
    catalog = Catalog([folder], listed=pending.result)
    assert catalog.listing and catalog.entries == {}
    catalog.complete()
    assert not catalog.listing and catalog.entries == Catalog([folder]).entries and len(catalog.entries) == COUNT


async def test_the_picker_says_it_lists_then_shows_what_it_would_have_shown(tmp_path):
    folder = archive(tmp_path / "races")
    at_once = ReplayApp(race_folders=[folder], transient=False)
    async with at_once.run_test(size=SIZE) as pilot:
        await filled(at_once, pilot)
        wanted = screen_text(at_once)
    pending = ListingPreload.start([folder])
    shown_while_listing = []

    def wait_for_listing():
        shown_while_listing.append(screen_text(app))  # the frame before the list: what it says
        return pending.result()

    app = ReplayApp(race_folders=[folder], transient=False, listed=wait_for_listing)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app, pilot)
        assert isinstance(app.screen, PickerScreen) and len(app.screen.races) == COUNT
        assert screen_text(app) == wanted
    assert len(shown_while_listing) == 1 and LISTING in shown_while_listing[0]
    assert "race-" not in shown_while_listing[0]  # no race yet: none listed, none half-known
