"""No checkable statement of the four seeds goes unrecorded (issue 15).

Every seed sentence that states a date, a number or a first/last must lie under the character
span of some seed citation of the catalog (a mission fact, a claim or a narrative claim, with
its verdict), or be listed in NOT_CHECKABLE below with the reason it is left out. A statement
added to a seed, or a claim whose citation is removed, makes the first test fail.

Sentences: in the video notes, the text before each timestamp link (back to the previous link
or line break); in the other seeds, runs of text ending in '.', '!' or '?' within a line.
"""

from __future__ import annotations

import re

import pytest

from marsprobe import catalog
from marsprobe.catalog.claims import load_claims
from marsprobe.catalog.loader import iter_facts
from marsprobe.catalog.locators import normalise, parse, seed_text, seeds_dir

SEEDS = seeds_dir()
pytestmark = pytest.mark.skipif(SEEDS is None, reason="shared/seeds is not on this machine")

VIDEO = "000_70f349aa415e466e.txt"
ARTICLE = "001_6bc26e764f32aa20.txt"
CHRONOLOGY = "002_d3f98a46457d5b1f.txt"
ENCYCLOPEDIA = "003_fa6a318af82a3965.txt"

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
CHECKABLE = re.compile(rf"\d|\b(?:{MONTHS})\b|\bfirst\b|\blast\b", re.IGNORECASE)
TIMESTAMP_LINK = re.compile(r'<a class="yt-timestamp"[^>]*>\[[^\]]*\]</a>')
WIKI_LINK = re.compile(r"\[\[[^|\]]*\|\s*([^\]]*)\]\]")

# (seed, opening words of the sentence, why it is not a checkable statement). Each entry must
# still match a sentence (see test_every_exclusion_is_still_needed), so the list cannot rot.
HEADLINES = "the site's list of other headlines, outside the catalog's subject"
REFERENCES = "the article's reference list (titles, dates, pages of the works it cites)"
NAME_ONLY = "no figure: the number is part of a craft's name"
NOT_CHECKABLE = [
    (VIDEO, "* **Mars 6** (Lander) had the most impressive story", f"a judgement; {NAME_ONLY}"),
    (ARTICLE, "They were already preparing for their next attempt", "'the last' is the previous"),
    (ARTICLE, "While the Soviet Union’s Mars program may have been", "a judgement of significance"),
    (ARTICLE, "China Finally SHOWS First Real Image of 3I/ATLAS", HEADLINES),
    (ARTICLE, "James Webb Telescope Just", HEADLINES),
    (ARTICLE, "China’s NEW Images SHOWS", HEADLINES),
    (ARTICLE, "NASA Finally DECODED Voyager 2’s", HEADLINES),
    (ENCYCLOPEDIA, "Mars 7 spacecraft carried an array of instruments", NAME_ONLY),
    (ENCYCLOPEDIA, "Retrieved ", REFERENCES),
    (ENCYCLOPEDIA, "Archived (PDF) from the original", REFERENCES),
    (ENCYCLOPEDIA, '"Mars 7".', REFERENCES),
    (ENCYCLOPEDIA, '"Beyond Earth', f"{REFERENCES}; registered as siddiqi2018"),
    (ENCYCLOPEDIA, "Deep Space Chronicle:", f"{REFERENCES}; registered as siddiqi2002"),
    (ENCYCLOPEDIA, '"1973".', REFERENCES),
    (ENCYCLOPEDIA, "(2002).", REFERENCES),
    (ENCYCLOPEDIA, "24.", REFERENCES),
    (ENCYCLOPEDIA, "101–106.", REFERENCES),
]


def sentences(text: str):
    """(start, end, words) of each sentence of a seed, as the module docstring says."""
    if "data-t=" in text:
        position = 0
        for link in TIMESTAMP_LINK.finditer(text):
            start = position
            newline = text.rfind("\n", position, link.start())
            if newline >= 0:
                start = newline + 1
            yield start, link.start(), text[start : link.start()]
            position = link.end()
        return
    for line in re.finditer(r"[^\n]+", text):
        for sentence in re.finditer(r"\S.*?(?:[.!?](?=\s|$)|$)", line.group()):
            start = line.start() + sentence.start()
            yield start, start + len(sentence.group()), sentence.group()


def checkable(words: str) -> bool:
    return bool(CHECKABLE.search(WIKI_LINK.sub(r"\1", words)))


def cited_spans() -> dict[str, list[tuple[int, int]]]:
    """The character spans of every precise seed citation of the catalog's facts and claims."""
    registry = catalog.sources()
    facts = [f for m in catalog.all_missions() for _path, f in iter_facts(m)]
    facts += load_claims()
    spans: dict[str, list[tuple[int, int]]] = {}
    for fact in facts:
        for ref in [*fact.src, *(r for alt in fact.alt for r in alt.src)]:
            if registry[ref.id].seed:
                located = parse(ref.locator)
                if located.precise:
                    spans.setdefault(ref.id, []).append((located.start, located.end))
    return spans


def excluded(file: str, words: str) -> bool:
    opening = normalise(WIKI_LINK.sub(r"\1", words)).lstrip(". ")
    return any(f == file and opening.startswith(start) for f, start, _ in NOT_CHECKABLE)


def uncovered(file: str, text: str, spans: list[tuple[int, int]]) -> list[str]:
    missing = []
    for start, end, words in sentences(text):
        if not checkable(words) or any(s < end and e > start for s, e in spans):
            continue
        if not excluded(file, words):
            missing.append(f"{file} [{start}:{end}] {normalise(words)[:90]}")
    return missing


SEED_FILES = [VIDEO, ARTICLE, CHRONOLOGY, ENCYCLOPEDIA]


def test_every_checkable_seed_sentence_is_recorded():
    spans = cited_spans()
    missing = [m for f in SEED_FILES for m in uncovered(f, seed_text(f, SEEDS), spans.get(f, []))]
    assert not missing, f"{len(missing)} seed statements recorded nowhere: {missing[:6]}"


def test_the_seeds_have_many_checkable_sentences():
    # About 540 when this test was written; far fewer would mean the splitter broke and the
    # test above passes on nothing.
    count = sum(
        checkable(words) for f in SEED_FILES for _s, _e, words in sentences(seed_text(f, SEEDS))
    )
    assert count > 450


def test_every_exclusion_is_still_needed():
    texts = {f: seed_text(f, SEEDS) for f in SEED_FILES}
    for file, start, _reason in NOT_CHECKABLE:
        assert any(
            normalise(WIKI_LINK.sub(r"\1", w)).lstrip(". ").startswith(start)
            for _s, _e, w in sentences(texts[file])
        ), f"{file}: no sentence opens with {start!r}"


def test_an_unrecorded_statement_is_caught():
    # A new dated statement with no citation over it is reported; one under a span is not.
    text = "Mars 9 was launched on 1 May 1975. It failed."
    assert uncovered("new.txt", text, []) == ["new.txt [0:34] Mars 9 was launched on 1 May 1975."]
    assert uncovered("new.txt", text, [(10, 20)]) == []
