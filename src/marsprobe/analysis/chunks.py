"""Chunk files of a Monte Carlo campaign and the executors that compute them.

A campaign of ``runs`` samples is cut into chunks of ``chunk_size`` consecutive samples
(the last one shorter); chunk ``k`` holds samples ``[k*chunk_size, min((k+1)*chunk_size,
runs))`` and is stored as ``chunk-00000k.parquet`` in the output directory, beside a
``campaign.json`` manifest. Each Parquet file carries in its schema metadata the campaign
(scenario, seed, layout, marsprobe version, random scheme, model base values) under
``marsprobe.campaign`` and its own place under ``marsprobe.chunk``, so a file is
self-describing and a stray file of another campaign is recognised.

A chunk is written to a hidden temporary name in the same directory, flushed with fsync and
then renamed with ``os.replace`` (atomic on POSIX): a file with the final name is complete or
absent, never half written. The driver, not the worker, writes the files, so workers need no
shared filesystem (a remote Dask cluster works as is).

The executors that compute the chunks are in :mod:`marsprobe.analysis.executors`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from marsprobe.errors import InputError

MANIFEST = "campaign.json"
CAMPAIGN_KEY = b"marsprobe.campaign"
CHUNK_KEY = b"marsprobe.chunk"
_CHUNK_RE = re.compile(r"^chunk-(\d+)\.parquet$")
_TEMP_RE = re.compile(r"^\..+\.tmp-[0-9a-f]+$")


class ChunkBounds(Sequence[tuple[int, int]]):
    """(start, stop) sample indices of every chunk of the fixed layout, computed on demand.

    A sequence, not a list: a campaign of 10**11 runs has 10**8 chunks, and holding their
    bounds would cost gigabytes before the first sample is drawn.
    """

    def __init__(self, runs: int, chunk_size: int) -> None:
        self.runs = runs
        self.chunk_size = chunk_size

    def __len__(self) -> int:
        return -(-self.runs // self.chunk_size)

    def __getitem__(self, k):  # type: ignore[override]
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(k)
        start = k * self.chunk_size
        return start, min(start + self.chunk_size, self.runs)


def chunk_bounds(runs: int, chunk_size: int) -> ChunkBounds:
    """(start, stop) sample indices of every chunk of the fixed layout."""
    return ChunkBounds(runs, chunk_size)


def chunk_name(index: int, n_chunks: int) -> str:
    width = max(6, len(str(n_chunks - 1)))
    return f"chunk-{index:0{width}d}.parquet"


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_write(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{secrets.token_hex(6)}")
    try:
        with open(tmp, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def is_chunk(name: str) -> bool:
    return _CHUNK_RE.match(name) is not None


def is_temporary(name: str) -> bool:
    return _TEMP_RE.match(name) is not None


# the files a campaign writes into its folder (the CLI adds its plot, landing.png, or the
# summary of a replay ensemble, ensemble.json)
CAMPAIGN_FILES = (MANIFEST, "summary.json", "landing.png", "ensemble.json")


def remove_campaign_files(out_dir: Path) -> list[str]:
    """Delete a campaign's own files from a folder (``--force``); other files stay."""
    removed = []
    for p in out_dir.iterdir():
        if p.is_file() and (
            _CHUNK_RE.match(p.name) or _TEMP_RE.match(p.name) or p.name in CAMPAIGN_FILES
        ):
            p.unlink()
            removed.append(p.name)
    return removed


def remove_temporaries(out_dir: Path) -> list[str]:
    """Delete temporary files left by a killed writer (never complete by construction)."""
    removed = []
    for p in out_dir.iterdir():
        if _TEMP_RE.match(p.name) and p.is_file():
            p.unlink()
            removed.append(p.name)
    return removed


# --- manifest ------------------------------------------------------------------------------


def write_manifest(out_dir: Path, campaign: Mapping[str, Any]) -> None:
    text = json.dumps(campaign, sort_keys=True, indent=1, allow_nan=False) + "\n"
    _atomic_write(out_dir / MANIFEST, lambda fh: fh.write(text.encode("utf-8")))


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (summary.json): never a half-written file under the final name."""
    text = json.dumps(data, indent=1, allow_nan=False) + "\n"
    _atomic_write(path, lambda fh: fh.write(text.encode("utf-8")))


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    """The campaign of a directory's manifest; None if there is none, InputError if unreadable."""
    path = out_dir / MANIFEST
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            f"{path}: unreadable campaign manifest ({exc}); refusing to touch "
            f"{out_dir}: choose another directory"
        ) from None


def existing_chunks(out_dir: Path) -> dict[int, Path]:
    """Chunk files in a directory by index (complete or not: see :func:`chunk_state`)."""
    found = {}
    for p in out_dir.iterdir():
        m = _CHUNK_RE.match(p.name)
        if m:
            found[int(m.group(1))] = p
    return found


