"""Benchmarks for Seller Advisor: ``python -m benchmarks [--quick] [--out PATH]`` (issue #7)."""
