"""Seeded byte-mutation fuzzing: each case runs in a forked child with time and memory limits.

A case passes when the child either reads the file with the accounting identity intact or
raises a ``SurveykitError`` whose message names the file. Anything else (another exception,
a crash, a hang, running out of memory) fails the case and is reported with its seed, so
it can be replayed with :func:`run_case`.
"""

from __future__ import annotations

import multiprocessing as mp
import random
import resource
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import surveykit as sk

TIME_LIMIT_S = 60
MEMORY_LIMIT = 3 * 1024**3


def mutate(data: bytes, seed: int) -> bytes:
    """Return ``data`` changed by 1-4 seeded edits: flip, overwrite, insert, cut, repeat."""
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not out:
            out += bytes([rng.randrange(256)])
        pos = rng.randrange(len(out))
        kind = rng.randrange(6)
        if kind == 0:
            out[pos] ^= 1 << rng.randrange(8)
        elif kind == 1:
            out[pos] = rng.choice([0, 0x7F, 0x80, 0xFF, ord(";"), ord('"'), ord("\n"), 13])
        elif kind == 2:
            out[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif kind == 3:
            del out[pos:pos + rng.randint(1, 64)]
        elif kind == 4:
            out = out[:pos]
        else:
            out[pos:pos] = out[pos:pos + rng.randint(1, 32)] * rng.randint(2, 50)
    return bytes(out)


def _accounted(result: Any) -> None:
    if isinstance(result, sk.Responses):
        a = result.accounting
        assert a.read == a.accepted + a.excluded, "accounting identity broken"
        assert len(result.data) == a.accepted, "data rows differ from accepted"


def _child(conn: Any, target: Callable[[Path], Any], path: Path) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    try:
        _accounted(target(path))
        outcome = ("read", "")
    except sk.SurveykitError as exc:
        named = str(path) in str(exc) or path.name in str(exc)
        outcome = ("named" if named else "unnamed", str(exc)[:300])
    except BaseException as exc:  # every other outcome is the finding
        outcome = ("raw", "".join(traceback.format_exception_only(exc))[-300:])
    conn.send(outcome)
    conn.close()


def run_case(target: Callable[[Path], Any], path: Path) -> tuple[str, str]:
    """Run ``target(path)`` in a forked child; return ``(outcome, detail)``.

    Outcomes: ``read``, ``named`` (a SurveykitError naming the file) are accepted;
    ``unnamed``, ``raw``, ``crash`` and ``timeout`` are findings.
    """
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, target, path))
    proc.start()
    send.close()
    try:
        if not receive.poll(TIME_LIMIT_S):
            return "timeout", f"no answer within {TIME_LIMIT_S} s"
        try:
            return receive.recv()
        except EOFError:
            proc.join(5)
            return "crash", f"exit code {proc.exitcode}"
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
