"""Load every document of the knowledge folder; one bad file never stops the others."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from bot.knowledge import frontmatter
from bot.knowledge.chunking import chunk_document, sections
from bot.knowledge.model import Chunk, Document, FrontMatter, Issue, KnowledgeError

TOPICS_FILE = "topics.yaml"


@dataclass
class KnowledgeBase:
    """The valid documents of a folder, the issues found, and the files that failed."""

    root: Path
    topics: dict[str, dict[str, str]]
    documents: dict[str, Document] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    failed_paths: set[str] = field(default_factory=set)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    def chunks(self) -> list[Chunk]:
        """Chunks of every valid, non-draft document, in a stable order."""
        return [
            c
            for doc in sorted(self.documents.values(), key=lambda d: d.id)
            if not doc.meta.draft
            for c in chunk_document(doc)
        ]


def load_topics(root: Path) -> dict[str, dict[str, str]]:
    """The topic vocabulary: key -> {lang: label}."""
    path = root / TOPICS_FILE
    if not path.is_file():
        raise KnowledgeError(f"{path}: topic vocabulary file is missing")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    topics = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(topics, dict):
        raise KnowledgeError(f"{path}: expected a 'topics:' mapping")
    return {str(k): dict(v or {}) for k, v in topics.items()}


def load_knowledge(root: Path, today: dt.date | None = None) -> KnowledgeBase:
    """Parse and validate every ``*.md`` file below ``root``."""
    if not root.is_dir():
        raise KnowledgeError(f"{root}: knowledge folder not found")
    kb = KnowledgeBase(root=root, topics=load_topics(root))
    for path in sorted(root.rglob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        doc = _load_file(path, kb)
        if doc is None:
            kb.failed_paths.add(str(path))
            continue
        if doc.id in kb.documents:
            other = kb.documents[doc.id].path
            kb.issues.append(Issue(path, 2, "id", f"duplicate id {doc.id!r} (also in {other})"))
            kb.failed_paths.add(str(path))
            continue
        kb.documents[doc.id] = doc
    _check_links(kb, today or dt.date.today())
    return kb


def _load_file(path: Path, kb: KnowledgeBase) -> Document | None:
    try:
        text = path.read_text(encoding="utf-8")
        yaml_text, body, body_line = frontmatter.split(text)
        data = frontmatter.parse_yaml(yaml_text)
    except UnicodeDecodeError:
        kb.issues.append(Issue(path, None, "file", "not valid UTF-8 text"))
        return None
    except frontmatter.FrontMatterError as exc:
        kb.issues.append(Issue(path, exc.line, "front matter", str(exc)))
        return None
    try:
        meta = FrontMatter.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            name = ".".join(str(p) for p in loc) or "front matter"
            line = frontmatter.locate(yaml_text, loc)
            kb.issues.append(Issue(path, line, name, err["msg"]))
        return None
    ok = _check_own(path, meta, body, body_line, yaml_text, kb)
    return Document(meta=meta, body=body, path=path, body_line=body_line) if ok else None


def _check_own(
    path: Path, meta: FrontMatter, body: str, body_line: int, yaml_text: str, kb: KnowledgeBase
) -> bool:
    """Checks that need only the file itself and the topic vocabulary."""
    before = len(kb.errors)
    for i, topic in enumerate(meta.topics):
        if topic not in kb.topics:
            line = frontmatter.locate(yaml_text, ("topics", i))
            kb.issues.append(Issue(path, line, "topics", f"unknown topic {topic!r}"))
    if meta.translation == meta.id:
        kb.issues.append(Issue(path, None, "translation", "a document cannot translate itself"))
    if not body.strip() and not meta.draft:
        kb.issues.append(Issue(path, body_line, "body", "document has no text"))
    for heading_path, text, line in sections(body, body_line):
        if heading_path and not text and not _has_children(body, line - body_line):
            kb.issues.append(Issue(path, line, "body", f"section {heading_path[-1]!r} is empty"))
    return len(kb.errors) == before


def _has_children(body: str, offset: int) -> bool:
    """True when the heading at ``offset`` is directly followed by a deeper heading."""
    lines = [ln for ln in body.splitlines()[offset:] if ln.strip()]
    if len(lines) < 2:
        return False
    level = len(lines[0]) - len(lines[0].lstrip("#"))
    nxt = len(lines[1]) - len(lines[1].lstrip("#"))
    return lines[1].startswith("#") and nxt > level


def _check_links(kb: KnowledgeBase, today: dt.date) -> None:
    """Cross-document checks and freshness warnings.

    A broken link is an error for ``kb check`` but the linking document is still indexed: its
    target may only be failing to parse right now, and one bad file must not take others down.
    """
    docs = kb.documents
    for doc in list(docs.values()):
        meta, path = doc.meta, doc.path
        if meta.translation and meta.translation not in docs:
            kb.issues.append(
                Issue(
                    path,
                    _line(doc, "translation"),
                    "translation",
                    f"links to unknown document {meta.translation!r}",
                )
            )
        elif meta.translation and docs[meta.translation].meta.lang == meta.lang:
            kb.issues.append(
                Issue(
                    path,
                    _line(doc, "translation"),
                    "translation",
                    f"{meta.translation!r} is in the same language ({meta.lang})",
                )
            )
        if meta.superseded_by and meta.superseded_by not in docs:
            kb.issues.append(
                Issue(
                    path,
                    _line(doc, "superseded_by"),
                    "superseded_by",
                    f"links to unknown document {meta.superseded_by!r}",
                )
            )
        if not meta.translation:
            kb.issues.append(
                Issue(path, None, "translation", "no translation in the other language", "warning")
            )
        if meta.review_by < today:
            kb.issues.append(
                Issue(
                    path,
                    _line(doc, "review_by"),
                    "review_by",
                    f"review date {meta.review_by} has passed",
                    "warning",
                )
            )
        if meta.draft:
            kb.issues.append(
                Issue(
                    path,
                    _line(doc, "draft"),
                    "draft",
                    "draft: complete the body and remove 'draft: true' before it is indexed",
                    "warning",
                )
            )


def _line(doc: Document, key: str) -> int | None:
    yaml_text = doc.path.read_text(encoding="utf-8").split("\n---", 1)[0]
    return frontmatter.locate(yaml_text.removeprefix("---\n"), (key,))
