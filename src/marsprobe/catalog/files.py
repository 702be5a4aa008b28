"""Reading catalog files: TOML parsing and one-line descriptions of schema errors."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from marsprobe.errors import CatalogError


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file, turning a syntax error into a CatalogError that names the file."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise CatalogError(f"{path}: no such file") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: not valid TOML: {exc}") from exc


def describe_validation_error(path: Path | str, exc: ValidationError) -> str:
    """One line naming the file, the first offending field and what it accepts."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"] if not str(part).startswith("function-"))
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "unknown key (not in the schema)"
    more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
    return f"{path}: field '{where or '(top level)'}': {message}{more}"
