"""QueryNL: realistic, constraint-safe test data from one sentence."""

from __future__ import annotations

__version__ = "0.1.0"
