"""The knowledge folder: loading, validating and chunking markdown documents."""

from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.knowledge.model import Chunk, Document, FrontMatter, Issue, KnowledgeError

__all__ = [
    "Chunk",
    "Document",
    "FrontMatter",
    "Issue",
    "KnowledgeBase",
    "KnowledgeError",
    "load_knowledge",
]
