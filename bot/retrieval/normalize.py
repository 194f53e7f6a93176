"""Normalise how sellers write, tokenise for lexical search, and detect the language offline."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import Literal

import yaml

Lang = Literal["id", "en"]
WORD = re.compile(r"[a-z0-9]+(?:[/.-][a-z0-9]+)*")
INVISIBLE = dict.fromkeys(
    i for i in range(0x110000) if unicodedata.category(chr(i)) in {"Cf", "Cc"} and chr(i) != "\n"
)


@dataclass(frozen=True)
class Lexicon:
    """Abbreviations, brand spellings, entities and stopwords, from ``data/lexicon.yaml``."""

    abbreviations: dict[str, str]
    phrases: dict[str, str]
    entities: tuple[str, ...]
    followup_markers: dict[str, tuple[str, ...]]
    stopwords: dict[str, frozenset[str]]

    @classmethod
    def load(cls) -> Lexicon:
        text = resources.files("bot.retrieval").joinpath("data/lexicon.yaml").read_text("utf-8")
        data = yaml.safe_load(text)
        return cls(
            abbreviations={str(k): str(v) for k, v in data["abbreviations"].items()},
            phrases={str(k): str(v) for k, v in data["phrases"].items()},
            entities=tuple(data["entities"]),
            followup_markers={k: tuple(v) for k, v in data["followup_markers"].items()},
            stopwords={k: frozenset(map(str, v)) for k, v in data["stopwords"].items()},
        )

    @cached_property
    def all_stopwords(self) -> frozenset[str]:
        return frozenset().union(*self.stopwords.values())


class Normalizer:
    """Turns raw chat text into normalised text and search tokens."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or Lexicon.load()
        phrases = sorted(self.lexicon.phrases, key=len, reverse=True)
        self._phrase_re = re.compile(r"\b(" + "|".join(map(re.escape, phrases)) + r")\b")

    def normalize(self, text: str) -> str:
        """Lower case, strip invisible characters, expand abbreviations and brand spellings."""
        text = unicodedata.normalize("NFKC", text).translate(INVISIBLE).lower()
        text = re.sub(r"(.)\1{2,}", r"\1\1", text)
        text = re.sub(r"\b([a-z]{3,})2(an)?\b", r"\1", text)
        words = [self.lexicon.abbreviations.get(w, w) for w in re.findall(r"[\w/.-]+|\S", text)]
        joined = " ".join(words)
        return self._phrase_re.sub(lambda m: self.lexicon.phrases[m.group(1)], joined)

    def words(self, text: str) -> list[str]:
        """All normalised words, stopwords included."""
        return WORD.findall(self.normalize(text))

    def tokens(self, text: str, lang: str | None = None) -> list[str]:
        """Content tokens for lexical search: no stopwords, light stemming for ``lang``."""
        stop = self.lexicon.all_stopwords
        return [stem(w, lang) for w in self.words(text) if w not in stop and len(w) > 1]

    def detect_lang(self, text: str) -> Lang | None:
        """Indonesian or English by counting each language's function words; None if unsure."""
        words = self.words(text)
        id_hits = sum(w in self.lexicon.stopwords["id"] for w in words)
        en_hits = sum(w in self.lexicon.stopwords["en"] for w in words)
        id_hits += sum(w.endswith(("nya", "kah")) and len(w) > 5 for w in words)
        id_hits += sum(
            w.startswith(("meng", "mem", "ber", "di", "ter", "pe")) and w.endswith(("kan", "an"))
            for w in words
        )
        if id_hits == en_hits:
            return None
        return "id" if id_hits > en_hits else "en"

    def entities_in(self, text: str) -> list[str]:
        """Known platform/channel names mentioned in the text, longest names first."""
        norm = " " + " ".join(self.words(text)) + " "
        found: list[str] = []
        for entity in sorted(self.lexicon.entities, key=len, reverse=True):
            if f" {entity} " in norm and not any(entity in f for f in found):
                found.append(entity)
        return found


def stem(word: str, lang: str | None = None) -> str:
    """Light stemming for ``lang`` (Indonesian and English rules when None).

    It only has to map a word and its common variants to the same key on both the question's
    and the section's side, so it is deliberately small and never consults a dictionary.
    """
    if lang != "en":
        stemmed = stem_id(word)
        if stemmed != word or lang == "id":
            return stemmed
    return stem_en(word)


def stem_en(word: str) -> str:
    """Plural and common verb endings: rates/rated/rating -> rat, fees -> fee, goes -> go."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 5:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "oes", "sses")):
        return word[:-2]
    for suffix, keep in (("ing", 5), ("ed", 4)):
        if word.endswith(suffix) and len(word) > keep:
            word = word[: -len(suffix)]
            break
    else:
        if word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
    if word.endswith("e") and not word.endswith("ee") and len(word) > 3:
        word = word[:-1]
    return word


ID_PARTICLES = ("lah", "kah", "tah", "pun", "nya", "ku", "mu")
ID_PLAIN_PREFIXES = ("ber", "ter", "per", "di", "be")
ID_NASAL = (
    ("meny", "s"),
    ("peny", "s"),
    ("meng", ""),
    ("peng", ""),
    ("mem", "p"),
    ("pem", "p"),
    ("men", "t"),
    ("pen", "t"),
)


def stem_id(word: str) -> str:
    """Indonesian: particles, -kan/-an, and di-/ber-/ter-/per-/meN-/peN- prefixes (twice)."""
    head, _, tail = word.rpartition("-")
    if head and tail in ID_PARTICLES:
        word = head
    if len(word) <= 4 or not word.isalpha():
        return word
    for particle in ID_PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 4:
            word = word[: -len(particle)]
            break
    if word.endswith("in") and len(word) >= 7:
        word = word[:-2]  # colloquial -in (pindahin, kirimin)
    confix = False
    for suffix in ("kan", "an"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word, confix = word[: -len(suffix)], True
            break
    for _ in range(2):
        word = _strip_prefix(word, confix)
    return word


def _strip_prefix(word: str, confix: bool) -> str:
    """One prefix off; meN-/peN- restore the initial they swallowed (menulis -> tulis)."""
    for prefix in ID_PLAIN_PREFIXES + (("ke", "se") if confix else ()):
        if word.startswith(prefix) and len(word) - len(prefix) >= 4:
            return word[len(prefix) :]
    for prefix, initial in ID_NASAL:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            rest = word[len(prefix) :]
            return initial + rest if rest[0] in "aeiou" else rest
    if word.startswith(("me", "pe")) and len(word) > 5 and word[2] in "lrmnwy":
        return word[2:]
    return word
