"""Seller Advisor: answers Indonesian online sellers about the 2023 social-commerce ban."""

__version__ = "0.1.0"
