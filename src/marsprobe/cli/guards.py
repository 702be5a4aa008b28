"""Checks the command line makes before any work: files to read, paths to write, sizes.

Every check raises :class:`~marsprobe.errors.InputError` with one line that names the option
and says what is accepted, so that a mistake costs nothing: an output path is checked before
the computation that would fill it, and an input file before it is parsed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from marsprobe.errors import InputError

# A file name longer than this is refused by the file system (NAME_MAX on Linux and macOS)
NAME_MAX = 255


def _name_lengths(path: Path, option: str) -> None:
    for part in path.parts:
        if len(os.fsencode(part)) > NAME_MAX:
            raise InputError(
                f"{option}: a file name of {len(part)} characters is longer than the "
                f"{NAME_MAX} the file system accepts ({part[:24]}...)"
            )


def input_file(text: str | os.PathLike, option: str) -> Path:
    """A file to read: it exists, is a file (not a folder) and is readable."""
    path = Path(text)
    _name_lengths(path, option)
    if not path.exists():
        raise InputError(f"{option} {_short(path)}: no such file")
    if path.is_dir():
        raise InputError(f"{option} {_short(path)}: is a folder; give a file")
    if not os.access(path, os.R_OK):
        raise InputError(f"{option} {_short(path)}: permission denied (cannot read it)")
    return path


def text_file(text: str | os.PathLike, option: str, kind: str = "TOML") -> Path:
    """An input file that must be UTF-8 text (a TOML file): a binary file is refused."""
    path = input_file(text, option)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{option} {_short(path)}: cannot read it ({exc.strerror})") from None
    if b"\x00" in data[:65536]:
        raise InputError(f"{option} {_short(path)}: is a binary file, not a {kind} text file")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{option} {_short(path)}: is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    return path


def output_file(
    text: str | os.PathLike,
    option: str,
    suffixes: Iterable[str] = (),
    *,
    overwrite: bool = False,
) -> Path:
    """A file to write: its folder exists and is writable; it is not a folder itself.

    ``overwrite=False`` refuses an existing file (the caller offers ``--force``).
    """
    path = Path(text)
    _name_lengths(path, option)
    suffixes = tuple(suffixes)
    if suffixes and path.suffix.lower() not in suffixes:
        raise InputError(
            f"{option} {_short(path)}: cannot write a {path.suffix or 'suffix-less'} file; "
            f"accepted: {', '.join(suffixes)}"
        )
    if path.is_dir():
        raise InputError(f"{option} {_short(path)}: is a folder; give a file name")
    _writable_folder(path.parent, option, path)
    if path.exists() and not overwrite:
        raise InputError(
            f"{option} {_short(path)}: the file exists; use --force to overwrite it, or "
            "choose another name"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise InputError(f"{option} {_short(path)}: permission denied (cannot overwrite it)")
    return path


def output_folder(text: str | os.PathLike, option: str) -> Path:
    """A folder to write into: it exists and is writable, or its parent does."""
    path = Path(text)
    _name_lengths(path, option)
    if path.exists():
        if not path.is_dir():
            raise InputError(f"{option} {_short(path)}: is a file; give a folder")
        _writable_folder(path, option, path)
    else:
        _writable_folder(path.parent, option, path)
    return path


def _writable_folder(folder: Path, option: str, path: Path) -> None:
    folder = folder if str(folder) else Path(".")
    if not folder.exists():
        raise InputError(f"{option} {_short(path)}: folder {_short(folder)} does not exist")
    if not folder.is_dir():
        raise InputError(f"{option} {_short(path)}: {_short(folder)} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(
            f"{option} {_short(path)}: permission denied (cannot write into {_short(folder)})"
        )


# What one worker process costs: its own copy of the kernels and a chunk's arrays
WORKER_BYTES = 200 * 2**20
WORKERS_PER_CPU = 4  # beyond this, processes only wait for a CPU while holding memory


def max_workers() -> int:
    """The most worker processes this machine is given: by CPUs and by memory."""
    cpus = os.cpu_count() or 1
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not POSIX: the CPU bound alone
        memory = WORKER_BYTES * WORKERS_PER_CPU * cpus
    return max(1, min(WORKERS_PER_CPU * cpus, memory // WORKER_BYTES))


def workers(n: int | None, option: str = "--workers") -> int | None:
    """A worker count this machine can hold (see :func:`max_workers`)."""
    if n is None:
        return None
    limit = max_workers()
    if n > limit:
        raise InputError(
            f"{option} {n}: more processes than this machine holds ({os.cpu_count() or 1} "
            f"CPUs; each worker needs about {WORKER_BYTES // 2**20} MB); accepted: 0..{limit}"
        )
    return n


def _short(path: Path) -> str:
    """A path for a message: very long ones are cut so the error stays one readable line."""
    text = str(path)
    return text if len(text) <= 120 else text[:60] + "..." + text[-40:]
