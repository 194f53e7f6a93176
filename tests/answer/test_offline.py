"""The offline composer: the best section, and a close runner-up of the same document."""

from __future__ import annotations

from bot.answer.offline import OfflineComposer
from bot.retrieval.hybrid import Hit, Section

WHAT = "An NIB is the single business identity number issued through the OSS system."
HOW = "Register on oss.go.id with your KTP and phone number, then fill in the business data."


def hit(sid: str, text: str, score: float, heading: str = "Heading") -> Hit:
    doc_id = sid.split("#")[0]
    section = Section(
        id=sid,
        doc_id=doc_id,
        lang="en",
        title="NIB",
        heading=heading,
        text=text,
        topics=(),
        sources=(),
        updated=None,
        review_by=None,
        superseded_by="",
        translation="",
        questions=(),
    )
    return Hit(section, score, score, 0.0, 0.0)


def compose(*hits: Hit, limit: int = 900) -> tuple[str, list[str]]:
    result = OfflineComposer(limit).compose("q", "en", list(hits), [])
    return result.text, [s.id for s in result.sections]


def test_a_close_section_of_the_same_document_follows_under_its_heading() -> None:
    text, used = compose(hit("nib#what", WHAT, 0.71), hit("nib#how", HOW, 0.68, "How to get one"))
    assert text == f"{WHAT}\n\nHow to get one\n{HOW}"
    assert used == ["nib#what", "nib#how"]


def test_only_the_best_section_when_the_runner_up_is_far_behind() -> None:
    assert compose(hit("nib#what", WHAT, 0.9), hit("nib#how", HOW, 0.7))[1] == ["nib#what"]


def test_only_the_best_section_when_a_better_hit_of_another_document_intervenes() -> None:
    hits = (hit("nib#what", WHAT, 0.9), hit("tax#pph", HOW, 0.89), hit("nib#how", HOW, 0.88))
    assert compose(*hits)[1] == ["nib#what"]


def test_a_runner_up_that_mostly_repeats_the_best_is_left_out() -> None:
    hits = (hit("nib#what", WHAT, 0.9), hit("nib#again", WHAT + " Again.", 0.89))
    assert compose(*hits)[1] == ["nib#what"]


def test_two_sections_never_exceed_the_limit() -> None:
    hits = (hit("nib#what", WHAT, 0.9), hit("nib#how", HOW * 3, 0.89))
    text, used = compose(*hits, limit=200)
    assert used == ["nib#what"] and text == WHAT
