"""The viewer's colours: one palette of theme variables (``$flag-green``, ``$race-lead`` …).

The widgets use them in their component classes and read the resulting Rich styles once per
theme or stylesheet change (``Themed``). The race-replay theme sets them to the colours the
viewer was designed with; every other theme gets them derived from its own colours
(``derived_colours``), so switching theme restyles the board, header, scrubber, banners and log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import ClassVar

from rich.color import Color as RichColor
from rich.style import Style
from textual.color import Color
from textual.theme import BUILTIN_THEMES, Theme
from textual.widget import Widget

FLAGS = ("green", "yellow", "red", "white")  # the checkered flag is drawn as the white one

# The race-replay theme's own values. Names starting "ansi_" are the terminal's own colours.
RACE_REPLAY_COLOURS: dict[str, str] = {
    "flag-green": "#2e8b57", "flag-yellow": "#e0c000", "flag-red": "#d03030", "flag-white": "#e0e0e0",
    # text on a flag's colour (the header's flag chip)
    "flag-green-text": "ansi_black", "flag-yellow-text": "ansi_black", "flag-red-text": "ansi_white",
    "flag-white-text": "ansi_black",
    # a banner's background, a dark shade of its flag
    "flag-green-muted": "#0f2a1c", "flag-yellow-muted": "#3a3200", "flag-red-muted": "#3a1010",
    "flag-white-muted": "#2a2a2a",
    "banner-text": "#f0f0f0",
    "race-lead": "#6fa8ff", "race-lead-muted": "#16243a",  # lead changes, passes, stage-end banners
    "race-incident": "#ff9f40",  # incident marks on the scrubber, mechanical trouble in the log
    "race-fastest": "#c080ff",
    "race-danger": "ansi_red",  # crashes, cars out, places lost
    "race-caution": "ansi_yellow",  # cautions, cars in the pits
    "race-good": "ansi_green",  # restarts, places gained
    "race-service": "ansi_cyan",  # pit stops, qualifying
    "race-penalty": "ansi_magenta",
    "race-note": "#e8c46a",  # the user's own notes in the log
    "race-future": "#555555",  # the scrubber's laps still to come
    "race-cursor": "ansi_white",
    "followed-background": "#3a3a7a", "moved-background": "#5a4a00",
}

RACE_REPLAY_THEME: Theme = replace(
    BUILTIN_THEMES["textual-dark"], name="race-replay",
    variables={**BUILTIN_THEMES["textual-dark"].variables, **RACE_REPLAY_COLOURS},
)


def derived_colours(theme: Theme) -> dict[str, str]:
    """The palette in ``theme``'s own colours, for themes that do not set it."""
    if theme.ansi:
        return _ansi_colours()
    system = theme.to_color_system().generate()
    background = Color.parse(system["background"])
    flags = {"green": system["success"], "yellow": system["warning"], "red": system["error"],
             "white": system["foreground"]}
    colours: dict[str, str] = {}
    for flag, value in flags.items():
        colour = Color.parse(value)
        colours[f"flag-{flag}"] = colour.hex
        colours[f"flag-{flag}-text"] = colour.get_contrast_text(1.0).hex
        colours[f"flag-{flag}-muted"] = _toward(colour, background, 0.75)
    lead = Color.parse(system["primary"])
    colours.update({
        "banner-text": Color.parse(system["foreground"]).hex,
        "race-lead": Color.parse(system["text-primary"]).hex, "race-lead-muted": _toward(lead, background, 0.75),
        "race-incident": Color.parse(system["text-accent"]).hex,
        "race-fastest": Color.parse(system["text-secondary"]).hex,
        "race-danger": Color.parse(system["text-error"]).hex,
        "race-caution": Color.parse(system["text-warning"]).hex,
        "race-good": Color.parse(system["text-success"]).hex,
        "race-service": Color.parse(system["text-primary"]).hex,
        "race-penalty": Color.parse(system["text-accent"]).hex,
        "race-note": _toward(Color.parse(system["warning"]), Color.parse(system["foreground"]), 0.35),
        "race-future": _toward(Color.parse(system["foreground"]), background, 0.65),
        "race-cursor": Color.parse(system["foreground"]).hex,
        "followed-background": _toward(lead, background, 0.55),
        "moved-background": _toward(Color.parse(system["warning"]), background, 0.65),
    })
    return colours


def _toward(colour: Color, background: Color, amount: float) -> str:
    return colour.blend(background, amount).hex


