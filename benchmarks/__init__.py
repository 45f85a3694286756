"""mocksm's benchmark suite: ``python -m benchmarks [--quick]`` from the repository root.

Not part of the test suite: timings are printed, never asserted.
"""
