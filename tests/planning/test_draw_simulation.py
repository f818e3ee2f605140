"""Monte Carlo check of the plan: 2 000 seeded stratified draws from a synthetic population.

The population: 50 000 people in six municipalities of very different sizes, a 0/1 outcome
(40 % in every municipality at the baseline, 45 % at the follow-up) and an interval outcome
(municipality means from 3.2 to 3.8, within-municipality SD about 0.9; the follow-up adds a
constant). The plan: the net n per wave that :func:`sk.plan.n_for_change` says detects the
5-point change with 80 % power under the design effect of the allocation
(:func:`sk.plan.allocate`, proportional with at least 150 per municipality), and for the
mean the change :func:`sk.plan.mde` says that n detects. Each replicate draws two
independent samples (baseline and follow-up) exactly as :func:`sk.plan.draw` does, and
estimates with the stratified estimator that ``draw(...).design()`` gives (checked equal to
``sk.mean`` on a few samples); the loop itself is vectorised numpy.

What must hold within Monte Carlo error (three standard errors): the share of samples whose
estimate lies within the planned margin (95 %, per municipality and overall; for the 0/1
outcome per municipality against the exact hypergeometric probability, as a sample of 150
makes the share discrete), the standard deviation of the estimates against the planned
standard error, and the share of sample pairs in which the two-sided 5 % test detects the
change against the promised power.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import surveykit as sk
from surveykit.planning._selection import smallest_keys, stratum_members

pytestmark = pytest.mark.slow

SIZES = {"Hamar": 20000, "Ringsaker": 11000, "Stange": 8000, "Elverum": 5500, "Løten": 3500,
         "Åmot": 2000}
MEANS = {"Hamar": 3.5, "Ringsaker": 3.4, "Stange": 3.6, "Elverum": 3.2, "Løten": 3.8,
         "Åmot": 3.3}
P1, DELTA_P, MINIMUM, REPS, SEED = 0.40, 0.05, 150, 2000, 20261215
Z = float(stats.norm.ppf(0.975))
MC = 3.0  # Monte Carlo standard errors allowed


def _population() -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    parts = []
    for label, big in SIZES.items():
        z1 = np.zeros(big, dtype=int)
        z1[rng.choice(big, round(P1 * big), replace=False)] = 1
        z2 = np.zeros(big, dtype=int)
        z2[rng.choice(big, round((P1 + DELTA_P) * big), replace=False)] = 1
        parts.append(pd.DataFrame({
            "municipality": label, "age": rng.integers(20, 41, big),
            "sex": rng.choice(["female", "male"], big), "z1": z1, "z2": z2,
            "y1": MEANS[label] + rng.normal(0.0, 0.9, big)}))
    frame = pd.concat(parts, ignore_index=True)
    return frame.sample(frac=1.0, random_state=1).reset_index(drop=True)  # not in stratum order


@dataclass
class Plan:
    n: int
    alloc_p: Any
    alloc_y: Any
    deff_p: float
    deff_y: float
    delta_y: float
    power_p: float
    power_y: float


def _plan(pop: pd.DataFrame) -> Plan:
    by = pop.groupby("municipality", sort=False)
    strata = pd.DataFrame({"stratum": list(SIZES), "population": list(SIZES.values())})
    with_p = strata.assign(p=by["z1"].mean().loc[list(SIZES)].to_numpy())
    with_sd = strata.assign(sd=by["y1"].std(ddof=1).loc[list(SIZES)].to_numpy())
    n = sk.plan.n_for_change(DELTA_P, p1=P1)
    for _ in range(4):   # the allocation's design effect depends on n: iterate to a fixed n
        alloc = sk.plan.allocate(with_p, n, method="minimum", minimum=MINIMUM)
        deff_p = (alloc.margin / sk.plan.margin_of_error(n, p=P1)) ** 2
        n_next = sk.plan.n_for_change(DELTA_P, p1=P1, deff=deff_p)
        if n_next == n:
            break
        n = n_next
    alloc_y = sk.plan.allocate(with_sd, n, method="minimum", minimum=MINIMUM)
    sd = float(np.sqrt(np.average(with_sd["sd"] ** 2, weights=with_sd["population"])))
    deff_y = (alloc_y.margin / sk.plan.margin_of_error(n, sd=sd)) ** 2
    delta_y = sk.plan.mde(n, sd=sd, deff=deff_y)
    return Plan(n, alloc, alloc_y, deff_p, deff_y, delta_y,
                sk.plan.power_for_change(n, DELTA_P, p1=P1, deff=deff_p),
                sk.plan.power_for_change(n, delta_y, sd=sd, deff=deff_y))


def _stratified(values: np.ndarray, codes: np.ndarray, n_h: np.ndarray, weight: np.ndarray,
                fpc: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Stratum means, the stratified mean and its SE (stratified SRS with fpc)."""
    mean_h = np.bincount(codes, values, minlength=n_h.size) / n_h
    dev = values - mean_h[codes]
    s2 = np.bincount(codes, dev * dev, minlength=n_h.size) / (n_h - 1)
    return mean_h, float(weight @ mean_h), float(np.sqrt(np.sum(weight**2 * fpc * s2 / n_h)))


