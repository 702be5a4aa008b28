"""Colours and line styles every plot shares.

Okabe & Ito's palette ("Color Universal Design", 2008) stays distinct for the common forms
of colour blindness; each series also gets its own line style and marker, so that a
greyscale print still tells them apart.
"""

from __future__ import annotations

BLACK = "#000000"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"

# the role each colour plays, the same in every picture
SIMULATED = BLUE
RECORDED = VERMILLION
EARTH = SKY
MARS = ORANGE
EVENT = GREEN
SERIES = (BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY, BLACK)
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), "-")
DASHES = ("solid", "dash", "dashdot", "dot", "longdash", "longdashdot", "solid")
PROGRAM = {"soviet": VERMILLION, "us": BLUE}
PROGRAM_SYMBOL = {"soviet": "circle", "us": "diamond"}
