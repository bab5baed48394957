"""The error an importer raises; apart from ``base`` so the command line can catch it without
importing anything else of the sources."""

from __future__ import annotations


class FeedError(Exception):
    """A feed file cannot be used; the message is one line naming the file."""
