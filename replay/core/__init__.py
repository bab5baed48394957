"""The core: the race model, the lap-state engine and what it computes. Imports no other layer,
no YAML reader and no UI framework."""
