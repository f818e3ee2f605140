"""Read-only mappings in frozen dataclasses, and how such a dataclass pickles.

A frozen dataclass that stores a count per rule as a ``MappingProxyType`` (so that nobody
changes ``accounting.flagged["speeder"]`` behind its back) cannot be pickled as it is: a
mapping proxy does not pickle. :func:`rebuilt` gives its ``__reduce__``: the object is made
again through its constructor from plain dicts, so the checks of ``__post_init__`` run again
and the views are made again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

__all__ = ["read_only", "rebuilt"]


def read_only(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return a read-only copy of ``mapping``.

    Examples
    --------
    >>> counts = read_only({"speeder": 2})
    >>> counts["speeder"]
    2
    >>> counts["speeder"] = 3
    Traceback (most recent call last):
    ...
    TypeError: 'mappingproxy' object does not support item assignment

    """
    return MappingProxyType(dict(mapping))


def rebuilt(obj: Any) -> tuple[Any, tuple[Any, ...]]:
    """``__reduce__`` of a frozen dataclass: its class and constructor arguments, as dicts.

    Examples
    --------
    >>> import pickle
    >>> from surveykit.ingestion import Accounting
    >>> a = pickle.loads(pickle.dumps(Accounting(read=3, accepted=3, flagged={"partial": 1})))
    >>> a.flagged["partial"], type(a.flagged).__name__
    (1, 'mappingproxy')

    """
    arguments = {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)
                 if f.init}
    return _construct, (type(obj), arguments)


def _plain(value: Any) -> Any:
    return dict(value) if isinstance(value, MappingProxyType) else value


def _construct(cls: type, arguments: dict[str, Any]) -> Any:
    return cls(**arguments)
