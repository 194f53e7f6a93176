"""A small in-memory BM25 index over section tokens, with postings so a query touches only
the sections that contain its terms."""

from __future__ import annotations

import math
from collections import Counter


class BM25:
    """Okapi BM25 with the usual k1/b; also tells how much of a query a section covers."""

    def __init__(self, docs: list[list[str]], k1: float = 1.4, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.size = len(docs)
        lengths = [len(d) for d in docs]
        avg = (sum(lengths) / len(docs)) if docs else 0.0
        self.norm = [k1 * (1 - b + b * n / (avg or 1)) for n in lengths]
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for i, doc in enumerate(docs):
            for term, count in Counter(doc).items():
                self.postings.setdefault(term, []).append((i, count))
        n = len(docs)
        self.idf = {
            t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()
        }
        self._max_idf = max(self.idf.values(), default=1.0)

    def __len__(self) -> int:
        return self.size

    def scores(self, query: list[str]) -> list[float]:
        """BM25 score of every document for the query tokens."""
        out = [0.0] * self.size
        for term in dict.fromkeys(query):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for i, tf in self.postings[term]:
                out[i] += idf * tf * (self.k1 + 1) / (tf + self.norm[i])
        return out

    def coverage(self, query: list[str], index: int) -> float:
        """Share of the query's idf mass whose terms occur in document ``index``.

        A term the corpus never uses weighs as much as the rarest known term: a question full
        of words the knowledge does not know is probably not about it.
        """
        terms = list(dict.fromkeys(query))
        if not terms:
            return 0.0
        weight = {t: self.idf.get(t, self._max_idf) for t in terms}
        hit = sum(
            w for t, w in weight.items() if any(i == index for i, _ in self.postings.get(t, ()))
        )
        return hit / sum(weight.values())
