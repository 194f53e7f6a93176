"""Normalisation of chat writing and offline language detection."""

from __future__ import annotations

import pytest

from bot.retrieval.normalize import Normalizer


@pytest.fixture(scope="module")
def norm() -> Normalizer:
    return Normalizer()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "gmn cara pindah jualan dr tiktokshop ke shopee?",
            "bagaimana cara pindah jual dari tiktok shop ke shopee ?",
        ),
        ("Tik Tok Shop tutup kpn?", "tiktok shop tutup kapan ?"),
        ("buka toko di TOKPED yg gak ribet bgt", "buka toko di tokopedia yang tidak ribet banget"),
        ("jualan di IG sm WA utk pemula", "jual di instagram sama whatsapp untuk pemula"),
        ("halo\u200b min!!!!", "halo min ! !"),
    ],
)
def test_normalize(norm: Normalizer, raw: str, expected: str) -> None:
    assert norm.normalize(raw) == expected


def test_tokens_drop_stopwords_and_enclitics(norm: Normalizer) -> None:
    assert norm.tokens("Bagaimana cara daftar NIB-nya untuk tokonya?", "id") == [
        "daftar",
        "nib",
        "toko",
    ]
    assert norm.tokens("What are the seller fees on Shopee?", "en") == ["seller", "fee", "shopee"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("gmn cara pindah jualan dr tiktok ke shopee?", "id"),
        ("Kapan TikTok Shop Indonesia berhenti berjualan?", "id"),
        ("apakah perlu sertifikat halal", "id"),
        ("How do I move my shop to Tokopedia?", "en"),
        ("what is social commerce", "en"),
        ("Is the halal deadline for small businesses still 2026?", "en"),
    ],
)
def test_detect_lang(norm: Normalizer, text: str, lang: str) -> None:
    assert norm.detect_lang(text) == lang


def test_detect_lang_unsure(norm: Normalizer) -> None:
    assert norm.detect_lang("Shopee") is None


def test_entities(norm: Normalizer) -> None:
    assert norm.entities_in("pindah dr tiktokshop ke tokped") == ["tiktok shop", "tokopedia"]
