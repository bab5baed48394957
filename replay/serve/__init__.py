"""``race-replay serve``: the viewer in a browser, one app process per page (textual-serve), and
the watch party, where every page follows one host's replay.

The web server (``server``) never imports Textual: each page's app runs in a process of its own
(``child``), started without a shell in a session of its own, which ends when its page goes, when
its input closes or when its server is gone. The party's pages talk to the server over the pipes
the server already holds to them (meta packets): no second listener, no socket of their own.
"""

from typing import Any

# Shared by the server's side and the app processes' (neither imports the other):
SERVER_PID = "RACE_REPLAY_SERVER_PID"  # an app's environment: the server it must not outlive
PARTY = "party"  # the meta packets of the watch party, both ways
News = dict[str, Any]  # a watch party's packet: JSON values, each checked where it is read
