"""QueryNL's speed against each database's raw bulk-load speed (``python -m benchmarks``).

The command runs every case in its own subprocess (so each case's peak RSS is its own), on
databases it creates and drops itself, and prints one table. See README.md, "Performance".
"""
