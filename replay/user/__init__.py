"""What the user keeps and types: the folders race-replay keeps things in, writes that are never
half-done, locks, settings, where notes and prep sheets live, and the lap a person types.

The core computes a race; this layer is the user's side of the disk and keyboard. It imports the
core's model at most, and no YAML reader or UI.
"""
