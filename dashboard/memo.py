"""Results of pure functions of frames, remembered by the content of their arguments, process-wide.

A page run rebuilds the same figures and cards for every session that looks at the same view:
a meeting's 30 people opening the province's overview at once asked plotly for the same figure
30 times (about 0,05 s each, the main cost above Streamlit's own). ``remembered(fn, *args)``
builds it once per distinct input. The key is the *content* of the arguments — a frame by a
digest of its bytes, not by its name or the filters that made it — so two users share a result
only when they handed in the same data: a scoped or small-count-suppressed frame is a different
frame, with a different key, and its result can never reach someone whose frame differs.

Results are shared between sessions and must not be changed by the caller (figures are
copied before anything is added to them, ``charts.for_screen`` and ``export.with_caption`` do).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

import polars as pl

T = TypeVar("T")

# About 50 figures per distinct view at most (Xu hướng with every indicator of a domain); a
# figure of a few traces is tens of kilobytes, so a full cache stays within a few tens of MB.
MAX_ENTRIES = 512

# Reentrant: a weak reference's callback (``know``) may run inside a locked section of this thread.
_lock = threading.RLock()
_results: OrderedDict[Hashable, Any] = OrderedDict()
_stats = {"hits": 0, "misses": 0}
_building: dict[Hashable, threading.Event] = {}  # results being made now: the others wait for them
# id(frame) → (weak reference to it, the key it is known by): frames handed out by a cache
# whose key fully determines them (``loaders.summary``'s query arguments with the user's scope, or a
# remembered result's own key), so they need no digest. Digesting a frame costs little alone but
# every run of a page did it, in threads competing for polars' pool.
_known: dict[int, tuple[weakref.ref, Hashable]] = {}


class Same:
    """An argument compared by identity (a cached geography, the map's boundary shapes): it is the
    same object or not. Wrap a large cached value in it to key by the object, not its content."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj  # held, so its id cannot be reused while the key lives

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.obj is self.obj


def frame_digest(frame: pl.DataFrame) -> bytes:
    """A digest of a frame's column names and types, row order and values.

    Polars hashes every row (twice, with two seeds: 128 bits a row) and the sequence of row
    hashes is digested with the schema: about six times faster than digesting the frame's
    Arrow bytes, which mattered, as every run of a page digests its frames.
    """
    digest = hashlib.blake2b(repr(frame.schema).encode(), digest_size=20)
    digest.update(frame.height.to_bytes(8, "little"))
    for seed in (0x5EED, 0xB0A7):
        digest.update(frame.hash_rows(seed=seed).to_numpy().tobytes())
    return digest.digest()


def know(frame: pl.DataFrame, key: Hashable) -> pl.DataFrame:
    """Remember that ``frame`` is the one determined by ``key`` (plain arguments: folder,
    snapshot, the user's scope, filters), so it is keyed by that instead of a digest. Returns it.

    Only for frames that are not changed afterwards (polars frames are not changed in place
    by this code) and whose ``key`` names everything they were made from.
    """
    ident = id(frame)

    # The lock and the table are bound now: at interpreter exit the module's globals are gone
    # before the last frames are collected.
    def forget(_ref: weakref.ref, ident: int = ident, lock=_lock, known=_known) -> None:
        with lock:
            entry = known.get(ident)
            if entry is not None and entry[0] is _ref:
                del known[ident]

    with _lock:
        _known[ident] = (weakref.ref(frame, forget), ("known", key))
    return frame


def _known_key(frame: pl.DataFrame) -> Hashable | None:
    with _lock:
        entry = _known.get(id(frame))
    return entry[1] if entry is not None and entry[0]() is frame else None


def content_key(value: Any) -> Hashable:
    """A hashable stand-in for ``value`` that is equal for equal content."""
    if isinstance(value, pl.DataFrame):
        known = _known_key(value)
        return known if known is not None else ("frame", frame_digest(value))
    if isinstance(value, str | int | float | bool | bytes | dt.date | type(None)):
        return (type(value).__name__, value)
    if isinstance(value, Mapping):
        return ("map", tuple((content_key(k), content_key(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | frozenset | set):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return (type(value).__name__, tuple(content_key(v) for v in items))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        try:
            hash(value)
            return ("value", value)
        except TypeError:  # a frozen dataclass holding frames: one cached object, by identity
            return ("same", Same(value))
    if callable(value):
        return ("same", Same(value))
    hash(value)  # anything else must be hashable to be a key
    return ("value", value)


def remembered(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)``, computed once per distinct content of the arguments.

    Sessions asking at once for a result not yet made wait for the first one to make it: a
    meeting's 32 people opening a view nobody had opened since the server started built each of
    its figures 32 times (a filter step of 5,2 s instead of 0,8 s in the load test).
    """
    key = (fn, content_key(args), content_key(tuple(sorted(kwargs.items()))))
    with _lock:
        if key in _results:
            _results.move_to_end(key)
            _stats["hits"] += 1
            return _results[key]
        gate = _building.get(key)
        building = gate is None
        if building:
            gate = _building[key] = threading.Event()
    if not building:
        gate.wait()
        with _lock:
            if key in _results:
                _stats["hits"] += 1
                return _results[key]
        return remembered(fn, *args, **kwargs)  # the first one failed: this session tries itself
    try:
        result = fn(*args, **kwargs)
        if isinstance(result, pl.DataFrame):
            know(result, key)  # a remembered frame passed on to another remembered function needs no digest
        with _lock:
            _stats["misses"] += 1
            _results[key] = result
            while len(_results) > MAX_ENTRIES:
                _results.popitem(last=False)
    finally:
        with _lock:
            del _building[key]
        gate.set()
    return result


def clear() -> None:
    """Forget every remembered result (tests; a new snapshot needs no clearing: its frames differ)."""
    with _lock:
        _results.clear()
        _known.clear()
        _stats.update(hits=0, misses=0)


def stats() -> dict[str, int]:
    """Hits, misses and entries so far (for the load test's report)."""
    with _lock:
        return {**_stats, "entries": len(_results)}
