"""Knowledge gaps: refused and low-confidence questions grouped by similarity, as drafts."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Collection, Iterable
from pathlib import Path

import yaml
from pydantic import BaseModel

from bot.retrieval.normalize import Normalizer
from bot.store.reading import LogReader
from bot.store.records import MessageFilter, MessageRow

SIMILAR = 0.34
DEFAULT_TOPIC = "about"


class GapGroup(BaseModel):
    """Questions the knowledge could not answer well, about one subject."""

    label: str
    lang: str
    count: int
    questions: list[str]
    topics: list[str]
    last_asked: dt.datetime


def find_gaps(store: LogReader, limit: int = 5000) -> list[GapGroup]:
    """Refused and low-confidence questions of the store, grouped, most frequent first."""
    found = store.messages(MessageFilter(refused=True), limit)
    found += store.messages(MessageFilter(low_confidence=True), limit)
    return group_gaps({r.id: r for r in found}.values())


def group_gaps(rows: Iterable[MessageRow], normalizer: Normalizer | None = None) -> list[GapGroup]:
    """Greedy grouping by shared content words (Jaccard), most frequent group first."""
    norm = normalizer or Normalizer()
    groups: list[tuple[set[str], list[MessageRow]]] = []
    for row in sorted(rows, key=lambda r: (r.created_at, r.id)):
        tokens = set(norm.tokens(row.question, row.lang))
        best = max(groups, key=lambda g: _jaccard(g[0], tokens), default=None)
        if best is not None and tokens and _jaccard(best[0], tokens) >= SIMILAR:
            best[0].update(tokens)
            best[1].append(row)
        else:
            groups.append((set(tokens), [row]))
    out = [
        GapGroup(
            label=members[0].question[:80],
            lang=max({m.lang for m in members}, key=[m.lang for m in members].count),
            count=len(members),
            questions=list(dict.fromkeys(m.question for m in members)),
            topics=[t for t, _ in Counter(t for m in members for t in m.topics).most_common()],
            last_asked=max(m.created_at for m in members),
        )
        for _, members in groups
    ]
    return sorted(out, key=lambda g: (-g.count, -g.last_asked.timestamp()))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def write_drafts(
    groups: list[GapGroup],
    folder: Path,
    known_topics: Collection[str] = (),
    today: dt.date | None = None,
) -> list[Path]:
    """One draft knowledge file per group; ``advisor kb check`` warns until it is written.

    The topic is the group's most frequent one found in ``known_topics``, else ``about``.
    """
    today = today or dt.date.today()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i, group in enumerate(groups, start=1):
        slug = re.sub(r"[^a-z0-9]+", "-", group.label.lower()).strip("-")[:40].strip("-")
        doc_id = f"gap-{today:%Y%m%d}-{i:02d}-{slug or 'question'}-{group.lang}"
        front = {
            "id": doc_id,
            "title": f"TODO: {group.label}",
            "lang": group.lang,
            "topics": [_topic(group, known_topics)],
            "sources": [{"title": "TODO: add a source", "url": "https://example.invalid/todo"}],
            "updated": today,
            "review_by": today + dt.timedelta(days=30),
            "questions": group.questions[:10],
            "draft": True,
        }
        asked = "\n".join(f"- {q}" for q in group.questions)
        body = (
            f"# TODO: {group.label}\n\nAsked {group.count} time(s), last on "
            f"{group.last_asked:%Y-%m-%d}:\n\n{asked}\n\n## TODO: write the answer\n\n"
            "Write the answer from a vetted source, then remove `draft: true`.\n"
        )
        path = folder / f"{doc_id}.md"
        text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
        path.write_text(f"---\n{text}---\n{body}", encoding="utf-8")
        written.append(path)
    return written


def _topic(group: GapGroup, known: Collection[str]) -> str:
    return next((t for t in group.topics if t in known), DEFAULT_TOPIC)
