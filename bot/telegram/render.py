"""Answers as Telegram HTML: everything escaped, split under the 4,096-character limit."""

from __future__ import annotations

import html
from urllib.parse import urlparse

from bot.answer.models import Answer

LIMIT = 4096


def link(title: str, url: str) -> str:
    """An ``<a>`` element for http(s) URLs; anything else is shown as plain escaped text."""
    if urlparse(url).scheme not in {"http", "https"}:
        return html.escape(title)
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(title)}</a>'


def answer_blocks(answer: Answer, sources_label: str) -> list[str]:
    """HTML paragraphs of an answer: its text, then the sources as links."""
    blocks = [html.escape(p) for p in answer.text.split("\n\n") if p.strip()]
    if answer.sources:
        items = "\n".join(f"• {link(s.title, s.url)}" for s in answer.sources)
        blocks.append(f"<b>{html.escape(sources_label)}:</b>\n{items}")
    return blocks


def split_blocks(blocks: list[str], limit: int = LIMIT) -> list[str]:
    """Join paragraphs into messages of at most ``limit`` characters, never cutting a tag.

    A paragraph longer than the limit is cut at line breaks, then at spaces, and only as a
    last resort inside a word; cuts never fall inside an HTML tag or entity.
    """
    messages: list[str] = []
    current = ""
    for block in (piece for b in blocks for piece in _pieces(b, limit)):
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
        else:
            messages.append(current)
            current = block
    if current:
        messages.append(current)
    return messages


def _pieces(block: str, limit: int) -> list[str]:
    pieces: list[str] = []
    while len(block) > limit:
        cut = _safe_cut(block, limit)
        pieces.append(block[:cut].rstrip())
        block = block[cut:].lstrip()
    return [*pieces, block] if block else pieces


def _safe_cut(text: str, limit: int) -> int:
    for sep in ("\n", " "):
        cut = text.rfind(sep, 0, limit)
        if cut > limit // 2 and _outside_markup(text, cut):
            return cut
    cut = limit
    while cut > 0 and not _outside_markup(text, cut):
        cut -= 1
    return cut or limit


def _outside_markup(text: str, index: int) -> bool:
    """True when ``index`` is not inside ``<...>``, an ``<a>`` element or an ``&...;`` entity."""
    head = text[:index]
    if head.rfind("<") > head.rfind(">") or head.rfind("&") > head.rfind(";"):
        return False
    return head.count("<a ") == head.count("</a>")
