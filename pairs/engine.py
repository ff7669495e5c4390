"""The matching engine, `pairs.matching`, imported the first time one of its names is read.

The engine brings numpy and scipy (about 0.8 s and 57 MiB), which a web worker does not need until
someone runs or amends a matching, and the pairs' services are imported by every web worker at
start. `from pairs import engine as matching` reads like the module itself and loads it then.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    from . import matching  # here, not at import: see the module's note

    return getattr(matching, name)
