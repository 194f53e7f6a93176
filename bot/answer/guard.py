"""Questions refused before retrieval: prompt injection, secrets, other users, other countries.

The offline answer can only quote the knowledge, but a question that merely shares words with
it (e.g. "what is your Telegram bot token?" and the "about this advisor" document) must still
be refused; so must another country's rules, which the knowledge does not cover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import yaml


@dataclass(frozen=True)
class Guard:
    """Compiled refusal rules from ``data/guard.yaml``."""

    blocked: dict[str, tuple[re.Pattern[str], ...]]
    foreign: tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]

    @classmethod
    def load(cls) -> Guard:
        text = resources.files("bot.answer").joinpath("data/guard.yaml").read_text("utf-8")
        data = yaml.safe_load(text)
        foreign = data.pop("foreign_rules")
        blocked = {
            name: tuple(re.compile(p, re.IGNORECASE) for p in patterns)
            for name, patterns in data.items()
        }
        parts = (foreign["when"], foreign["about"], foreign["unless"])
        compiled = tuple(re.compile(p, re.IGNORECASE) for p in parts)
        return cls(blocked, (compiled[0], compiled[1], compiled[2]))

    def reason(self, text: str) -> str | None:
        """The rule a question breaks, or None when it may be answered."""
        for name, patterns in self.blocked.items():
            if any(p.search(text) for p in patterns):
                return name
        when, about, unless = self.foreign
        if when.search(text) and about.search(text) and not unless.search(text):
            return "foreign_rules"
        return None
