"""Benchmarks against the real PowerJob server and Pulumi engine (run.py); not shipped."""