def _ansi_colours() -> dict[str, str]:
    """For a theme of the terminal's own colours: the nearest terminal colour of each."""
    named = {"green": "ansi_green", "yellow": "ansi_yellow", "red": "ansi_red", "white": "ansi_white"}
    colours = {f"flag-{flag}": name for flag, name in named.items()}
    colours.update({f"flag-{flag}-text": "ansi_black" for flag in named})
    colours.update({f"flag-{flag}-muted": "ansi_default" for flag in named})
    colours.update({
        "banner-text": "ansi_default", "race-lead": "ansi_bright_blue", "race-lead-muted": "ansi_default",
        "race-incident": "ansi_bright_yellow", "race-fastest": "ansi_magenta", "race-danger": "ansi_red",
        "race-caution": "ansi_yellow", "race-good": "ansi_green", "race-service": "ansi_cyan",
        "race-penalty": "ansi_magenta", "race-future": "ansi_bright_black", "race-cursor": "ansi_bright_white",
        "race-note": "ansi_bright_green",
        "followed-background": "ansi_blue", "moved-background": "ansi_yellow",
    })
    return colours


TEXT_STYLES = ("bold", "dim", "italic", "reverse", "underline")


LEGIBLE = 0.45  # without colour, the least brightness of a text colour on no background of its own


def style_of(spec: str, variables: Mapping[str, str], legible: bool = False) -> Style:
    """A Rich style from ``color: $race-danger; background: $x; text-style: bold`` in the theme's
    variables: the CSS of a component class, read without the stylesheet. ``legible`` (the terminal
    shows no colour, NO_COLOR): a text colour on no background of its own is lightened toward the
    theme's foreground, as the terminal shows it in grey by its brightness, and a dark red or blue
    turned to a grey barely lighter than the background."""
    colours: dict[str, RichColor] = {}
    flags: dict[str, bool] = {}
    for declaration in filter(None, (part.strip() for part in spec.split(";"))):
        key, value = (part.strip() for part in declaration.split(":", 1))
        if key in ("color", "background"):
            colour = Color.parse(variables[value[1:]] if value.startswith("$") else value)
            colours["color" if key == "color" else "bgcolor"] = colour.rich_color
        elif key == "text-style":
            flags.update({word: True for word in value.split() if word in TEXT_STYLES})
        else:
            raise ValueError(f"{key!r} is not a palette property (color, background, text-style)")
    if legible and "color" in colours and "bgcolor" not in colours:
        colours["color"] = _lightened(Color.from_rich_color(colours["color"]), Color.parse(variables["foreground"])).rich_color
    return Style(color=colours.get("color"), bgcolor=colours.get("bgcolor"), bold=flags.get("bold"),
                 dim=flags.get("dim"), italic=flags.get("italic"), reverse=flags.get("reverse"),
                 underline=flags.get("underline"))


def _lightened(colour: Color, foreground: Color) -> Color:
    """``colour`` taken toward ``foreground`` until its grey is at least ``LEGIBLE`` bright (as it is, if it was)."""
    for step in range(11):
        lighter = colour.blend(foreground, step / 10)
        if lighter.monochrome.brightness >= LEGIBLE:
            return lighter
    return foreground


class Themed(Widget):
    """A widget drawn with the line API in the theme's colours.

    ``PALETTE`` names the widget's styles, each written as CSS in the theme's ``$`` variables;
    ``palette`` is them as Rich styles. They are read on first use after each theme or stylesheet
    change, when ``palette_changed`` lets the widget drop whatever it drew with the old ones.
    (Textual's component classes would do the same through the stylesheet, at a cost of every
    class on every restyle: ~50 ms of the first frame for the ~45 styles here.)
    """

    PALETTE: ClassVar[dict[str, str]] = {}
    # Without colour, text colours too dark to read are lightened (``style_of``); a widget whose
    # greys tell its colours apart (the scrubber's flags) keeps them.
    LIGHTEN_WITHOUT_COLOUR: ClassVar[bool] = True
    _palette: dict[str, Style] | None = None

    @property
    def palette(self) -> dict[str, Style]:
        if self._palette is None:
            variables = self.app.theme_variables
            legible = self.app.no_color and self.LIGHTEN_WITHOUT_COLOUR
            self._palette = {name: style_of(spec, variables, legible) for name, spec in self.PALETTE.items()}
        return self._palette

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self._palette is not None:
            self._palette = None
            self.palette_changed()

    def palette_changed(self) -> None:
        """Drop what was drawn with the old palette (override where something is cached)."""
        self.refresh()
