"""Where race-replay keeps what it makes: the user's fetched races, settings and caches.

Each place can be moved by an environment variable (tests, portable setups); otherwise it is the
platform's own folder for the user (platformdirs): e.g. ``~/.local/share/race-replay`` on Linux.
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "race-replay"


def data_dir() -> Path:
    """The user's own data: fetched races live in its ``races`` folder."""
    if os.environ.get("RACE_REPLAY_DATA_DIR"):
        return Path(os.environ["RACE_REPLAY_DATA_DIR"])
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False))


def user_races_dir() -> Path:
    """Races the user fetched; the picker lists them beside the bundled races."""
    return data_dir() / "races"


def cache_dir() -> Path:
    """What can be thrown away and made again: downloaded feed files, the picker's index."""
    if os.environ.get("RACE_REPLAY_CACHE_DIR"):
        return Path(os.environ["RACE_REPLAY_CACHE_DIR"])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP, appauthor=False))


def config_dir() -> Path:
    """The user's settings (``user.settings``): e.g. ``~/.config/race-replay`` on Linux."""
    if os.environ.get("RACE_REPLAY_CONFIG_DIR"):
        return Path(os.environ["RACE_REPLAY_CONFIG_DIR"])
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False))
