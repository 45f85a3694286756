"""mocksm's benchmark suite: ``python -m benchmarks [--quick]`` from the repository root.

``run.py`` measures mocksm, moto (if installed: ``pip install -e '.[bench]'``), botocore's
Stubber and a canned ``before-send`` response side by side and prints a table of medians
and ratios (``python -m benchmarks --help``). Two focused scripts sit beside it:
``kms_overhead.py`` (what envelope encryption costs per call) and ``list_secrets.py``
(ListSecrets paging at scale).

Not part of the test suite: timings are printed, never asserted.
"""