@dataclass
class Sim:
    pop: pd.DataFrame
    plan: Plan
    codes: np.ndarray
    labels: list[str]
    est_h: dict[str, np.ndarray]     # (REPS, H) stratum means at the baseline
    est: dict[str, np.ndarray]       # (REPS, 2) overall estimates, baseline and follow-up
    se: dict[str, np.ndarray]        # (REPS, 2) their estimated SEs


@pytest.fixture(scope="module")
def sim() -> Sim:
    pop = _population()
    plan = _plan(pop)
    labels = sorted(SIZES)                          # the draw numbers strata in sorted order
    codes = pd.Index(labels).get_indexer(pop["municipality"])
    table = plan.alloc_p.to_frame().set_index("stratum").loc[labels]
    n_h = table["n"].to_numpy()
    big = table["population"].to_numpy()
    weight, fpc = big / big.sum(), 1 - n_h / big
    members = stratum_members(codes, len(labels))
    outcomes = {"p": (pop["z1"].to_numpy(float), pop["z2"].to_numpy(float)),
                "y": (pop["y1"].to_numpy(), pop["y1"].to_numpy() + plan.delta_y)}
    est_h = {k: np.empty((REPS, len(labels))) for k in outcomes}
    est = {k: np.empty((REPS, 2)) for k in outcomes}
    se = {k: np.empty((REPS, 2)) for k in outcomes}
    for r in range(REPS):
        for wave in (0, 1):
            rng = np.random.default_rng(SEED + 2 * r + wave)   # what draw(seed=...) uses
            rows = smallest_keys(members, n_h, rng.random(codes.size))
            c = codes[rows]
            for k, values in outcomes.items():
                mean_h, mean, err = _stratified(values[wave][rows], c, n_h, weight, fpc)
                est[k][r, wave], se[k][r, wave] = mean, err
                if wave == 0:
                    est_h[k][r] = mean_h
    return Sim(pop, plan, codes, labels, est_h, est, se)


def _within(share: float, expected: float, what: str) -> None:
    mc = np.sqrt(expected * (1 - expected) / REPS)
    print(f"{what}: realised {share:.4f}, expected {expected:.4f} (MC SE {mc:.4f})")
    assert abs(share - expected) < MC * mc, what


def test_the_vectorised_estimator_is_sk_mean_on_the_draws_design(sim):
    plan = sim.plan
    frame = sim.pop[["municipality", "age", "sex", "z1", "y1"]]
    table = plan.alloc_p.to_frame().set_index("stratum").loc[sim.labels]
    n_h, big = table["n"].to_numpy(), table["population"].to_numpy()
    for r in range(3):
        d = sk.plan.draw(frame, plan.alloc_p, seed=SEED + 2 * r)
        assert d.to_frame()["n"].tolist() == n_h.tolist()
        got = sk.mean(d.design(), ["z1", "y1"])
        rows = d.sample.index.to_numpy()
        for i, k in enumerate(("z1", "y1")):
            _, mean, err = _stratified(frame[k].to_numpy(float)[rows], sim.codes[rows], n_h,
                                       big / big.sum(), 1 - n_h / big)
            assert got.estimate[i] == pytest.approx(mean, rel=1e-12)
            assert got.se[i] == pytest.approx(err, rel=1e-10)
            wave = {"z1": "p", "y1": "y"}[k]
            assert mean == pytest.approx(sim.est[wave][r, 0], rel=1e-15)


