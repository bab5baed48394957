"""A banner that slides in for stage ends and flag changes, and leaves on its own or at the next key."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Offset
from textual.widgets import Static

from replay.banners import Banner as BannerData

KIND_CLASSES = ("-green", "-yellow", "-red", "-white", "-checkered", "-stage_end")


class Banner(Static):
    """Hidden until :meth:`announce`."""

    DEFAULT_CSS = """
    Banner {
        dock: top; layer: overlay; width: 100%; height: auto; margin: 3 4 0 4;
        padding: 1 2; text-align: center; border: heavy $accent; background: $panel;
        display: none; offset-x: 0;
    }
    Banner.-shown { display: block; }
    Banner.-yellow { border: heavy $warning; background: $warning 25%; }
    Banner.-red { border: heavy $error; background: $error 25%; }
    Banner.-green { border: heavy $success; background: $success 20%; }
    Banner.-white, Banner.-checkered { border: heavy $foreground; }
    Banner.-stage_end { border: heavy $accent; background: $accent 20%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.current: BannerData | None = None

    def announce(self, banner: BannerData, animate: bool = True) -> None:
        self.current = banner
        text = Text(banner.title, style="bold")
        for line in banner.lines:
            text.append("\n" + line)
        self.update(text)
        self.remove_class(*KIND_CLASSES)
        self.add_class("-shown", f"-{banner.kind}")
        if animate:
            self.offset = Offset(self.app.size.width, 0)
            self.animate("offset", Offset(0, 0), duration=0.35, easing="out_cubic")

    def dismiss(self) -> None:
        self.current = None
        self.remove_class("-shown", *KIND_CLASSES)
