"""GLM link functions, formula for formula as R's ``make.link`` (and its C code for logit).

Each link has ``g`` (``linkfun``), ``g^-1`` (``linkinv``), ``d mu / d eta`` (``mu_eta``) and
R's ``valideta``. The clamps at machine epsilon are R's: they decide where IRLS steps land
for fitted values near the boundary, so keeping them keeps the iterations equal to R's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from surveykit._lazy import lazy_module

special = lazy_module("scipy.special")
stats = lazy_module("scipy.stats")

__all__ = ["LINKS", "Link"]

_EPS = float(np.finfo(float).eps)
_Fn = Callable[[np.ndarray], np.ndarray]


def _always(eta: np.ndarray) -> bool:
    return True


def _positive(eta: np.ndarray) -> bool:
    return bool(np.all(np.isfinite(eta)) and np.all(eta > 0))


def _nonzero(eta: np.ndarray) -> bool:
    return bool(np.all(np.isfinite(eta)) and np.all(eta != 0))


@dataclass(frozen=True)
class Link:
    """A link function ``eta = g(mu)`` (R's ``make.link(name)``).

    Examples
    --------
    >>> link = LINKS["probit"]
    >>> float(link.linkinv(np.array([0.0]))[0]), float(link.linkfun(np.array([0.5]))[0])
    (0.5, 0.0)

    """

    name: str
    linkfun: _Fn
    linkinv: _Fn
    mu_eta: _Fn
    valideta: Callable[[np.ndarray], bool] = _always


def _logit_inv(eta: np.ndarray) -> np.ndarray:
    # R's logit_linkinv: exp(eta) / (1 + exp(eta)), eta clamped at +-30
    tmp = np.where(eta < -30.0, _EPS, np.where(eta > 30.0, 1.0 / _EPS,
                                               np.exp(np.clip(eta, -30.0, 30.0))))
    return tmp / (1.0 + tmp)


def _logit_mu_eta(eta: np.ndarray) -> np.ndarray:
    e = np.exp(np.clip(eta, -30.0, 30.0))
    return np.where(np.abs(eta) > 30.0, _EPS, e / (1.0 + e) ** 2)


def _clamped_cdf(name: str) -> _Fn:
    """``scipy.stats.<name>.cdf`` clamped as R's; scipy is imported on the first call."""

    def linkinv(eta: np.ndarray) -> np.ndarray:
        dist = getattr(stats, name)
        thresh = -float(dist.ppf(_EPS))
        return np.asarray(dist.cdf(np.clip(eta, -thresh, thresh)), dtype=float)

    return linkinv


def _density(name: str) -> _Fn:
    def mu_eta(eta: np.ndarray) -> np.ndarray:
        return np.maximum(np.asarray(getattr(stats, name).pdf(eta), dtype=float), _EPS)

    return mu_eta


def _cloglog_inv(eta: np.ndarray) -> np.ndarray:
    return np.maximum(np.minimum(-np.expm1(-np.exp(eta)), 1.0 - _EPS), _EPS)


def _cloglog_mu_eta(eta: np.ndarray) -> np.ndarray:
    eta = np.minimum(eta, 700.0)
    return np.maximum(np.exp(eta) * np.exp(-np.exp(eta)), _EPS)


def _exp_floor(eta: np.ndarray) -> np.ndarray:
    return np.maximum(np.exp(eta), _EPS)


LINKS: dict[str, Link] = {
    "identity": Link("identity", lambda mu: np.asarray(mu, dtype=float),
                     lambda eta: np.asarray(eta, dtype=float), np.ones_like),
    "log": Link("log", np.log, _exp_floor, _exp_floor),
    "logit": Link("logit", lambda mu: np.log(mu / (1.0 - mu)), _logit_inv, _logit_mu_eta),
    "probit": Link("probit", lambda mu: special.ndtri(mu), _clamped_cdf("norm"),
                   _density("norm")),
    "cauchit": Link("cauchit", lambda mu: np.asarray(stats.cauchy.ppf(mu), dtype=float),
                    _clamped_cdf("cauchy"), _density("cauchy")),
    "cloglog": Link("cloglog", lambda mu: np.log(-np.log(1.0 - mu)), _cloglog_inv,
                    _cloglog_mu_eta),
    "inverse": Link("inverse", lambda mu: 1.0 / mu, lambda eta: 1.0 / eta,
                    lambda eta: -1.0 / eta**2, _nonzero),
    "sqrt": Link("sqrt", np.sqrt, lambda eta: eta**2, lambda eta: 2.0 * eta, _positive),
    "1/mu^2": Link("1/mu^2", lambda mu: 1.0 / mu**2, lambda eta: 1.0 / np.sqrt(eta),
                   lambda eta: -1.0 / (2.0 * eta**1.5), _positive),
}
