"""``python -m bot`` runs the ``advisor`` command line."""

from bot.cli import main

main()
