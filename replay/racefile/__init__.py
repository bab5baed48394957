"""Race files: the safe YAML reader, the loader and its checks, the JSON Schema, and finding race
files (bundled and in folders). Imports the core, never the viewer."""
