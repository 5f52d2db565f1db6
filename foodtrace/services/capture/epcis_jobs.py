"""Capture through the EPCIS 2.0 REST binding (``POST /epcis/capture``): the document is captured
at once, through the write door, and the outcome kept as a capture job the caller reads at
``/epcis/capture/{captureID}``.

``GS1-Capture-Error-Behaviour: rollback`` (the default) stores all or nothing; ``proceed`` (or
``?partial=true``) stores every event that can be stored and lists the others among the job's
errors. Malformed JSON and a document that is not EPCIS at all are refused at once (400); every
other refusal is the job's (``success: false``), and nothing of a rolled-back job is stored.
Jobs are kept in the server's own database beside the store (the sessions database,
``services.admin.sessions``), so that every worker of ``serve --workers N`` answers for a job another
worker ran, and a restart keeps them: the newest ``MAX_JOBS`` per party (one party's jobs never push
out another's).

A job is kept as it will be said to any reader: its errors as details with their message keys and
arguments, its message and its warnings as keys and arguments too, and said at read time in the
reader's language (``?lang=`` / ``Accept-Language``: ``said_job``). A job kept before that (plain
texts) reads as it was stored.
"""

from __future__ import annotations

from datetime import datetime, timezone
import json
import uuid

from foodtrace.errors import BadQuery, BadRequest, FoodtraceError, InvalidInput, NotFound, detail
from foodtrace.graph.store import GraphStore
from foodtrace.i18n.epcis_warnings import EPCIS_WARNINGS, Keyed, said
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import known, refusal, say_refusal
from foodtrace.services.admin.sessions import SessionDB
from foodtrace.ingest.epcis import parse_document
from foodtrace.services.capture.access import Action, Principal, require
from foodtrace.services.capture.imports import import_epcis_as
from foodtrace.services.safety.rules.config import RuleConfig

MAX_JOBS = 1000  # per party
_SCHEMA = """
CREATE TABLE IF NOT EXISTS epcis_jobs (capture_id TEXT PRIMARY KEY, party TEXT NOT NULL, job TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS epcis_jobs_party ON epcis_jobs(party);
"""
BEHAVIOURS = ("rollback", "proceed")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class CaptureJobs:
    """Capture jobs per party, in the server's database ``db`` (in memory, for this process, without one)."""

    def __init__(self, db: SessionDB | None = None) -> None:
        self.db = db or SessionDB(":memory:")

    def _conn(self):
        """The database with this part's tables (call under ``db.lock``)."""
        return self.db.with_tables(_SCHEMA)

    def capture(self, store: GraphStore, principal: Principal | None, raw: bytes, *, behaviour: str | None = None,
                partial: bool = False, rules: RuleConfig | None = None) -> dict:
        """Capture ``raw`` for the caller and return its job (401/403 for the key, 400 for a body
        that is not an EPCIS document at all)."""
        who = require(principal, Action.CAPTURE)
        mode = (behaviour or ("proceed" if partial else "rollback")).strip().lower()
        if mode not in BEHAVIOURS:
            raise keyed(BadQuery, "epcis_behaviour", [refusal(None, "GS1-Capture-Error-Behaviour", "epcis_behaviours",
                                                              rollback="rollback", proceed="proceed")],
                        header="GS1-Capture-Error-Behaviour", rollback="rollback", proceed="proceed")
        try:
            doc, _ = parse_document(raw, "request body")
        except InvalidInput as exc:
            raise _as_400(exc) from exc
        if not isinstance(doc, dict):
            raise keyed(BadRequest, "epcis_is_object", [refusal(None, None, "epcis_expected_object")], epcis="EPCIS")
        job = {"captureID": uuid.uuid4().hex, "createdAt": _now(), "running": False, "success": False,
               "captureErrorBehaviour": mode, "errors": []}
        try:
            res = import_epcis_as(store, who, raw, "request body", rules=rules, partial=mode == "proceed")
            job.update(success=not res.refused, errors=res.refused, warnings=[_kept_warning(w) for w in res.warnings],
                       eventsStored=len(res.result.stored), eventsDuplicate=len(res.result.duplicates),
                       epcisEvents=res.epcis_events)
        except FoodtraceError as exc:  # the job failed: nothing stored
            keyed_message = known(exc.key) and not exc.lang
            said_as = {"key": exc.key, "args": exc.args_of_key} if keyed_message else {}
            job["errors"] = exc.details or [{**detail(None, None, exc.message), **said_as}]
            job["message"] = {"text": exc.message, **said_as} if keyed_message else exc.message
        job["finishedAt"] = _now()
        with self.db.lock:
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("INSERT INTO epcis_jobs VALUES (?,?,?)",
                             (job["captureID"], who.party, json.dumps(job, ensure_ascii=False)))
                conn.execute("DELETE FROM epcis_jobs WHERE rowid IN (SELECT rowid FROM epcis_jobs WHERE party = ? "
                             "ORDER BY rowid DESC LIMIT -1 OFFSET ?)", (who.party, MAX_JOBS))
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        return said_job(job, "en")

    def get(self, principal: Principal | None, capture_id: str, lang: str = "en") -> dict:
        """The caller's job ``capture_id`` said in ``lang`` (404 for another party's, but to an admin)."""
        who = require(principal, Action.CAPTURE)
        with self.db.lock:
            row = self._conn().execute("SELECT party, job FROM epcis_jobs WHERE capture_id = ?",
                                       (str(capture_id)[:200],)).fetchone()
        party, job = (row[0], json.loads(row[1])) if row else (None, None)
        if job is None or (party != who.party and not who.is_admin):
            raise keyed(NotFound, "epcis_no_job", [refusal(None, "captureID", "epcis_unknown")], id=capture_id)
        return said_job(job, lang)

    def list(self, principal: Principal | None, lang: str = "en") -> list[dict]:
        """The caller's jobs (an admin's: every party's), oldest first, said in ``lang``."""
        who = require(principal, Action.CAPTURE)
        with self.db.lock:
            if who.is_admin:
                rows = self._conn().execute("SELECT job FROM epcis_jobs ORDER BY rowid").fetchall()
            else:
                rows = self._conn().execute("SELECT job FROM epcis_jobs WHERE party = ? ORDER BY rowid",
                                            (who.party,)).fetchall()
        return [said_job(json.loads(job), lang) for (job,) in rows]


