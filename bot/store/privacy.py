"""Pseudonymous user ids and redaction of personal data before anything is written."""

from __future__ import annotations

import hashlib
import hmac
import re

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE = re.compile(r"(?<![\w/.-])(?:\+62[ .-]?|62[ .-]?|0)8\d(?:[ .-]?\d){6,11}(?![\w/-])")
WA_LINK = re.compile(r"(?i)\b(wa\.me|api\.whatsapp\.com/send\?phone=)/?\+?\d{8,15}")
NIK = re.compile(r"(?<![\w/.-])\d{16}(?![\w/-])")
ACCOUNT = re.compile(
    r"(?i)\b(rekening|rek|no\.? ?rek|norek|account|acct|a\.n\.?|bca|bri|bni|mandiri|bsi)"
    r"(\W{1,5}(?:\w+\W{1,3}){0,3}?)(\d(?:[ .-]?\d){9,15})(?![\w/-])"
)
ACCOUNT_BEFORE_NAME = re.compile(
    r"(?i)(?<![\w/.-])\d(?:[ .-]?\d){9,15}(?=\s*(?:a\.n\.?|an\.|atas nama)\s)"
)


def pseudonym(key: str, user_id: int) -> str:
    """A keyed hash of a Telegram user id: stable for one key, unlinkable without it."""
    return hmac.new(key.encode(), str(user_id).encode(), hashlib.sha256).hexdigest()[:32]


def redact(text: str) -> str:
    """Replace e-mail addresses, phone numbers, NIK and bank account numbers."""
    text = EMAIL.sub("[email]", text)
    text = WA_LINK.sub(lambda m: f"{m.group(1)}/[phone]", text)
    text = ACCOUNT.sub(lambda m: f"{m.group(1)}{m.group(2)}[account]", text)
    text = ACCOUNT_BEFORE_NAME.sub("[account]", text)
    text = PHONE.sub("[phone]", text)
    return NIK.sub("[nik]", text)
