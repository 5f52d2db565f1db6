"""Backups and verification of a store (``foodtrace db backup`` / ``foodtrace db verify``).

- SQLite file store: SQLite's online backup API — a consistent snapshot while the server runs; the
  backup is itself a store (``sqlite:///backup.db``) to serve or copy from.
- Neo4j (and ``memory://``): a logical export of the whole log into a new SQLite file (ids, record times,
  retractions kept; ``foodtrace db copy sqlite:///backup.db neo4j://…`` restores it). Neo4j's own
  ``neo4j-admin database dump`` needs the database stopped and the Neo4j distribution's tools, which the
  development server (an embedded Neo4j built from Maven) does not have: see docs/operations.md.
- Verify: every stored event is read back, its digest recomputed from its content and compared with the
  one stored; the projections (lots, lineage) are rebuilt from the log in memory and compared with the
  store's. Differences and unreadable events are listed.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from foodtrace.graph import open_store
from foodtrace.graph.batch import digest_of
from foodtrace.graph.embedded import EmbeddedStore
from foodtrace.graph.raw import lot_codes, raw_log, sqlite_online_backup
from foodtrace.graph.store import GraphStore, read_stored
from foodtrace.services.admin.copying import copy_log
from foodtrace.services.report.facts import differences as report_differences
from foodtrace.services.tracing.search_index import differences as search_differences


class BackupReport(BaseModel):
    path: str
    method: str  # "sqlite-online-backup" | "logical-export"
    events: int


class Problem(BaseModel):
    kind: str  # unreadable | digest_mismatch | lot_differs | lineage_differs | count_differs | projection_differs
    subject: str
    reason: str


class VerifyReport(BaseModel):
    events: int
    lots: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def backup(store: GraphStore, path: Path) -> BackupReport:
    """Back ``store`` up into the new SQLite file ``path``."""
    if isinstance(store, EmbeddedStore) and store.path != ":memory:":
        sqlite_online_backup(store, path)
        with open_store(f"sqlite:///{path}") as copy:
            return BackupReport(path=str(path), method="sqlite-online-backup", events=copy.counts()["events"])
    if path.exists():
        from foodtrace.errors import InvalidInput
        from foodtrace.i18n.keyed import keyed
        from foodtrace.i18n.refusals import refusal

        raise keyed(InvalidInput, "backup_exists", [refusal(None, "path", "backup_path_exists")], path=str(path))
    with open_store(f"sqlite:///{path}") as copy:
        copy_log(store, copy)
        return BackupReport(path=str(path), method="logical-export", events=copy.counts()["events"])


def verify(store: GraphStore) -> VerifyReport:
    """Digests and projections recomputed from the log, compared with what is stored."""
    problems: list[Problem] = []
    replay = EmbeddedStore(":memory:", url="memory://").open()
    try:
        n = 0
        chunk: list = []
        for row in raw_log(store):
            n += 1
            stored = read_stored(row.seq, row.body)
            if stored is None:
                problems.append(Problem(kind="unreadable", subject=row.event_id,
                                        reason=f"event #{row.seq} cannot be read by this version"))
                continue
            if digest_of(stored.event) != row.digest:
                problems.append(Problem(kind="digest_mismatch", subject=row.event_id,
                                        reason=f"event #{row.seq}: its content no longer matches its digest"))
            chunk.append(stored.event)
            if len(chunk) >= 2000:
                replay.append(chunk)
                chunk = []
        if chunk:
            replay.append(chunk)
        problems += _projection_problems(store, replay)
        return VerifyReport(events=n, lots=len(lot_codes(store)), problems=problems)
    finally:
        replay.close()


def _projection_problems(store: GraphStore, replay: GraphStore) -> list[Problem]:
    out: list[Problem] = []
    mine, theirs = lot_codes(store), lot_codes(replay)
    for code in sorted(set(mine) ^ set(theirs)):
        where = "the store" if code in mine else "the log"
        out.append(Problem(kind="lot_differs", subject=code, reason=f"only in {where}"))
    common = sorted(set(mine) & set(theirs))
    stored, rebuilt = store.get_lots(common), replay.get_lots(common)
    for code in common:
        if stored.get(code) != rebuilt.get(code):
            out.append(Problem(kind="lot_differs", subject=code, reason="the stored lot differs from the log's"))
        elif set(store.backward(code).edges) != set(replay.backward(code).edges):
            out.append(Problem(kind="lineage_differs", subject=code, reason="its inputs differ from the log's"))
    out += [Problem(kind="projection_differs", subject=s, reason=r) for s, r in report_differences(store, replay)]
    out += [Problem(kind="projection_differs", subject=s, reason=r) for s, r in search_differences(store)]
    a, b = store.counts(), replay.counts()
    for key in sorted(set(a) & set(b)):
        if a[key] != b[key]:
            out.append(Problem(kind="count_differs", subject=key, reason=f"store {a[key]}, log {b[key]}"))
    return out
