"""Locators into the four seed documents: which words of a seed a citation means.

A seed citation reads ``<file>@<coarse> [<start>:<end>] "<anchor>"``:

* ``<coarse>`` is what a reader looks for first: a line ``L105`` of a file with
  line breaks, or a video timestamp ``00:29:14`` of the video notes (optionally
  followed by a qualifier such as ``(header)``);
* ``[<start>:<end>]`` is a character span of the file, counted in Unicode code
  points of the UTF-8 text from 0, end excluded (Python's slice of the text):
  it pins the words even in a file without line breaks
  (``003_fa6a318af82a3965.txt``) or with 1,400-character lines
  (``002_d3f98a46457d5b1f.txt``);
* ``"<anchor>"`` quotes the span, or its opening words ending in ``...``, so a
  reader can find the place with a text search;
* a trailing ``(words)`` says the span gives the value in words or in another
  unit or form (``24 degrees south``, ``5 August``), not as the figure itself.

:func:`resolve` returns the text a locator points at and checks that it agrees
with its coarse part and its anchor; it raises :class:`LocatorError` otherwise.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from marsprobe.errors import CatalogError

TIMESTAMP = re.compile(r"^\d\d:\d\d:\d\d$")
LOCATOR = re.compile(
    r"^(?P<coarse>[^\[]*?)\s*"
    r"(?:\[(?P<start>\d+):(?P<end>\d+)\]\s*)?"
    r'(?:"(?P<anchor>[^"]*)"\s*)?'
    r"(?P<words>\(words\))?$"
)
ELLIPSIS = "..."


class LocatorError(CatalogError):
    """A seed locator that does not resolve to its words."""


@dataclass(frozen=True)
class SeedLocator:
    """A parsed seed locator (see the module docstring)."""

    coarse: str
    qualifier: str
    start: int | None
    end: int | None
    anchor: str | None
    words: bool

    @property
    def precise(self) -> bool:
        return self.start is not None


def parse(locator: str) -> SeedLocator:
    """Split a seed locator into its parts; a malformed one raises LocatorError."""
    match = LOCATOR.match(locator.strip())
    if match is None:
        raise LocatorError(f"seed locator '{locator}' is not '<coarse> [start:end] \"anchor\"'")
    coarse_text = match["coarse"].strip()
    coarse, _, qualifier = coarse_text.partition(" ")
    start = int(match["start"]) if match["start"] else None
    end = int(match["end"]) if match["end"] else None
    return SeedLocator(coarse, qualifier.strip(), start, end, match["anchor"], bool(match["words"]))


def format_locator(coarse: str, start: int, end: int, anchor: str, words: bool = False) -> str:
    """The written form of a precise locator."""
    text = f'{coarse} [{start}:{end}] "{anchor}"'.strip()
    return f"{text} (words)" if words else text


def seeds_dir() -> Path | None:
    """Where the seed files are: $MARSPROBE_SEEDS, or shared/seeds beside or above the code
    or the working directory (in CI a copy of shared/ sits beside the clone)."""
    env = os.environ.get("MARSPROBE_SEEDS")
    if env:
        return Path(env)
    # The code's own folders first (an editable install in a clone with shared/ beside it),
    # then the working directory's (a test run from the repository root of any install).
    for start in (Path(__file__).resolve(), Path.cwd().resolve() / "_"):
        for parent in start.parents:
            for candidate in (parent / "shared" / "seeds", parent.parent / "shared" / "seeds"):
                if candidate.is_dir():
                    return candidate
    return None


@cache
def seed_text(file: str, directory: Path | None = None) -> str:
    """The text of one seed file."""
    directory = directory or seeds_dir()
    if directory is None:
        raise LocatorError("the seed files (shared/seeds) are not on this machine")
    return (directory / file).read_text(encoding="utf-8")


def coarse_span(text: str, coarse: str) -> tuple[int, int]:
    """The character span of a line ``Lnn`` or of the sentence a timestamp closes."""
    if coarse.startswith("L") and coarse[1:].isdigit():
        number = int(coarse[1:])
        lines = text.split("\n")
        if not 1 <= number <= len(lines):
            raise LocatorError(f"line {coarse} is beyond the file's {len(lines)} lines")
        start = sum(len(line) + 1 for line in lines[: number - 1])
        return start, start + len(lines[number - 1])
    if TIMESTAMP.match(coarse):
        mark = f'data-t="{coarse}"'
        at = text.find(mark)
        if at < 0:
            raise LocatorError(f"timestamp {coarse} is not in the video notes")
        end = text.rfind("<a ", 0, at)
        # The passage runs from the previous timestamp's closing tag (a heading or a list's
        # opening line without a timestamp of its own belongs to the next timestamp).
        previous = text.rfind("</a>", 0, end)
        return (previous + len("</a>") if previous >= 0 else 0), end
    if coarse == "":
        return 0, len(text)
    raise LocatorError(f"'{coarse}' is neither a line Lnn nor a timestamp hh:mm:ss")


def normalise(text: str) -> str:
    return " ".join(text.split())


def resolve(file: str, locator: str, directory: Path | None = None) -> str:
    """The words a seed locator points at, checked against its coarse part and anchor."""
    text = seed_text(file, directory)
    parsed = parse(locator)
    low, high = coarse_span(text, parsed.coarse)
    if not parsed.precise:
        return text[low:high]
    start, end = parsed.start, parsed.end
    if not (0 <= start < end <= len(text)):
        raise LocatorError(f"{file}@{locator}: span outside the file ({len(text)} characters)")
    if parsed.coarse and not (low <= start and end <= high):
        raise LocatorError(f"{file}@{locator}: span [{start}:{end}] is not inside {parsed.coarse}")
    words = text[start:end]
    if parsed.anchor is not None:
        anchor = normalise(parsed.anchor)
        found = normalise(words)
        ok = (
            found.startswith(anchor.removesuffix(ELLIPSIS))
            if anchor.endswith(ELLIPSIS)
            else found == anchor
        )
        if not ok:
            raise LocatorError(f"{file}@{locator}: the span reads '{words[:60]}'")
    return words


MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _number_forms(value: float) -> list[str]:
    """How a seed may print a number: 3260 as 3,260, 3260, 3 260 or 3.260; 0.6 as 0.6."""
    if float(value).is_integer():
        n = abs(int(value))
        forms = [f"{n:,}", str(n), f"{n:,}".replace(",", " "), f"{n:,}".replace(",", ".")]
        forms += [f"{n:,}.{'0' * k}" for k in (1, 2, 3, 4)]  # 1,080.00 min
        return forms + ([f"{n // 1000:,} thousand"] if n >= 1000 and n % 1000 == 0 else [])
    # 65.1 deg may be printed 65.1000 deg
    forms = [repr(abs(value)), f"{abs(value):g}"]
    return forms + [f"{abs(value):{sep}.{k}f}" for k in (1, 2, 3, 4) for sep in ("", ",")]


DATE = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?)?)?)?Z?")


def _date_forms(text: str) -> list[str]:
    """How a seed may print an ISO date or time (1973 August 5, 5 August 1973, 17:45).

    Only forms as precise as the value count: a full date is not found by its year alone.
    """
    match = DATE.fullmatch(text)
    if match is None:
        return []
    year, month, day, hour, minute, second = match.groups()
    forms = []
    if hour and second:
        forms.append(f"{hour}:{minute}:{second}")
    if hour:
        forms.append(f"{hour}:{minute}")
    if month and day:
        name, d = MONTHS[int(month) - 1], int(day)
        forms += [f"{year} {name} {d}", f"{d} {name} {year}", f"{name} {d}, {year}"]
        forms += [f"{year}-{month}-{day}", f"{d} {name}", f"{name} {d}"]
        forms += [f"{int(month)}/{d}/{year[2:]}"]  # the chronology's 1/29/89
    elif month:
        forms.append(f"{MONTHS[int(month) - 1]} {year}")
    else:
        forms.append(year)
    return forms


def value_forms(value: object) -> list[str]:
    """Every way of writing a catalog value that a seed's words are searched for."""
    if isinstance(value, bool):
        return []
    if isinstance(value, list):
        return [form for item in value for form in value_forms(item)]
    if isinstance(value, int | float):
        return _number_forms(value)
    if isinstance(value, str):
        return _date_forms(value) or [value]
    return []


