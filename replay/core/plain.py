"""Race text for a terminal or a file that has no Unicode: the punctuation of race reports and
key names in plain ASCII."""

from __future__ import annotations

TO_ASCII = str.maketrans({
    "·": "-", "—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "~", "←": "<", "→": ">",
    "↑": "^", "↓": "v", "⇧": "^", "▏": "|", "⏸": "||", "▶": ">", "é": "e", "á": "a", "í": "i", "ó": "o", "ú": "u", "ñ": "n",
})


def to_plain(text: str, encoding: str) -> str:
    """``text`` as ``encoding`` can hold it: punctuation made ASCII, anything else left ``?``."""
    if encoding.lower().replace("-", "").startswith("utf"):
        return text
    return text.translate(TO_ASCII).encode(encoding, "replace").decode(encoding)
