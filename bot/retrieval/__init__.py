"""Embeddings, the Chroma index, and hybrid (dense + BM25) retrieval."""
