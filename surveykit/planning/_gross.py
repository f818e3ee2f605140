"""Invitations needed: the gross sample from the net n and the expected response rate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, overload

from surveykit.errors import ArgumentError
from surveykit.planning._checks import check_count, check_rate
from surveykit.planning._precision import round_up

__all__ = ["gross_sample"]


@overload
def gross_sample(net: int, response_rate: float) -> int: ...


@overload
def gross_sample(
    net: Mapping[Any, int], response_rate: float | Mapping[Any, float]
) -> dict[Any, int]: ...


def gross_sample(
    net: int | Mapping[Any, int], response_rate: float | Mapping[Any, float]
) -> int | dict[Any, int]:
    """Return the invitations needed to reach ``net`` completes at ``response_rate``.

    ``ceil(net / response_rate)``; with a mapping of domain -> net n, per domain, using one
    rate for all or a mapping of domain -> rate (every domain of ``net`` must have one).

    Parameters
    ----------
    net : int or mapping
        Net sample size, or net sample size per domain.
    response_rate : float or mapping
        Expected response rate in (0, 1], or one per domain.

    Returns
    -------
    int or dict
        Gross sample (invitations), per domain when ``net`` is a mapping.

    Examples
    --------
    >>> gross_sample(400, 0.32)
    1250
    >>> gross_sample({"Hamar": 300, "Løten": 150}, {"Hamar": 0.3, "Løten": 0.25})
    {'Hamar': 1000, 'Løten': 600}

    """
    if not isinstance(net, Mapping):
        if isinstance(response_rate, Mapping):
            raise ArgumentError(
                "response_rate is a mapping per domain but net is a single number; give net "
                "per domain too, or one response rate."
            )
        return round_up(check_count("net", net) / check_rate("response_rate", response_rate))
    out = {}
    for domain, size in net.items():
        if isinstance(response_rate, Mapping):
            if domain not in response_rate:
                raise ArgumentError(
                    f"response_rate has no rate for domain {domain!r}; domains with a rate: "
                    f"{list(response_rate)}. Add it or pass one rate for all."
                )
            rate = response_rate[domain]
        else:
            rate = response_rate
        out[domain] = round_up(check_count(f"net of {domain!r}", size)
                               / check_rate(f"response_rate of {domain!r}", rate))
    return out
