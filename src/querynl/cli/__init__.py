"""The ``querynl`` command line: thin Click wrappers over the public functions."""

from __future__ import annotations

from .main import main

__all__ = ["main"]
