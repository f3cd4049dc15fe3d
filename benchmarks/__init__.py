"""Benchmarks and the relevance evaluation harness (see docs/benchmarks.md)."""
