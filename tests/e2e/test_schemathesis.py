"""Schemathesis against /openapi.json, with valid keys, bounded in time: no
500, no undocumented status code, every response conforms to its schema.

Each operation gets a few generated requests (positive and negative data),
sent with an admin key and with an operator key."""

from __future__ import annotations

import os
from urllib.parse import unquote

from hypothesis import HealthCheck, given, settings
import pytest
import schemathesis

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.keys import issue_key
from tests.builders import pork_chain
from tests.e2e.conftest import make_settings

# A few examples per operation keep CI well under a minute; set FOODTRACE_SCHEMATHESIS_EXAMPLES for a deeper run.
EXAMPLES = int(os.environ.get("FOODTRACE_SCHEMATHESIS_EXAMPLES", "10"))
# Operations checked beyond their schema — against what is stored (a key for a registered party, a lot created
# once, a registered receiver…), across fields (a link needs a recall id or a case; an investigation a lot or a
# complaint), or for EPCIS against the EPCIS 2.0 JSON Schema the document declares only as "an object": data
# valid by the OpenAPI document may rightly get a 422 there, so "positive data is accepted" is not checked.
CHECKED_BEYOND_SCHEMA = {
    ("POST", "/api/v1/events"), ("POST", "/api/v1/receipts"), ("POST", "/api/v1/keys"),
    ("POST", "/api/v1/epcis/capture"), ("GET", "/api/v1/entry/{code}"), ("GET", "/api/v1/investigation"),
    ("POST", "/api/v1/recalls"), ("POST", "/api/v1/recalls/from-test"),
    ("POST", "/api/v1/recalls/{recall_id}/confirmations"), ("POST", "/api/v1/complaints"),
    ("POST", "/api/v1/complaints/{complaint_id}/links"), ("POST", "/api/v1/complaints/{complaint_id}/closure"),
    *(("POST", f"/api/v1/supervision/{p}") for p in ("inspections", "campaigns", "cases", "cases/{case_id}/updates",
                                                      "trainings", "commitments", "destructions")),
    # accounts: a registered party, a login not taken, a known login, the password rules (no control characters…)
    ("POST", "/api/v1/users"), ("POST", "/api/v1/users/{login}/disable"), ("POST", "/api/v1/users/{login}/enable"),
    ("POST", "/api/v1/users/{login}/password"),
    ("GET", "/api/v1/reports/district"),  # a period: real dates, from before to, a known time zone
    # a spreadsheet (any bytes by the document); a purchase or a day's sales of a lot that exists and is held
    # in the unit given; a ledger's period of real days, from before to
    ("POST", "/api/v1/ledgers"), ("POST", "/api/v1/stall/purchases"), ("POST", "/api/v1/stall/sales"),
    ("GET", "/api/v1/stall/ledger"), ("GET", "/api/v1/stall/ledger.xlsx"),
}


def _beyond_i_json(value) -> bool:
    """An integer past ±2^53 anywhere in a body: refused by the one JSON decoder (I-JSON, RFC 7493) although a
    free-form object (a party's attributes) allows any JSON value by the document."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**53:
            return True
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return False


def _cases() -> list:
    """(method, path, mode, scalar query parameters) for every operation: positive data for each; negative
    data for each that has something to get wrong besides a free-text path (a body or a query parameter)."""
    doc = create_app(Settings(store="memory://")).openapi()  # builds the document only; opens nothing
    out = []
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            query = [p for p in op.get("parameters", []) if p["in"] == "query"]
            scalars = frozenset(p["name"] for p in query if p.get("schema", {}).get("type") != "array")
            modes = [schemathesis.GenerationMode.POSITIVE]
            if "requestBody" in op or query:
                modes.append(schemathesis.GenerationMode.NEGATIVE)
            out += [pytest.param(method.upper(), path, m, scalars, id=f"{method.upper()} {path} {m.value}")
                    for m in modes]
    return out


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    conf = make_settings(tmp_path_factory.mktemp("schemathesis"))
    store = open_store(conf.store)
    capture(store, pork_chain())
    keys = {"admin": issue_key(store, "ADMIN", "admin").key, "operator": issue_key(store, "M1", "operator").key}
    app = create_app(conf, store=store)
    yield schemathesis.openapi.from_asgi("/openapi.json", app), keys
    store.close()


@pytest.mark.parametrize("method,path,mode,scalars", _cases())
def test_operation_conforms_to_the_openapi_document(served, method, path, mode, scalars):
    schema, keys = served
    operation = schema[path][method]
    excluded = [schemathesis.checks.positive_data_acceptance] if (method, path) in CHECKED_BEYOND_SCHEMA else []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 10, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        skip = list(excluded)
        if unquote(str((case.path_parameters or {}).get("code", ""))).strip().startswith("("):
            skip.append(schemathesis.checks.positive_data_acceptance)  # read as a GS1 element string: may be 422
        if _beyond_i_json(case.body):
            skip.append(schemathesis.checks.positive_data_acceptance)
        if any(isinstance(v, (list, tuple, dict)) for k, v in (case.query or {}).items() if k in scalars):
            skip.append(schemathesis.checks.negative_data_rejection)  # ?x=…&x=… or a flattened object: FastAPI reads one
        for role in ("admin", "operator"):
            case.call_and_validate(headers={"Authorization": f"Bearer {keys[role]}"}, excluded_checks=skip)

    run()
