"""The replay screen's keys: its bindings (shown in the key bar where ``show``, all in the help;
the lap navigation first, shared with the lap chart: ``navigation``), and what a wide key bar adds
(see ``widgets.key_bar``)."""

from __future__ import annotations

from textual.binding import Binding

from .navigation import NAVIGATION, footer_actions

# Race pace's nudges: seconds -> (key, display) back and on
NUDGE_KEYS = {10: (("comma", ","), ("full_stop", ".")), 30: (("less_than_sign", "<"), ("greater_than_sign", ">")),
              60: (("left_curly_bracket", "{"), ("right_curly_bracket", "}"))}

BINDINGS: list[Binding] = [
    *NAVIGATION,
    Binding("space", "play", "Play", tooltip="Play / pause"),
    Binding("space", "pause", "Pause", tooltip="Play / pause"),
    Binding("plus,equals_sign", "speed(1)", "Faster", key_display="+", tooltip="Play faster"),
    Binding("minus", "speed(-1)", "Slower", key_display="-", tooltip="Play slower"),
    Binding("t", "race_pace", "Race pace", tooltip="Play at the race's own pace (or by laps again)"),
    Binding("t", "by_laps", "Laps", tooltip="Play at the race's own pace (or by laps again)"),
    Binding("m", "sync", "Sync", tooltip="Race pace: this lap is on my screen now (offset 0)"),
    Binding("m", "sync_here", "Sync", show=False, tooltip="Race pace: this lap is on my screen now (offset 0)"),
    *(Binding(key, f"nudge({-seconds if sign == '-' else seconds})", f"{sign}{seconds} s", show=False, key_display=display,
              tooltip=f"Race pace: {seconds} s {'back' if sign == '-' else 'on'}")
      for seconds, keys in NUDGE_KEYS.items() for sign, (key, display) in zip("-+", keys, strict=True)),
    Binding("left_square_bracket", "stage(-1)", "Prev stage", show=False, key_display="[",
            tooltip="Previous stage end"),
    Binding("right_square_bracket", "stage(1)", "Next stage", show=False, key_display="]",
            tooltip="Next stage end"),
    Binding("p", "event(-1)", "Prev event", show=False, tooltip="Previous event"),
    Binding("n", "event(1)", "Next event", show=False, tooltip="Next event"),
    Binding("g", "go_to_lap", "Go to lap", tooltip="Go to a lap"),
    Binding("f", "follow", "Follow", tooltip="Follow a driver (highlighted, kept in view)"),
    Binding("v", "gap_to", "Gap", show=False,
            tooltip="Gap column: to the leader, or to the first driver you followed"),
    Binding("l", "filter_log", "Log", show=False, tooltip="Show one driver's incidents"),
    Binding("k", "log_kinds", "Kinds", show=False, tooltip="Which kinds the log shows: all, crashes, pit stops, …"),
    Binding("s", "sources", "Sources", show=False, tooltip="Sources, and disputes (at the finish)"),
    Binding("d", "event_in_full", "Event", show=False, tooltip="The highlighted event in full (a note: edit or delete it)"),
    Binding("a", "add_note", "Note", show=False, tooltip="Add a note at this lap (about a followed driver)"),
    Binding("e", "prep_sheet", "Prep", show=False, tooltip="Write a Markdown prep sheet of the race so far"),
    Binding("r", "results", "Results", tooltip="Results, standings, loop data and notes (at the finish)"),
    Binding("c", "lap_chart", "Chart", show=False, tooltip="Lap chart: positions by lap of the followed drivers"),
    Binding("i", "statistics", "Stats", show=False, tooltip="Race statistics so far"),
    Binding("o", "pit_stops", "Pits", show=False, tooltip="Pit stops so far: service, time on pit road, places"),
    # one line in the help: the same tooltip, the keys shown together
    Binding("up", "log_cursor(-1)", "Log up", show=False, key_display="↑ ↓", tooltip="Incident log: up and down"),
    Binding("down", "log_cursor(1)", "Log down", show=False, key_display="↓", tooltip="Incident log: up and down"),
    Binding("enter", "log_choose", "Jump", show=False, key_display="Enter",
            tooltip="Incident log: go to the event's lap (a pit cycle: its stops)"),
    Binding("question_mark", "help", "Help", key_display="?", tooltip="This help"),
    Binding("escape", "app.race_list", "Races", show=False, tooltip="Back to the list of races"),
    Binding("q", "app.quit", "Quit", tooltip="Quit"),
]

# A wide key bar (160 columns) joins these pairs and shows the commentator's keys too.
KEY_BAR_PAIRS = {"step(-1)": ("step(1)", "Lap ±1"), "speed(1)": ("speed(-1)", "Speed"),
                 "nudge(-10)": ("nudge(10)", "±10 s"), "nudge(-30)": ("nudge(30)", "±30 s"),
                 "nudge(-60)": ("nudge(60)", "±60 s")}
KEY_BAR_MORE = ("nudge(-10)", "nudge(10)", "nudge(-30)", "nudge(30)", "nudge(-60)", "nudge(60)",  # race pace only
                "gap_to", "lap_chart", "statistics", "pit_stops", "add_note", "prep_sheet", "filter_log", "log_kinds",
                "sources")


# The footer's actions and their literal parameters, parsed once (they are re-checked every lap).
FOOTER_ACTIONS = footer_actions(BINDINGS)
