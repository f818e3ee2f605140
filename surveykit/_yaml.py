"""The one safe YAML loader behind every instrument, deployment, study and register file.

A YAML file may come from anyone. Before anything is built, one pass over the parser's
events (libyaml's C parser where installed) bounds the file's size, its nesting depth, the
number of nodes after expanding aliases (so a "billion laughs" file of 300 bytes is refused
instead of expanding to 10^9 nodes) and the length of every scalar (so a 100 000-digit
integer never reaches ``int()``). Then the document is built with the safe constructor; a
value that cannot be built (an impossible date such as ``2026-02-30``, an unhashable key) is
reported with its line and key path. Every failure is a :class:`YamlError`, which each
loader turns into its own error class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from surveykit._limits import get_input_limits, limit_hint

__all__ = ["YamlDocument", "YamlError", "describe", "load_yaml"]

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MAX_NUMBER_DIGITS = 100


class YamlError(ValueError):
    """A YAML file is unsafe or invalid; ``line`` (1-based or None) and ``path`` say where."""

    def __init__(self, message: str, line: int | None = None, path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.path = path


@dataclass
class YamlDocument:
    """The loaded content and the duplicate keys found, as ``(key, line)``."""

    data: Any
    duplicates: list[tuple[str, int]] = field(default_factory=list)


class _Loader(_BaseLoader):
    """Safe loader that records duplicate keys and where a value failed to build."""

    duplicates: list[tuple[str, int]]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                dup = key in seen
                seen.add(key)
            except TypeError:
                raise YamlError(f"a mapping key is a {type(key).__name__}, which cannot be "
                                  "a key", key_node.start_mark.line + 1) from None
            if dup:
                self.duplicates.append((str(key), key_node.start_mark.line + 1))
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as exc:
            if isinstance(exc, YamlError):
                raise
            value = str(getattr(node, "value", ""))[:40]
            raise YamlError(f"the value {value!r} cannot be read as {_tag(node)} ({exc})",
                              node.start_mark.line + 1) from None


def _tag(node: yaml.Node) -> str:
    return str(node.tag).rsplit(":", 1)[-1]


def load_yaml(content: str | bytes) -> YamlDocument:
    r"""Parse one YAML document within the input limits.

    Parameters
    ----------
    content : str or bytes
        The file's text, or its bytes (which must be UTF-8).

    Returns
    -------
    YamlDocument
        ``data`` and the duplicate keys found.

    Raises
    ------
    YamlError
        Not UTF-8, too large, too deep, too many nodes after aliases, a scalar too long,
        a syntax error, or a value that cannot be built; with the line where known.

    Examples
    --------
    >>> load_yaml("a: &x [1, 2]\nb: *x\n").data
    {'a': [1, 2], 'b': [1, 2]}
    >>> bomb = "a: &a [1,1,1,1,1,1,1,1,1,1]\n" + "".join(
    ...     f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    >>> try:
    ...     load_yaml(bomb)
    ... except YamlError as e:
    ...     print(str(e)[:52])
    the document expands to more than 2000000 nodes thro

    """
    lim = get_input_limits()
    size = len(content)
    if size > lim.max_yaml_bytes:
        raise YamlError(f"the file has {size} bytes, more than the limit max_yaml_bytes = "
                        f"{lim.max_yaml_bytes} ({limit_hint('max_yaml_bytes')})")
    text = _decode(content) if isinstance(content, bytes) else content
    _check_events(text)
    loader = _Loader(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        raise _syntax(exc) from None
    except RecursionError:  # pragma: no cover - depth is bounded by _check_events
        raise YamlError("the document is nested too deeply") from None
    finally:
        loader.dispose()
    return YamlDocument(data, loader.duplicates)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(f"byte {raw[exc.start:exc.start + 1]!r} is not UTF-8; save the file "
                        "as UTF-8", line) from None


def describe(problem: YamlError) -> str:
    """Format the problem with its key path and line, for one-line error messages.

    Examples
    --------
    >>> describe(YamlError("too deep", 3, "items[0].a"))
    'too deep (key items[0].a, line 3)'

    """
    where = [f"key {problem.path}"] if problem.path else []
    if problem.line and "line" not in problem.message:
        where.append(f"line {problem.line}")
    return problem.message + (f" ({', '.join(where)})" if where else "")


def _syntax(exc: yaml.YAMLError) -> YamlError:
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    reason = getattr(exc, "problem", None) or str(exc)
    return YamlError(f"YAML syntax error{where}: {reason}",
                       mark.line + 1 if mark else None)


def _check_events(text: str) -> None:
    """One pass over the parser events: depth, expanded node count and scalar length."""
    lim = get_input_limits()
    sizes: dict[str, int] = {}
    stack: list[_Open] = []
    total = 0
    try:
        for ev in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(ev, yaml.CollectionEndEvent):
                done = stack.pop()
                if done.anchor:
                    sizes[done.anchor] = total - done.start
                continue
            if stack:
                stack[-1].child(ev)
            if isinstance(ev, yaml.CollectionStartEvent):
                if len(stack) >= lim.max_yaml_depth:
                    raise _limit(f"the document is nested deeper than max_yaml_depth = "
                                 f"{lim.max_yaml_depth}", "max_yaml_depth", ev, stack)
                stack.append(_Open(isinstance(ev, yaml.MappingStartEvent), ev.anchor, total))
                total += 1
            elif isinstance(ev, yaml.AliasEvent):
                total += sizes.get(ev.anchor or "", 1)
            elif isinstance(ev, yaml.ScalarEvent):
                _check_scalar(ev, lim.max_scalar_chars, stack)
                total += 1
                if ev.anchor:
                    sizes[ev.anchor] = 1
            if total > lim.max_yaml_nodes:
                raise _limit(f"the document expands to more than {lim.max_yaml_nodes} nodes "
                             "through aliases (*ref) or size, the limit max_yaml_nodes",
                             "max_yaml_nodes", ev, stack)
    except yaml.YAMLError as exc:
        if "nesting depth" in str(getattr(exc, "problem", "")):  # PyYAML >= 6.0.4's own bound,
            raise _too_deep(exc, lim.max_yaml_depth, stack) from None  # hit while scanning ahead
        raise _syntax(exc) from None


def _too_deep(exc: yaml.YAMLError, depth: int, stack: list[_Open]) -> YamlError:
    """Return the depth-limit error when PyYAML's scanner refuses the nesting first."""
    mark = getattr(exc, "problem_mark", None)
    return YamlError(f"the document is nested deeper than max_yaml_depth = {depth} "
                     f"({limit_hint('max_yaml_depth')})", mark.line + 1 if mark else None,
                     _where(stack))


class _Open:
    """An open mapping or sequence during the event pass, to name the key path."""

    def __init__(self, mapping: bool, anchor: str | None, start: int) -> None:
        self.mapping, self.anchor, self.start = mapping, anchor, start
        self.count = 0
        self.key = ""

    def child(self, ev: Any) -> None:
        if self.mapping and self.count % 2 == 0:
            self.key = str(getattr(ev, "value", "?"))[:40]
        self.count += 1

    def part(self) -> str:
        return f".{self.key}" if self.mapping else f"[{self.count - 1}]"


def _where(stack: list[_Open]) -> str:
    parts = [o.part() for o in stack]
    if len(parts) > 10:
        parts = [*parts[:6], "...", *parts[-2:]]
    return "".join(parts).lstrip(".")


def _limit(message: str, name: str, ev: Any, stack: list[_Open]) -> YamlError:
    mark = ev.start_mark
    return YamlError(f"{message} ({limit_hint(name)})", mark.line + 1 if mark else None,
                     _where(stack))


def _check_scalar(ev: yaml.ScalarEvent, max_chars: int, stack: list[_Open]) -> None:
    value = ev.value
    line = ev.start_mark.line + 1 if ev.start_mark else None
    if len(value) > max_chars:
        raise _limit(f"a value of {len(value)} characters is longer than max_scalar_chars = "
                     f"{max_chars}", "max_scalar_chars", ev, stack)
    if ev.implicit[0] and len(value) > _MAX_NUMBER_DIGITS and value.lstrip("+-")[:1].isdigit() \
            and value.replace("_", "").lstrip("+-").isdigit():
        raise YamlError(f"a number of {len(value)} digits is longer than "
                          f"{_MAX_NUMBER_DIGITS} digits; quote it if it is text", line,
                          _where(stack))
