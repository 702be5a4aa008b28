"""The notebook front door: a flown mission that shows itself in Jupyter.

``marsprobe.replay(...)`` returns a :class:`FlownMission`, the library's
:class:`~marsprobe.mission.replay.Replay` with ``_repr_html_`` (the summary, the timeline
and the key pictures as SVG, no JavaScript) and plot methods that take ``ax=None`` and
return the Axes::

    import marsprobe
    mars3 = marsprobe.replay("mars-3")
    mars3                      # in a notebook: what happened, and the pictures
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from marsprobe.mission.replay import Replay
from marsprobe.report import trajectory_plots as tp


@dataclass
class FlownMission(Replay):
    """A :class:`Replay` with its mission, shown as HTML in a notebook."""

    mission: Any = None  # marsprobe.mission.schema.Mission

    @classmethod
    def of(cls, replay: Replay, mission) -> FlownMission:
        return cls(**{f.name: getattr(replay, f.name) for f in fields(replay)}, mission=mission)

    def plot_ascent(self, ax=None):
        """Altitude (km) of the launch events against time from lift-off (s)."""
        return tp.plot_ascent(self, ax=ax)

    def plot_cruise(self, ax=None):
        """The cruise among the orbits of the Earth and Mars (ecliptic, AU)."""
        return tp.plot_cruise(self, ax=ax)

    def plot_arrival(self, ax=None):
        """The capture orbit or flyby drawn around Mars (km)."""
        return tp.plot_arrival(self, ax=ax)

    def plot_landing(self, ax=None):
        """The simulated touchdown and the recorded site on a map of Mars (degrees)."""
        return tp.plot_landing_map(self, self.mission, ax=ax)

    def plot_edl(self, ax=None):
        """Altitude and speed against time since entry, with the descent's events."""
        from marsprobe.report.mission_data import fly_with_history

        history = fly_with_history(self.mission, self, self.without, self.causes)
        if history is None:
            raise ValueError(f"{self.slug}: no descent was flown")
        return tp.plot_edl(history, self.descent.events, f"{self.name}: descent", ax=ax)

    def _repr_html_(self) -> str:
        from marsprobe.report.mission_data import gather
        from marsprobe.report.pages import environment

        data = gather(self.mission, self.without, self.causes, counterfactuals=False, replay=self)
        pictures = []
        if data.history is not None:
            pictures.append(
                (
                    "edl",
                    tp.svg(
                        tp.plot_edl,
                        data.history,
                        self.descent.events,
                        f"{self.name}: descent",
                        figsize=(7.2, 4.2),
                    ),
                )
            )
        from marsprobe.report.pages import figures

        pictures += [f for f in figures(data)[0] if f[0] in ("cruise", "landing", "decay")]
        return environment().get_template("notebook.html").render(d=data, figures=pictures)
