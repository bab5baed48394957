"""Textual screens of the viewer."""

from .dialogs import DriverChooser, GoToLap, HelpScreen, SourcesScreen
from .picker import PickerScreen
from .replay import ReplayScreen

__all__ = ["DriverChooser", "GoToLap", "HelpScreen", "PickerScreen", "ReplayScreen", "SourcesScreen"]
