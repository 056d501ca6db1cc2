"""``python -m querynl`` and the ``querynl`` command.

``run`` imports the command line only once it is running, so that Ctrl+C during the imports
(a second or more on a cold start) ends quietly with exit code 130 instead of a stack trace.
"""

from __future__ import annotations

import sys


def run() -> None:
    """The ``querynl`` command."""
    try:
        from .cli import main
    except KeyboardInterrupt:
        sys.stderr.write("Cancelled; nothing was inserted.\n")
        sys.exit(130)
    main(prog_name="querynl", obj={"process": True})


if __name__ == "__main__":
    run()
