"""Where QueryNL keeps its files: settings, the run ledger, cached value pools.

Each is the platform's user folder of its kind (``platformdirs``: ``~/.config/querynl``,
``~/.local/share/querynl``, ``~/.cache/querynl`` on Linux), unless an environment variable
names another.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal


def user_folder(
    kind: Literal["config", "data", "cache"], variable: str, env: Mapping[str, str] | None = None
) -> Path:
    """``$variable`` when it is set, else the platform's user ``kind`` folder for QueryNL."""
    env = os.environ if env is None else env
    override = env.get(variable, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs

    find = {
        "config": platformdirs.user_config_dir,
        "data": platformdirs.user_data_dir,
        "cache": platformdirs.user_cache_dir,
    }[kind]
    return Path(find("querynl", appauthor=False))
