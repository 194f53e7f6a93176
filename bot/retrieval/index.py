"""Sync the knowledge folder into the vector store: embed only what is new or changed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from langchain_chroma import Chroma

from bot.knowledge import Chunk, Document, KnowledgeBase

Progress = Callable[[int, int], None]


@dataclass
class SyncReport:
    """What one sync did, by chunk."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    kept: int = 0
    embedded_ids: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"added {self.added}, updated {self.updated}, removed {self.removed}, "
            f"unchanged {self.unchanged}"
        )
        return text + (f", kept {self.kept} from files with errors" if self.kept else "")


def chunk_metadata(chunk: Chunk, doc: Document) -> dict[str, str | int]:
    """Everything the answer needs about a section, flat (Chroma metadata is scalar)."""
    meta = doc.meta
    return {
        "doc_id": chunk.doc_id,
        "lang": chunk.lang,
        "title": chunk.title,
        "heading": chunk.heading,
        "anchor": chunk.anchor,
        "path": chunk.path,
        "line": chunk.line,
        "topics": ",".join(chunk.topics),
        "sources": json.dumps([s.model_dump(mode="json") for s in meta.sources]),
        "updated": meta.updated.isoformat(),
        "review_by": meta.review_by.isoformat(),
        "superseded_by": meta.superseded_by or "",
        "translation": meta.translation or "",
        "questions": json.dumps(meta.questions, ensure_ascii=False),
    }


def content_hash(text: str, metadata: dict[str, str | int]) -> str:
    """Hash of what is stored for a chunk, so any change to it is seen."""
    payload = text + "\x00" + json.dumps(metadata, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def sync_index(
    kb: KnowledgeBase, store: Chroma, progress: Progress | None = None, batch: int = 32
) -> SyncReport:
    """Make the collection match the folder; chunks of files that failed to load are kept."""
    desired: dict[str, tuple[str, dict[str, str | int]]] = {}
    for chunk in kb.chunks():
        meta = chunk_metadata(chunk, kb.documents[chunk.doc_id])
        text = chunk.embedding_text()
        meta["hash"] = content_hash(text, meta)
        desired[chunk.id] = (text, meta)

    existing = store.get(include=["metadatas"])
    current = {
        cid: (m or {}) for cid, m in zip(existing["ids"], existing["metadatas"], strict=True)
    }
    report = SyncReport()
    todo: list[str] = []
    for cid, (_, meta) in desired.items():
        if cid not in current:
            report.added += 1
            todo.append(cid)
        elif current[cid].get("hash") != meta["hash"]:
            report.updated += 1
            todo.append(cid)
        else:
            report.unchanged += 1
    stale = [cid for cid in current if cid not in desired]
    keep = {cid for cid in stale if current[cid].get("path") in kb.failed_paths}
    report.kept = len(keep)
    remove = [cid for cid in stale if cid not in keep]

    for start in range(0, len(todo), batch):
        ids = todo[start : start + batch]
        store.add_texts(
            texts=[desired[i][0] for i in ids], metadatas=[desired[i][1] for i in ids], ids=ids
        )
        if progress:
            progress(min(start + batch, len(todo)), len(todo))
    if remove:
        store.delete(ids=remove)
    report.removed = len(remove)
    report.embedded_ids = todo
    return report
