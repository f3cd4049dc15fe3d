"""Dropping work a newer request made useless, between and inside the stages."""
from __future__ import annotations

from collections.abc import Callable


class Superseded(Exception):
    """A newer request made this search useless (see SearchEngine.search)."""


def never() -> bool:
    return False


def stop_if(superseded: Callable[[], bool]) -> None:
    if superseded():
        raise Superseded
