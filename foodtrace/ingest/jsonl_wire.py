"""How the JSON-lines ingest's worker process hands its batches to the main one (``jsonl_worker``): pickle,
with the validated models written as (class, field values, fields set) instead of pydantic's own state.

Pydantic's ``__getstate__`` / ``__setstate__`` are Python calls that copy four slots each way; for a
batch of 10,000 events and their nested lots that was about 15 CPU µs per event, both sides together
(``docs/performance.md``). Here a model is rebuilt from its very ``__dict__`` and fields set, so the
object is the one pydantic would give back (equal, same fields set: written once per batch for all the
models that share it, each rebuilt model getting a set of its own); a model holding extra fields or
private attributes takes pydantic's own way. Only for the pipe between the two processes of one ingest:
nothing of this is stored, and both ends run this same module.
"""

from __future__ import annotations

import copyreg
import io
import pickle
from typing import Any

from pydantic import BaseModel

_TABLE: dict | None = None
_SHAPES: dict[frozenset, frozenset] = {}


def _rebuild(cls: type, values: dict, fields_set: frozenset) -> Any:
    obj = cls.__new__(cls)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", set(fields_set))  # each model its own set, as pydantic's
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


_set = object.__setattr__


def _reduce(obj: BaseModel):
    if obj.__pydantic_extra__ is not None or obj.__pydantic_private__ is not None:
        return obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)  # pydantic's own state: nothing left out
    fields_set = frozenset(obj.__pydantic_fields_set__)
    # models of a batch have a few sets of fields given: one object each, so that pickle writes each once
    shared = _SHAPES.get(fields_set)
    if shared is None:
        if len(_SHAPES) >= 4096:
            _SHAPES.clear()
        shared = _SHAPES[fields_set] = fields_set
    return _rebuild, (type(obj), obj.__dict__, shared)


def _table() -> dict:
    """copyreg's table with every pydantic model class known when first asked (the model is imported by
    then: the worker validated with it, the main process unpickles into it)."""
    global _TABLE
    if _TABLE is None:
        table = dict(copyreg.dispatch_table)
        todo = [BaseModel]
        while todo:
            cls = todo.pop()
            todo.extend(cls.__subclasses__())
            if cls is not BaseModel:
                table[cls] = _reduce
        _TABLE = table
    return _TABLE


def dumps(message: Any) -> bytes:
    """``message`` pickled (highest protocol), models as above."""
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _table()
    pickler.dump(message)
    return buf.getvalue()


loads = pickle.loads

__all__ = ["dumps", "loads"]
