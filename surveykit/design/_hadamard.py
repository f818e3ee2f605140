"""Hadamard matrices as R's ``survey::hadamard()`` builds them (0/1 coding).

R keeps four small matrices (orders 4, 16, 28, 36), doubles them (Sylvester) or uses the
Paley construction for larger orders; BRR replicate weights depend on the exact matrix, so
this module reproduces R's choice of matrix for every number of strata. The order-28 and
order-36 matrices are mathematical constants (the same 0/1 tables R's survey package ships).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

__all__ = ["hadamard"]

_H28 = (
    "1111111111111111111111111111",
    "1001110001110001110001111000",
    "1000001111001101001101111000",
    "1000001110110010111001100110",
    "1001101000001111100011010110",
    "1001010100101100010110101110",
    "1000110011010010001110011110",
    "0101100010101010011111110000",
    "0100010110110101100111010100",
    "0100011011001011110010101100",
    "0101011000010111011101001010",
    "0100101101100100111010011010",
    "0101100101011001101100100110",
    "0010110100011110101011101000",
    "0011011001100110101100110100",
    "0010101100111011010100011100",
    "0011000111010111010010110010",
    "0011001011111000100111001010",
    "0010110011101101011001000110",
    "1110101001010100010111100100",
    "1111000101100011001011001100",
    "1111000010011100111000011100",
    "1110010101001010110101010010",
    "1110011000111001001010110010",
    "1110100010100111100100101010",
    "1101111111111110000000000000",
    "1011111110000001111110000000",
    "0111111110000000000001111110",
)

_H36 = (
    "111111111111111111111111111111111111",
    "010111000111110111001000010101100100",
    "101110001111101110010000101011001000",
    "011100011111011100100001010110010010",
    "111000111110111001000010101100100100",
    "110001111101110010000101011001001010",
    "100011111011100100001010110010010110",
    "000111110111001000010101100100101110",
    "001111101110010000101011001001011100",
    "011111011100100001010110010010111000",
    "111110111001000010101100100101110000",
    "111101110010000101011001001011100010",
    "111011100100001010110010010111000110",
    "110111001000010101100100101110001110",
    "101110010000101011001001011100011110",
    "011100100001010110010010111000111110",
    "111001000010101100100101110001111100",
    "110010000101011001001011100011111010",
    "100100001010110010010111000111110110",
    "001000010101100100101110001111101110",
    "010000101011001001011100011111011100",
    "100001010110010010111000111110111000",
    "000010101100100101110001111101110010",
    "000101011001001011100011111011100100",
    "001010110010010111000111110111001000",
    "010101100100101110001111101110010000",
    "101011001001011100011111011100100000",
    "010110010010111000111110111001000010",
    "101100100101110001111101110010000100",
    "011001001011100011111011100100001010",
    "110010010111000111110111001000010100",
    "100100101110001111101110010000101010",
    "001001011100011111011100100001010110",
    "010010111000111110111001000010101100",
    "100101110001111101110010000101011000",
    "001011100011111011100100001010110010",
)


def _from_rows(rows: tuple[str, ...]) -> np.ndarray:
    return np.array([[int(c) for c in r] for r in rows], dtype=np.int8)


def _double(h: np.ndarray) -> np.ndarray:
    return np.block([[h, h], [h, 1 - h]])


@cache
def _precooked() -> tuple[np.ndarray, ...]:
    h4 = np.array([[1, 1, 1, 1], [1, 0, 1, 0], [1, 1, 0, 0], [1, 0, 0, 1]], dtype=np.int8)
    return h4, _double(_double(h4)), _from_rows(_H28), _from_rows(_H36)


_SIZES = np.array([4, 16, 28, 36])


def _primes_3mod4(limit: int) -> np.ndarray:
    sieve = np.ones(limit + 1, dtype=bool)
    sieve[:2] = False
    for i in range(2, int(limit**0.5) + 1):
        if sieve[i]:
            sieve[i * i::i] = False
    p = np.flatnonzero(sieve)
    return p[p % 4 == 3]


_SMALL_PRIMES = _primes_3mod4(7919)


def _paley_prime(p: int) -> np.ndarray:
    residues = {(i * i) % p for i in range(0, (p - 1) // 2 + 1)} | {0, 1}
    m = np.add.outer(np.arange(p), np.arange(p)) % p
    q = (~np.isin(m, list(residues))).astype(np.int8)
    top = np.ones((1, p), dtype=np.int8)
    return np.hstack([np.ones((p + 1, 1), dtype=np.int8), np.vstack([top, q])])


def _paley(n: int, nmax: int | None = None) -> np.ndarray | None:
    """R's ``survey:::paley(n, nmax)`` (returns None where R returns NULL)."""
    nmax = 2 * n if nmax is None else nmax
    nceil = nn = n + 4 - (n % 4)
    if (n % 4) + 4 == (n % 8):
        while nn % 8 == 0:
            nn //= 2
        if nn - 1 in _SMALL_PRIMES:
            m = _paley_prime(nn - 1)
            while nn < nceil:
                m = _double(m)
                nn *= 2
            return m
    if n > _SMALL_PRIMES[-1]:
        return None
    p = int(_SMALL_PRIMES[n <= _SMALL_PRIMES].min())
    if p + 1 > nceil + 4 and nceil + 4 < nmax:
        return _paley(nceil + 3)
    if p > nmax:
        return None
    return _paley_prime(p)


def hadamard(n: int) -> np.ndarray:
    """Return the 0/1 Hadamard matrix R's ``hadamard(n)`` returns (order > n).

    Examples
    --------
    >>> hadamard(3).shape, hadamard(20).shape, hadamard(40).shape
    ((4, 4), (24, 24), (44, 44))

    """
    m = n - n % 4
    fits = np.flatnonzero((m < _SIZES) & (m + 4 >= _SIZES))
    cooked = _precooked()
    if fits.size:
        return cooked[int(fits.min())].copy()
    if (m < _SIZES).all():
        return cooked[0].copy()
    powers = np.array([max(0, math.ceil(math.log2((n + 1) / s))) for s in _SIZES])
    sizes = _SIZES * 2**powers
    best = int(np.argmin(sizes - n))
    h = _paley(n, int(sizes[best])) if sizes[best] - n > 4 else None
    if h is None:
        h = cooked[best]
        for _ in range(math.ceil(math.log2(sizes[best] / _SIZES[best]))):
            h = _double(h)
    return np.asarray(h, dtype=np.int8)