def mentions(words: str, value: object) -> bool:
    """Whether the words state the value in one of its written forms (see value_forms)."""
    for form in value_forms(value):
        pattern = re.escape(form)
        if form[:1].isdigit():
            pattern = r"(?<![\d.,])" + pattern
        if form[-1:].isdigit():
            pattern += r"(?![\d]|[.,]\d)"
        if re.search(pattern, words, flags=re.IGNORECASE):
            return True
    return False


def locate(file: str, phrase: str, words: bool = False, directory: Path | None = None) -> str:
    """The precise locator of the first occurrence of a phrase in a seed (for authors).

    ``python -m marsprobe.catalog.locators FILE "exact words"`` prints it.
    """
    text = seed_text(file, directory)
    start = text.find(phrase)
    if start < 0:
        raise LocatorError(f"'{phrase}' is not in {file}")
    end = start + len(phrase)
    coarse = ""
    if "data-t=" in text:  # the video notes: the timestamp that closes the sentence
        mark = re.compile(r'data-t="(\d\d:\d\d:\d\d)"').search(text, end)
        coarse = mark.group(1) if mark else ""
    elif text.count("\n") > 1:
        coarse = f"L{text.count(chr(10), 0, start) + 1}"
    anchor = normalise(phrase).replace('"', "'")
    if anchor != normalise(phrase) or len(anchor) > 80:
        cut = normalise(phrase).split('"')[0][:60]
        anchor = (cut.rsplit(" ", 1)[0] if len(cut) == 60 else cut) + ELLIPSIS
    return f"{file}@{format_locator(coarse, start, end, anchor, words)}"


if __name__ == "__main__":  # pragma: no cover - an author's tool
    import sys

    print(locate(sys.argv[1], sys.argv[2], words="--words" in sys.argv))
