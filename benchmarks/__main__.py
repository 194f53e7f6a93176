"""``python -m benchmarks`` runs every benchmark and writes the Markdown report."""

from benchmarks.run import main

main()
