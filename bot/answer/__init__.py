"""The advisor core: question in, grounded answer out."""

from bot.answer.advisor import Advisor, Composer
from bot.answer.models import Answer, Candidate, SourceRef, Timings, Turn

__all__ = ["Advisor", "Answer", "Candidate", "Composer", "SourceRef", "Timings", "Turn"]
