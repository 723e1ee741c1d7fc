"""Text rules that ``mscbib build``'s validation and ``mscbib check`` both apply (one home for each): mojibake
(TXT003) and a title in capitals (TTL001). Pure functions over strings; they import nothing of mscbib."""

from __future__ import annotations

import re

__all__ = ["mojibake", "mojibake_message", "in_capitals", "CAPITALS_MESSAGE"]

_MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf©®±²³´µ¶·¸¹º»¼½¾¿¡¢£¤¥¦§¨ª«¬]|â€[\u0080-\u00bf™œ¦˜“”’‘\u009d]|Â[\u00a0-\u00bf]")


def mojibake(text: str) -> str | None:
    """The first double-encoded sequence in ``text`` (UTF-8 read as Latin-1: ``Ã¼`` for ``ü``), or None."""
    m = None if text.isascii() else _MOJIBAKE.search(text)  # mojibake is never ASCII
    return m.group(0) if m else None


def mojibake_message(field: str, seq: str) -> str:
    return f"{field} looks double-encoded ({seq!r}: UTF-8 read as Latin-1)"


def _has_lower(text: str) -> bool:
    """Any lower-case letter in ``text`` (str.islower on the whole text fails on a single capital)."""
    return text.upper() != text if text.isascii() else any(c.islower() and c.isalpha() for c in text)


def in_capitals(title: str) -> bool:
    """A title written in capitals (12 letters at least, none lower-case)."""
    return not _has_lower(title) and sum(1 for c in title if c.isalpha()) >= 12


CAPITALS_MESSAGE = "title is in capitals; styles cannot restore its case"
