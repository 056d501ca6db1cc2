"""Schema-design mode: filling a schema with test data (orchestration, synthesis, insertion)."""

from __future__ import annotations
