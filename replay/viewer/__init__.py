"""The Textual viewer: the app, its screens and the command palette. ``preload`` lives here too and
imports no Textual: the command line starts it before Textual loads."""
