"""The district check kept while the log says the same.

``check_district`` folds every live event's report fact and runs every rule over them: 8.5–8.8 s a call on
the 1M benchmark store, and the inspector's console, risk ranking (``supervision/risk.py``) and case
suggestions (``supervision/cases.py``) each ask for it. Its answer is a function of the live log, the rules
and the code alone (the rules judge each lot at its own events' times, never at "now"), so it is kept in the
store's checkpoints (the statistics report's: ``graph/report_facts_checkpoints.py`` in the embedded store's
file, ``graph/neo4j_checkpoints.py`` in the Neo4j database, shared by every process on it) under the
rules' content and a digest of the code (``services/report/checkpoint.code_stamp``), with the log position it
reflects, over an open time range: valid exactly while no event was stored or retracted since. The next call
reads it back (a few hundred kilobytes of JSON, validated into ``CheckReport``: no pickle; the same
mechanism as the report's figures, ``services/report/checkpoint.kept``) instead of folding;
any append makes the next call fold again and keep the new answer. A store without checkpoints folds each
time.
"""

from __future__ import annotations

from datetime import datetime, timezone
import hashlib
from typing import TYPE_CHECKING, Callable

from foodtrace.graph.store import GraphStore
from foodtrace.services.safety.rules.config import RuleConfig

if TYPE_CHECKING:
    from foodtrace.services.safety.rules.anomalies import CheckReport

KIND = "district_check"
END = datetime(9999, 1, 1, tzinfo=timezone.utc)  # an open range: every event is before it


def key(cfg: RuleConfig) -> str:
    from foodtrace.services.report.checkpoint import code_stamp

    text = f"{cfg.model_dump_json()}|{code_stamp()}"
    return f"{KIND}:{hashlib.sha256(text.encode()).hexdigest()[:24]}"


def kept_check(store: GraphStore, cfg: RuleConfig, compute: Callable[[], "CheckReport"]) -> tuple["CheckReport", bool]:
    """The district check read back from a valid checkpoint, else ``compute()``d and kept
    (``services/report/checkpoint.kept``); and whether it was read back."""
    from foodtrace.services.report.checkpoint import kept
    from foodtrace.services.safety.rules.anomalies import CheckReport

    def settled() -> CheckReport:  # as it is read back: the same answer either way
        return CheckReport.model_validate_json(compute().model_dump_json())

    return kept(store, key(cfg), END, settled, lambda r: r.model_dump_json().encode(), CheckReport.model_validate_json)


__all__ = ["kept_check", "key", "KIND"]
