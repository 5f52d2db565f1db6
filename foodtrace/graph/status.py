"""What a store says about its own health: reachable, how far its log runs,
and whether the lineage graph has caught up with it. Read by ``/readyz``,
``/metrics`` and ``foodtrace doctor``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StoreStatus:
    backend: str  # "embedded" or "neo4j"
    log_seq: int  # the highest sequence number in the log
    graph_seq: int  # the highest sequence number the lineage graph reflects
    lots: int  # lineage nodes
    links: int  # lineage edges

    @property
    def lag(self) -> int:
        """Events in the log that the lineage graph does not reflect yet."""
        return max(0, self.log_seq - self.graph_seq)
