"""The plot of a sweep: the outcome class at each value of the swept parameter.

Matplotlib's object API only: :func:`plot_sweep` draws on the Axes it is given (or on a new
figure's) and returns it. Classes are rows, in the order they first appear; the values where
the class changes are marked by dashed lines halfway between the neighbouring values.
"""

from __future__ import annotations

from marsprobe.analysis.sweep import Sweep

__all__ = ["plot_sweep"]


def plot_sweep(result: Sweep, ax=None):
    """Draw ``result`` on ``ax`` (a new figure's if None); returns the Axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(9, 3.5), layout="constrained")
    classes: list[str] = []
    for p in result.points:
        if p.outcome_class not in classes:
            classes.append(p.outcome_class)
    rows = [classes.index(p.outcome_class) for p in result.points]
    values = [p.value for p in result.points]
    ax.plot(values, rows, "o", color="#1f4e9c")
    for b in result.boundaries:
        ax.axvline(0.5 * (b.below + b.above), color="#c0392b", linestyle="--", linewidth=1)
    ax.set_yticks(range(len(classes)), classes)
    ax.set_ylim(-0.5, len(classes) - 0.5)
    ax.set_xlabel(result.parameter)
    ax.set_title(f"{result.slug}: outcome against {result.parameter}")
    ax.grid(axis="x", alpha=0.3)
    return ax
