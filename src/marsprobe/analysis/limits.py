"""Limits on the work one Monte Carlo campaign may ask for, and its cost measured as it runs."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from marsprobe.analysis.chunks import chunk_name
from marsprobe.errors import InputError

# Limits on the work one campaign may ask for. The summary reads every column of every sample
# into memory (an EDL sample is 34 columns, about 260 bytes in memory and 300 on disk), so
# 5 million runs need about 1.3 GB to summarize and 1.5 GB of disk: more than that belongs in
# several campaigns (different seeds), not one. A chunk is held whole in a worker's memory,
# and every chunk is a file in one folder.
MAX_RUNS = 5_000_000
MAX_CHUNK_SIZE = 1_000_000
MAX_CHUNKS = 100_000


def check_size(runs: int, chunk_size: int) -> None:
    """Refuse a campaign larger than the limits above, before anything is allocated."""
    if runs > MAX_RUNS:
        raise InputError(
            f"runs {runs:,} is more than one campaign may hold ({MAX_RUNS:,}: the summary "
            "keeps every sample in memory); split it into campaigns with different seeds"
        )
    if chunk_size > MAX_CHUNK_SIZE:
        raise InputError(
            f"chunk_size {chunk_size:,} is larger than {MAX_CHUNK_SIZE:,} (a chunk is held "
            "whole in memory); use a smaller chunk_size"
        )
    n_chunks = -(-runs // chunk_size)
    if n_chunks > MAX_CHUNKS:
        raise InputError(
            f"{runs:,} runs in chunks of {chunk_size:,} make {n_chunks:,} files, more than "
            f"{MAX_CHUNKS:,}; use a chunk_size of at least {-(-runs // MAX_CHUNKS):,}"
        )


class CampaignEstimate(NamedTuple):
    """What the rest of a campaign will cost, measured on its first chunk of this run."""

    chunks_left: int
    seconds_left: float
    bytes_total: float
    parallel: int


def estimate_rest(out: Path, k: int, bounds, n_todo: int, window: int, elapsed: float):
    """Time and disk of the rest of a campaign, scaled from its first stored chunk."""
    size = (out / chunk_name(k, len(bounds))).stat().st_size
    samples = bounds[k][1] - bounds[k][0]
    parallel = max(1, window // 2)
    left = n_todo - 1
    return CampaignEstimate(
        chunks_left=left,
        seconds_left=elapsed * left / parallel,
        bytes_total=size / samples * bounds.runs,
        parallel=parallel,
    )