def _kept_warning(warning: str) -> dict | str:
    """A warning as kept: its key and arguments (a ``Keyed`` one), else its text."""
    if isinstance(warning, Keyed):
        return {"text": str(warning), "key": warning.key, "args": warning.args}
    return str(warning)


def _said_warning(kept, lang: str) -> str:
    if not isinstance(kept, dict):
        return str(kept)
    if kept.get("key") in EPCIS_WARNINGS:
        return said(Keyed(kept["key"], **(kept.get("args") or {})), lang)
    return str(kept.get("text", ""))


def _said_detail(d, lang: str):
    """A detail said in ``lang``: its reason again from its key and arguments (kept ones only), without them."""
    if not isinstance(d, dict):
        return d
    out = {k: v for k, v in d.items() if k != "args"}
    if known(d.get("key")) and isinstance(d.get("args"), dict):
        out["reason"] = say_refusal(d["key"], lang, d["args"])
    return out


def said_job(job: dict, lang: str) -> dict:
    """A kept job as its reader reads it: errors, message and warnings in ``lang`` (zh or en); texts a job
    kept before keys were kept (plain strings) as they were stored."""
    lang = "en" if lang == "en" else "zh"
    out = dict(job)
    out["errors"] = [_said_detail(d, lang) for d in job.get("errors") or []]
    message = job.get("message")
    if isinstance(message, dict):
        key, args = message.get("key"), message.get("args") or {}
        out["message"] = say_refusal(key, lang, args) if known(key) else str(message.get("text", ""))
    if "warnings" in job:
        out["warnings"] = [_said_warning(w, lang) for w in job.get("warnings") or []]
    return out


def capture_event(store: GraphStore, principal: Principal | None, raw: bytes,
                  rules: RuleConfig | None = None) -> str:
    """Capture one bare EPCIS event (``POST /epcis/events``), all or nothing; its event id.
    Refusals of the input are 400 (the binding's status), conflicts 409, the key's 401/403."""
    who = require(principal, Action.CAPTURE)
    try:
        res = import_epcis_as(store, who, raw, "request body", rules=rules)
    except InvalidInput as exc:
        raise _as_400(exc) from exc
    ids = res.result.stored + res.result.duplicates
    if not ids:
        raise keyed(BadRequest, "epcis_no_event", [refusal(None, None, "epcis_expected_one")], epcis="EPCIS")
    return ids[0].split("#")[0]


def _as_400(exc: InvalidInput) -> BadRequest:
    """A refusal of the input as the binding's 400, its message key kept (said in the reader's language)."""
    return BadRequest(exc.message, exc.details, key=exc.key, args=exc.args_of_key)


__all__ = ["CaptureJobs", "capture_event", "said_job"]
