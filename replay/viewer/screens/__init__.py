"""Textual screens of the viewer."""

from .dialogs import DriverChooser, EventScreen, GoToLap, HelpScreen, SourcesScreen
from .picker import PickerScreen
from .replay import ReplayScreen

__all__ = ["DriverChooser", "EventScreen", "GoToLap", "HelpScreen", "PickerScreen", "ReplayScreen", "SourcesScreen"]
