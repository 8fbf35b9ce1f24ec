"""Benchmarks: `make bench` runs them and prints the figures against the budgets."""
