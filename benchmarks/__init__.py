"""Benchmarks of the engine and of MLP training against micrograd 0.1.0 and other engines.

Run every benchmark with `python -m benchmarks`, or one with `python -m benchmarks.engine` or
`python -m benchmarks.mlp`. Figures and the machine they were measured on are in
docs/benchmarks.md.
"""
