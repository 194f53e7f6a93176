"""The Telegram front end: python-telegram-bot handlers in front of the advisor core."""
