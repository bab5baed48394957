"""NASCAR's three national series, once: the key the command line and the archive use, the id the
feeds use (``series_id``, the ``/cacher/{season}/{series}/`` path), the name, and the short title."""

from __future__ import annotations

TABLE = (  # key, feed id, name, short title
    ("cup", 1, "NASCAR Cup Series", "Cup"),
    ("xfinity", 2, "NASCAR Xfinity Series", "Xfinity"),
    ("trucks", 3, "NASCAR Craftsman Truck Series", "Trucks"),
)
KEYS = tuple(key for key, _, _, _ in TABLE)
IDS = {key: number for key, number, _, _ in TABLE}  # "cup" -> 1
NAMES = {number: name for _, number, name, _ in TABLE}  # 1 -> "NASCAR Cup Series"
TITLES = {key: title for key, _, _, title in TABLE}  # "cup" -> "Cup"