def test_the_plan(sim):
    plan = sim.plan
    print(f"n per wave {plan.n}, deff (p) {plan.deff_p:.4f}, deff (y) {plan.deff_y:.4f}, "
          f"mde (y) {plan.delta_y:.4f}, promised power p {plan.power_p:.4f}, "
          f"y {plan.power_y:.4f}")
    print(plan.alloc_p.to_frame()[["stratum", "population", "n", "margin"]])
    assert (plan.alloc_p.to_frame()["n"] == plan.alloc_y.to_frame()["n"]).all()
    assert plan.alloc_p.to_frame()["n"].min() == MINIMUM
    assert plan.power_p >= 0.8 and plan.power_y == pytest.approx(0.8, abs=1e-6)


@pytest.mark.parametrize("outcome", ["p", "y"])
def test_realised_coverage_of_the_planned_margins(sim, outcome):
    plan = sim.plan
    alloc = plan.alloc_p if outcome == "p" else plan.alloc_y
    table = alloc.to_frame().set_index("stratum").loc[sim.labels]
    column = {"p": "z1", "y": "y1"}[outcome]
    truth_h = sim.pop.groupby("municipality")[column].mean().loc[sim.labels].to_numpy()
    inside = np.abs(sim.est_h[outcome] - truth_h) <= table["margin"].to_numpy()
    for h, label in enumerate(sim.labels):
        expected = 0.95
        if outcome == "p":   # the exact chance that a hypergeometric share lies within it
            n, big = int(table["n"].iloc[h]), int(table["population"].iloc[h])
            ones = round(truth_h[h] * big)
            dist = stats.hypergeom(big, ones, n)
            m = table["margin"].iloc[h] * n
            expected = float(dist.cdf(np.floor(ones * n / big + m + 1e-9))
                             - dist.cdf(np.ceil(ones * n / big - m - 1e-9) - 1))
        _within(inside[:, h].mean(), expected, f"coverage {outcome} {label}")
    truth = sim.pop[column].mean()
    _within(float(np.mean(np.abs(sim.est[outcome][:, 0] - truth) <= alloc.margin)), 0.95,
            f"coverage {outcome} overall")


@pytest.mark.parametrize("outcome", ["p", "y"])
def test_realised_standard_errors_match_the_plan(sim, outcome):
    alloc = sim.plan.alloc_p if outcome == "p" else sim.plan.alloc_y
    planned_h = alloc.to_frame().set_index("stratum").loc[sim.labels, "margin"] / Z
    realised_h = sim.est_h[outcome].std(axis=0, ddof=1)
    mc = 1 / np.sqrt(2 * (REPS - 1))    # relative MC SE of a standard deviation
    for label, got, want in zip(sim.labels, realised_h, planned_h, strict=True):
        print(f"SE {outcome} {label}: realised {got:.5f}, planned {want:.5f}")
        assert abs(got / want - 1) < MC * mc
    planned, realised = alloc.margin / Z, sim.est[outcome][:, 0].std(ddof=1)
    estimated = sim.se[outcome][:, 0].mean()
    print(f"SE {outcome} overall: realised {realised:.5f}, planned {planned:.5f}, "
          f"mean estimated {estimated:.5f}")
    assert abs(realised / planned - 1) < MC * mc
    assert abs(estimated / planned - 1) < 0.01


@pytest.mark.parametrize("outcome", ["p", "y"])
def test_realised_power_to_detect_the_planned_change(sim, outcome):
    est, se = sim.est[outcome], sim.se[outcome]
    stat = (est[:, 1] - est[:, 0]) / np.sqrt((se**2).sum(axis=1))
    promised = sim.plan.power_p if outcome == "p" else sim.plan.power_y
    _within(float(np.mean(np.abs(stat) > Z)), promised, f"power {outcome}")
