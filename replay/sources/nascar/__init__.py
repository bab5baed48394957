"""NASCAR's public timing feeds: the wing of one source. Its files, import, fetch and season list
live here; nothing outside this package imports it (the registry loads ``source.SOURCE`` by name)."""
