"""Redaction of personal data, and pseudonyms."""

from __future__ import annotations

import pytest

from bot.store.privacy import pseudonym, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wa sy 0812-3456-7890 ya", "wa sy [phone] ya"),
        ("call +62 812 3456 7890", "call [phone]"),
        ("hubungi 6281234567890", "hubungi [phone]"),
        ("chat wa.me/6281234567890", "chat wa.me/[phone]"),
        ("email budi.s@gmail.com pls", "email [email] pls"),
        ("NIK 3174012345678901", "NIK [nik]"),
        ("transfer ke rek BCA 1234567890 a.n. Budi", "transfer ke rek BCA [account] a.n. Budi"),
        ("no rekening: 123 456 7890 12", "no rekening: [account]"),
        ("kirim ke 1234567890 a.n. Budi", "kirim ke [account] a.n. Budi"),
        ("norek 0123-4567-8901 atas nama Sari", "norek [account] atas nama Sari"),
        ("hp 0812.3456.7890", "hp [phone]"),
        ("+62-812-3456-7890 (wa)", "[phone] (wa)"),
        ("Email: SARI_TOKO+olshop@mail.co.id.", "Email: [email]."),
    ],
)
def test_personal_data_is_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "tanggal 2023-10-04 jam 17.00",
        "order INV/2023/10/123456789",
        "pesanan 2310041234567 belum sampai",
        "omzet Rp500.000.000 setahun",
        "PMK 37/2025 dan PP 55/2022",
        "harga USD 100 per unit",
        "tanggal 08.10.2023",
        "08-10-2023 jam 10",
        "resi JNE 081234567890123456",
        "kode pos 40123, RT 08/02",
        "telepon kantor 021-5551234",
        "nomor pesanan 12345678901 sudah dikirim",
    ],
)
def test_dates_orders_and_amounts_are_kept(text: str) -> None:
    assert redact(text) == text


def test_pseudonym_is_stable_and_keyed() -> None:
    assert pseudonym("k1", 42) == pseudonym("k1", 42)
    assert pseudonym("k1", 42) != pseudonym("k2", 42)
    assert "42" not in pseudonym("k1", 42)
    assert len(pseudonym("k1", 42)) == 32
