"""Plots of weight diagnostics (matplotlib imported lazily; ``Figure`` objects are returned).

Figures are made with :class:`matplotlib.figure.Figure`, not pyplot, so no global figure
state builds up and nothing needs closing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["plot_distribution", "plot_margins"]


def _axes(ax: Any) -> tuple[Any, Any]:
    """Return a new figure and axes (no pyplot state), or the figure of the axes given."""
    if ax is not None:
        return ax.figure, ax
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - matplotlib is a core dependency
        raise ImportError("Plotting needs matplotlib: pip install matplotlib") from exc
    fig = Figure(figsize=(6, 3.5))
    return fig, fig.subplots()


def plot_distribution(diag: Any, ax: Any = None) -> Any:
    """Histogram of the positive weights with the mean and the Kish design effect."""
    fig, ax = _axes(ax)
    ax.hist(diag.weights, bins=min(50, max(10, int(np.sqrt(diag.n)))), color="#4c72b0")
    ax.axvline(diag.weights.mean(), color="black", linestyle="--", linewidth=1, label="mean")
    ax.set_xlabel("weight")
    ax.set_ylabel("rows")
    ax.set_title(f"Weights: Kish deff {diag.kish_deff:.3g}, effective n "
                 f"{diag.effective_n:.0f} of {diag.n}")
    ax.legend(frameon=False)
    return fig


def plot_margins(diag: Any, ax: Any = None) -> Any:
    """Achieved (current weights) versus target, one point per margin category."""
    fig, ax = _axes(ax)
    m = diag.margins
    if len(m):
        for name, g in m.groupby("margin", sort=False):
            ax.scatter(g["target"], g["achieved_now"], label=str(name), s=18)
        lim = [0.0, float(max(m["target"].max(), m["achieved_now"].max())) * 1.05]
        ax.plot(lim, lim, color="grey", linewidth=0.8)
        ax.legend(frameon=False, fontsize="small")
    ax.set_xlabel("target")
    ax.set_ylabel("achieved")
    ax.set_title("Margins: achieved vs target")
    return fig
