"""Keep the kit's own frames out of failures' tracebacks, so they point at the test's line.

Every module of the kit calls :func:`hide` on its globals: pytest leaves out frames whose
globals hold ``__tracebackhide__`` (``pytest --full-trace`` shows them), and unittest cuts an
``AssertionError``'s traceback at the first frame whose globals hold ``__unittest``.
``KIT_SHOW_FRAMES=1`` in the environment, read at import, shows them in both.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

SHOWN = os.environ.get("KIT_SHOW_FRAMES", "") not in ("", "0")


def hide(namespace: MutableMapping[str, object]) -> None:
    """Mark the module whose ``globals()`` is ``namespace`` as the kit's, unless frames are shown."""
    if not SHOWN:
        # unittest only asks whether "__unittest" is there, so showing means leaving it out.
        namespace["__tracebackhide__"] = True
        namespace["__unittest"] = True


hide(globals())
