"""Shared test helpers."""

from __future__ import annotations

import os

# Plots are drawn off-screen in tests.
os.environ.setdefault("MPLBACKEND", "Agg")