def describe_difference(ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> str:
    """The first campaign property that differs, for a one-line refusal."""
    for key in (
        "model",
        "seed",
        "runs",
        "chunk_size",
        "scenario_hash",
        "marsprobe_version",
        "rng",
        "base_values",
        "format",
    ):
        if ours.get(key) != theirs.get(key):
            if key in ("scenario_hash", "base_values"):
                return f"{key} differs"
            return f"{key} {theirs.get(key)!r} there, {ours.get(key)!r} here"
    return "campaign id differs"


# --- chunk files ---------------------------------------------------------------------------


def write_chunk(
    path: Path,
    columns: Mapping[str, np.ndarray],
    campaign: Mapping[str, Any],
    chunk: Mapping[str, Any],
) -> None:
    """Write one chunk atomically: temp file, fsync, os.replace, fsync of the directory."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({name: pa.array(col) for name, col in columns.items()})
    table = table.replace_schema_metadata(
        {CAMPAIGN_KEY: canonical_json(campaign), CHUNK_KEY: canonical_json(chunk)}
    )
    _atomic_write(path, lambda fh: pq.write_table(table, fh))


def chunk_state(path: Path, campaign_id: str, index: int, start: int, stop: int) -> str:
    """'complete', 'corrupt' (unreadable, truncated or misplaced: redo it) or 'foreign'.

    'foreign' is a readable chunk that another campaign (or another program) wrote: the caller
    must refuse to overwrite it.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        md = pq.read_metadata(path)
    except (pa.ArrowException, OSError):
        return "corrupt"
    meta = md.metadata or {}
    try:
        campaign = json.loads(meta[CAMPAIGN_KEY])
        chunk = json.loads(meta[CHUNK_KEY])
    except (KeyError, ValueError):
        return "foreign"
    if campaign.get("campaign_id") != campaign_id:
        return "foreign"
    if (chunk.get("index"), chunk.get("start"), chunk.get("stop")) != (index, start, stop):
        return "corrupt"
    if md.num_rows != stop - start:
        return "corrupt"
    return "complete"


def recorded_outputs(paths) -> list[str] | None:
    """Output column names recorded in the first of some complete chunk files (None if none)."""
    for path in paths:
        return read_chunk_metadata(path)[0]["outputs"]
    return None


def read_chunk_metadata(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    import pyarrow.parquet as pq

    meta = pq.read_metadata(path).metadata or {}
    return json.loads(meta[CAMPAIGN_KEY]), json.loads(meta[CHUNK_KEY])


# --- the campaign's folder ---------------------------------------------------------------


def prepare_folder(
    out: Path, record: dict[str, Any], resume: bool, force: bool = False
) -> dict[int, Path]:
    """Check the directory against this campaign; return the chunks already complete.

    A folder is used as is when it is new, empty, or holds this very campaign (and ``resume``
    is given); anything else a user may have saved there is refused unless ``force``, which
    deletes the campaign files found there (chunks, manifest, summary) and keeps the rest.
    """
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file, not a folder: choose a folder for the results")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out}: cannot use it as the results folder ({exc.strerror})") from None
    theirs = read_manifest(out)
    found = existing_chunks(out)
    ours = theirs is not None and theirs.get("campaign_id") == record["campaign_id"]
    if force and not (ours and resume):
        remove_campaign_files(out)
        theirs, found = None, {}
    if theirs is not None and theirs.get("campaign_id") != record["campaign_id"]:
        raise InputError(
            f"{out} holds another campaign ({describe_difference(record, theirs)}); "
            "refusing to mix or overwrite it: choose another folder, or use --force to "
            "replace it"
        )
    if theirs is None and not force:
        # chunk files without a manifest are judged one by one below (a killed first run)
        others = sorted(
            p.name for p in out.iterdir() if not is_temporary(p.name) and not is_chunk(p.name)
        )
        if others:
            shown = ", ".join(others[:3]) + (" ..." if len(others) > 3 else "")
            raise InputError(
                f"{out} is not empty ({shown}) and holds no campaign: choose a new or empty "
                "folder, or use --force to write into it"
            )
    if not resume and found:
        raise InputError(
            f"{out} already holds chunks of this campaign: use --resume to finish or "
            "re-summarize it, --force to start it again, or choose an empty folder"
        )
    bounds = chunk_bounds(record["runs"], record["chunk_size"])
    complete: dict[int, Path] = {}
    for k, path in sorted(found.items()):
        if k >= len(bounds):
            raise InputError(f"{path}: chunk {k} is outside this campaign's layout; refusing")
        state = chunk_state(path, record["campaign_id"], k, *bounds[k])
        if state == "foreign":
            raise InputError(
                f"{path} belongs to another campaign; refusing to overwrite it: "
                "choose another folder"
            )
        if state == "complete":
            complete[k] = path
    remove_temporaries(out)
    if theirs is None:
        write_manifest(out, record)
    return complete
