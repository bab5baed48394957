"""A lap chart kept in a spreadsheet (what ``export --format csv`` writes): the wing of one source.
Nothing outside this package imports it (the registry loads ``source.SOURCE`` by name)."""
