"""GLM families with their links, as R's ``family`` objects (the parts ``glm.fit`` uses).

A family is a variance function ``V(mu)``, unit deviances, R's starting means
(``family$initialize``), the valid range of ``mu`` (``validmu``) and a link. The
quasi-families of R have the same variance, deviance and starting values as their
likelihood namesakes, and ``svyglm`` gives the same numbers for both, so ``"binomial"`` and
``"quasibinomial"`` (``"poisson"`` and ``"quasipoisson"``) are one family under two names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from surveykit._lazy import lazy_module
from surveykit._validate import check_option
from surveykit.errors import EstimationError
from surveykit.estimation._links import LINKS, Link

special = lazy_module("scipy.special")

__all__ = ["FAMILY_NAMES", "Family", "make_family"]

_Fn = Callable[[np.ndarray], np.ndarray]

# family name -> (kind, links R accepts, default link); the first link is R's default
_SPEC: dict[str, tuple[str, tuple[str, ...]]] = {
    "gaussian": ("gaussian", ("identity", "log", "inverse")),
    "binomial": ("binomial", ("logit", "probit", "cloglog", "cauchit", "log")),
    "quasibinomial": ("binomial", ("logit", "probit", "cloglog", "cauchit", "log")),
    "poisson": ("poisson", ("log", "identity", "sqrt")),
    "quasipoisson": ("poisson", ("log", "identity", "sqrt")),
    "gamma": ("gamma", ("inverse", "identity", "log")),
    "inverse_gaussian": ("inverse_gaussian", ("1/mu^2", "inverse", "identity", "log")),
}
FAMILY_NAMES: tuple[str, ...] = tuple(_SPEC)

_VARIANCE: dict[str, _Fn] = {
    "gaussian": np.ones_like,
    "binomial": lambda mu: mu * (1.0 - mu),
    "poisson": lambda mu: mu,
    "gamma": lambda mu: mu**2,
    "inverse_gaussian": lambda mu: mu**3,
}


def _dev_binomial(y: np.ndarray, mu: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 2.0 * w * (special.xlogy(y, y / mu) + special.xlogy(1 - y, (1 - y) / (1 - mu)))


def _dev_poisson(y: np.ndarray, mu: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 2.0 * w * (special.xlogy(y, y / mu) - (y - mu))


def _dev_gamma(y: np.ndarray, mu: np.ndarray, w: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(y == 0, 1.0, y / mu)
    return -2.0 * w * (np.log(ratio) - (y - mu) / mu)


_DEVIANCE: dict[str, Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]] = {
    "gaussian": lambda y, mu, w: w * (y - mu) ** 2,
    "binomial": _dev_binomial,
    "poisson": _dev_poisson,
    "gamma": _dev_gamma,
    "inverse_gaussian": lambda y, mu, w: w * (y - mu) ** 2 / (y * mu**2),
}

# R's family$initialize refusals: (rows that are refused, what the family needs)
_RESPONSE_RULES: dict[str, tuple[Callable[[np.ndarray], np.ndarray], str]] = {
    "binomial": (lambda y: (y < 0) | (y > 1), "values between 0 and 1 (0/1 or proportions)"),
    "poisson": (lambda y: y < 0, "non-negative counts"),
    "gamma": (lambda y: y <= 0, "positive values"),
    "inverse_gaussian": (lambda y: y <= 0, "positive values"),
}


@dataclass(frozen=True)
class Family:
    """A GLM family with its link (R's ``family(link = ...)`` object, in part).

    Examples
    --------
    >>> fam = make_family("gamma", "log")
    >>> fam.kind, fam.link.name, float(fam.variance(np.array([3.0]))[0])
    ('gamma', 'log', 9.0)

    """

    name: str
    kind: str
    link: Link

    def linkfun(self, mu: np.ndarray) -> np.ndarray:
        """Link ``g(mu)``."""
        return self.link.linkfun(mu)

    def linkinv(self, eta: np.ndarray) -> np.ndarray:
        """Inverse link."""
        return self.link.linkinv(eta)

    def mu_eta(self, eta: np.ndarray) -> np.ndarray:
        """``d mu / d eta``."""
        return self.link.mu_eta(eta)

    def variance(self, mu: np.ndarray) -> np.ndarray:
        """Variance function ``V(mu)``."""
        return _VARIANCE[self.kind](mu)

    def dev_resids(self, y: np.ndarray, mu: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Return unit deviances times prior weights."""
        return _DEVIANCE[self.kind](y, mu, w)

    def mustart(self, y: np.ndarray, w: np.ndarray) -> np.ndarray:
        """R's ``family$initialize`` starting means."""
        if self.kind == "binomial":
            return (w * y + 0.5) / (w + 1.0)
        if self.kind == "poisson":
            return y + 0.1
        return y.astype(float)

    def validmu(self, mu: np.ndarray) -> bool:
        """R's ``validmu``: fitted means inside the family's range."""
        if self.kind in ("gaussian", "inverse_gaussian"):
            return True
        finite = bool(np.all(np.isfinite(mu)))
        if self.kind == "binomial":
            return finite and bool(np.all((mu > 0) & (mu < 1)))
        return finite and bool(np.all(mu > 0))

    def valid(self, eta: np.ndarray, mu: np.ndarray) -> bool:
        """Both ``valideta`` and ``validmu`` hold (R's step-halving test)."""
        return self.link.valideta(eta) and self.validmu(mu)

    def check_response(self, y: np.ndarray, response: str) -> None:
        """Refuse responses the family cannot fit, as R's ``family$initialize``.

        Raises
        ------
        EstimationError
            Naming the response, the family, the first offending value and what is needed.

        """
        rule = _RESPONSE_RULES.get(self.kind)
        if rule is None:
            inverse = self.link.name == "inverse"
            if (inverse and np.any(y == 0)) or (self.link.name == "log" and np.any(y <= 0)):
                what = "zeros" if inverse else "values <= 0"
                raise EstimationError(
                    f"family='gaussian' with link={self.link.name!r} needs a response "
                    f"{response!r} without {what} to start from (R: 'cannot find valid "
                    "starting values'); use the identity link or recode those rows.")
            return
        bad, needed = rule
        hits = bad(y)
        if hits.any():
            raise EstimationError(
                f"family={self.name!r} needs {needed} in the response {response!r}; "
                f"{int(hits.sum())} row(s) have other values (first: {y[hits][0]!r}). "
                "Choose another family or recode the response.")


def make_family(name: str, link: str | None = None) -> Family:
    """Return the family ``name`` with ``link`` (default: R's default link of that family).

    Raises
    ------
    ValueError
        An unknown family, or a link R does not accept for it (the message lists the
        links it accepts).

    Examples
    --------
    >>> make_family("binomial").link.name, make_family("inverse_gaussian").link.name
    ('logit', '1/mu^2')

    """
    check_option("family", name, FAMILY_NAMES)
    kind, links = _SPEC[name]
    link_name = links[0] if link is None else link
    if link_name not in links:
        raise EstimationError(
            f"'link' must be one of {links!r} for family={name!r} (got {link_name!r}), "
            "the links R's family object accepts.")
    return Family(name, kind, LINKS[link_name])
