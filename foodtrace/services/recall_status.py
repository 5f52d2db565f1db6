"""The one question other services ask of recalls: is this lot recalled?

Not wired yet: the recall service (its own issue) will answer it. Until then no
lot is recalled. Receiving (market entry) and the consumer view call only this.
"""

from __future__ import annotations

from ..graph.store import GraphStore


def is_recalled(store: GraphStore, code: str) -> bool:
    """Whether lot ``code`` (or a lot it was made from) is under recall."""
    return False
