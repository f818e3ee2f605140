"""Latent-trait response model: correlated respondent factors and ordinal items by cut points.

Every respondent has a vector of latent factors drawn from a multivariate normal whose
mean depends on sex, age group and municipality (so that nonresponse on those variables
biases unweighted estimates) and whose correlation matrix is :data:`FACTOR_CORRELATION`.
An ordinal item's latent response is ``y* = loading * eta + sqrt(1 - loading**2) * e`` with
``Var(eta) = 1``, so ``y*`` has unit variance; the observed code is the category whose cut
points bracket ``y*`` (an ordered-probit model). Rows of a grid load on a grid factor that
correlates ``GRID_FACTOR_WEIGHT`` with the grid's main factor, so rows of a grid correlate
about ``loading**2`` (~0.5) and a four-row index has Cronbach's alpha near 0.8.

Item parameters (cut points, loadings, nominal probabilities) depend only on the item id,
never on the seed or the wave, so two waves of the same item differ only by the shifts given.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pandas as pd

from surveykit._distributions import norm_ppf, norm_sf

__all__ = [
    "FACTORS",
    "FACTOR_CORRELATION",
    "GRID_FACTOR_WEIGHT",
    "draw_factors",
    "factor_means",
    "item_rng",
    "ordinal_cutpoints",
    "ordinal_expectation",
]

#: Latent factors, in the order of the correlation matrix.
FACTORS = ("positivity", "attachment", "reputation", "social", "loneliness")

#: Correlations between the factors (positive definite; checked in the tests).
FACTOR_CORRELATION = np.array(
    [
        [1.00, 0.45, 0.55, 0.30, -0.30],
        [0.45, 1.00, 0.50, 0.35, -0.25],
        [0.55, 0.50, 1.00, 0.25, -0.20],
        [0.30, 0.35, 0.25, 1.00, -0.50],
        [-0.30, -0.25, -0.20, -0.50, 1.00],
    ]
)

#: Correlation between a grid's own factor and the grid's main factor.
GRID_FACTOR_WEIGHT = 0.8

_AGE_INDEX = {"20-24": -1.5, "25-29": -0.5, "30-34": 0.5, "35-39": 1.5, "40": 2.0}

#: Mean of each factor by respondent characteristics (latent SD units):
#: (female, per 5-year age step, {knr: shift}).
_FACTOR_EFFECTS: dict[str, tuple[float, float, dict[int, float]]] = {
    "positivity": (0.15, 0.08, {3403: 0.10, 3411: 0.0, 3412: -0.20, 3413: 0.0}),
    "attachment": (0.05, 0.15, {3403: 0.0, 3411: 0.10, 3412: -0.10, 3413: 0.05}),
    "reputation": (0.35, 0.20, {3403: 0.20, 3411: -0.05, 3412: -0.40, 3413: 0.0}),
    "social": (0.10, -0.05, {3403: 0.10, 3411: -0.05, 3412: -0.15, 3413: 0.0}),
    "loneliness": (-0.10, -0.12, {3403: 0.0, 3411: 0.05, 3412: 0.15, 3413: 0.0}),
}


def item_rng(key: str) -> np.random.Generator:
    """Return a generator seeded by ``key`` alone (stable across seeds, waves and runs).

    Examples
    --------
    >>> float(item_rng("pulse.trust").random()) == float(item_rng("pulse.trust").random())
    True

    """
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def factor_means(sex: np.ndarray, age_group: np.ndarray, knr: np.ndarray) -> np.ndarray:
    """Return the latent factor means (n x len(FACTORS)) for the respondents' cells.

    ``sex`` holds ``"female"``/``"male"``, ``age_group`` the population file's labels and
    ``knr`` SSB municipality numbers; unknown values contribute 0.

    Examples
    --------
    >>> m = factor_means(np.array(["female", "male"]), np.array(["35-39", "20-24"]),
    ...                  np.array([3403, 3412]))
    >>> bool(m[0, FACTORS.index("reputation")] > m[1, FACTORS.index("reputation")])
    True

    """
    female = (np.asarray(sex) == "female").astype(float)
    age = pd.Series(np.asarray(age_group)).map(_AGE_INDEX).fillna(0.0).to_numpy()
    knr_s = pd.Series(np.asarray(knr))
    columns = []
    for name in FACTORS:
        b_female, b_age, b_knr = _FACTOR_EFFECTS[name]
        place = knr_s.map(b_knr).fillna(0.0).to_numpy(dtype=float)
        columns.append(b_female * female + b_age * age + place)
    return np.column_stack(columns)


def draw_factors(means: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw latent factors: ``means`` plus correlated standard-normal deviations.

    Examples
    --------
    >>> eta = draw_factors(np.zeros((20000, len(FACTORS))), np.random.default_rng(1))
    >>> bool(abs(np.corrcoef(eta[:, 0], eta[:, 2])[0, 1] - 0.55) < 0.03)
    True

    """
    chol = np.linalg.cholesky(FACTOR_CORRELATION)
    z = rng.standard_normal(means.shape)
    return means + z @ chol.T


def ordinal_cutpoints(key: str, k: int) -> np.ndarray:
    """Return the ``k - 1`` cut points of an ordinal item with ``k`` categories.

    At latent mean 0 the category shares are a mixture of 80 % Binomial(k - 1, p) and
    20 % uniform, where ``p`` in [0.52, 0.66] depends on ``key``: answers lean to the
    positive end, as agreement and satisfaction scales usually do.

    Examples
    --------
    >>> cuts = ordinal_cutpoints("pulse.trust", 7)
    >>> cuts.shape, bool(np.all(np.diff(cuts) > 0))
    ((6,), True)

    """
    p = 0.52 + 0.14 * float(item_rng(f"cut:{key}").random())
    probs = 0.8 * _binomial_pmf(k - 1, p) + 0.2 / k
    return np.asarray(norm_ppf(np.cumsum(probs)[:-1]), dtype=float)


def _binomial_pmf(n: int, p: float) -> np.ndarray:
    """Binomial(n, p) probabilities of 0 .. n, by the textbook formula.

    ``scipy.stats.binom.pmf`` gives the same values to about 1e-14 (relative) but importing
    ``scipy.stats`` costs over a second of every demo run; at that distance no cut point
    moves past a latent draw of the demo data.
    """
    return np.array([math.comb(n, x) * p**x * (1.0 - p) ** (n - x) for x in range(n + 1)])


def ordinal_expectation(mean_latent: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Return the expected category index (0 .. k-1) given the latent means and unit-variance noise.

    Examples
    --------
    >>> cuts = np.array([-1.0, 0.0, 1.0])
    >>> ordinal_expectation(np.array([0.0]), cuts).round(6).tolist()
    [1.5]

    """
    mean_latent = np.asarray(mean_latent, dtype=float)[:, None]
    above = norm_sf(cuts[None, :] - mean_latent)
    return np.asarray(above.sum(axis=1), dtype=float)
