"""Memos that live for one document: a report reads the same name, cell or number many times
(a sentence whole, by clause and for items; a cell for its header, its value and its check).

Each memo is emptied when the next document starts (see extract.extract_normalized), so
nothing is carried from one report to another.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])

_MEMOS: list = []
# More than the distinct names, cells and numbers of a long report.
MEMO_SIZE = 4096


def per_document(func: F) -> F:
    """`func` (pure, hashable arguments, immutable result) remembered until new_document();
    bounded, for callers outside extract_document that never start a new document."""
    memo = lru_cache(maxsize=MEMO_SIZE)(func)
    _MEMOS.append(memo)
    return memo  # type: ignore[return-value]


def new_document() -> None:
    """Forget everything remembered for the previous document."""
    for memo in _MEMOS:
        memo.cache_clear()
