"""race-replay: replay motorsport races lap by lap in the terminal.

The layers, one folder each (the import contracts in pyproject.toml hold them apart):
``core`` the race model and the lap-state engine; ``user`` the user's folders, settings, locks,
atomic writes and typed laps; ``racefile`` reading and checking race files;
``sources`` timing feeds and lap charts -> race files, and downloads; ``export`` a lap's state as text or JSON; ``viewer`` the
Textual app (with the top-level ``widgets`` package). This file imports nothing, so the viewer's
process never loads the YAML reader or the checker (see ``viewer.preload``).
"""
