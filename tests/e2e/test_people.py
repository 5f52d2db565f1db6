"""Signed-in people over HTTP and at the command line: an inspector limited to its areas
(``services/capture/scope.py``), the audit naming the person, accounts that survive ``db copy``, and
``foodtrace users`` (first administrator, never a default password)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.copying import copy_log
from foodtrace.services.admin.users import accounts, create_user, sign_in
from tests.builders import commission, handoff, register
from tests.e2e.conftest import ORIGIN, PASSWORD, sign_in as browser_sign_in

FAR = [register("Z1", "scale_farm", "Far Farm", area="440300"), commission("ZPIG", party="Z1"),
       commission("ZPIG2", party="Z1"), handoff("ZPIG2", new="ZPIG2-M1", src="Z1", dst="M1", qty=10)]


@pytest.fixture
def station(api):
    """The pork chain (area 330106), a farm far away (440300) with a lot that stays there (ZPIG) and one
    sold to M1 (ZPIG2); an inspector of the city 3301 signed in (cookie, CSRF token)."""
    capture(api.store, FAR)
    create_user(api.store, "zhou.station", "周监管", "INS", "inspector", PASSWORD, areas=("3301",))
    sid = browser_sign_in(api.client, "zhou.station")
    page = api.client.get("/console", headers={"Cookie": f"ft_session={sid}"})
    import re

    csrf = re.search(r'data-csrf="([^"]+)"', page.text).group(1)
    api.station = {"Cookie": f"ft_session={sid}", "X-CSRF-Token": csrf, "Origin": ORIGIN}
    return api


@pytest.mark.parametrize("path,status", [
    ("/api/v1/lots/RL", 200), ("/api/v1/lots/PIG/forward", 200),  # a lot of the area; a farm lot whose chain reaches it
    ("/api/v1/lots/ZPIG2", 200),  # from far away, but sold in the area
    ("/api/v1/lots/ZPIG", 403), ("/api/v1/lots/ZPIG/backward", 403), ("/api/v1/lots/ZPIG/epcis", 403),
    ("/api/v1/lots/ZPIG/graph", 403), ("/api/v1/lots/ZPIG/trace.csv", 403), ("/api/v1/lots/ZPIG2/graph", 200),
    ("/api/v1/parties/M1", 200), ("/api/v1/parties/Z1", 403),
])
def test_an_inspector_with_areas_reads_what_its_areas_reach(station, path, status):
    assert station.client.get(path, headers=station.station).status_code == status
    assert station.client.get(path, headers=station.h("inspector")).status_code == 200  # no areas: everything


def test_an_inspector_with_areas_searches_and_acts_only_within_them(station):
    hits = station.client.get("/api/v1/search?q=PIG", headers=station.station).json()
    assert {"PIG", "ZPIG2"} <= {lot["code"] for lot in hits["lots"]} and "ZPIG" not in {lot["code"] for lot in hits["lots"]}
    before = station.store.counts()
    r = station.client.post("/api/v1/recalls", headers=station.station, json={"codes": ["ZPIG"], "reason": "x"})
    assert r.status_code == 403 and r.json()["error"]["details"][0]["field"] == "codes"
    r = station.client.post("/api/v1/supervision/inspections", headers=station.station,
                            json={"subject": "Z1", "outcome": "no_problem", "inspectors": ["周"]})
    assert r.status_code == 403 and station.store.counts() == before
    r = station.client.post("/api/v1/recalls", headers=station.station, json={"codes": ["WV"], "reason": "clenbuterol"})
    assert r.status_code == 201, r.text
    recall = list(station.store.iter_log())[-1].event
    assert recall.type == "recall" and recall.captured_by == "user:zhou.station@INS"


def test_the_audit_names_the_person(station, tmp_path):
    station.client.post("/api/v1/recalls", headers=station.station, json={"codes": ["WV"], "reason": "clenbuterol"})
    out = _cli(f"sqlite:///{tmp_path / 'api.db'}", "audit", "--party", "INS")
    assert "user:zhou.station@INS" in out.stdout


def _cli(store: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "FOODTRACE_STORE": store, "FOODTRACE_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "foodtrace", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=120)


def test_the_first_admin_is_made_at_the_command_line_and_accounts_survive_a_copy(tmp_path):
    store = f"sqlite:///{tmp_path / 'a.db'}"
    r = _cli(store, "users", "create", "boss", "--name", "王主任", "--party", "OFFICE", "--role", "admin",
             "--password-stdin", stdin="\n")  # an empty password: refused, nothing made
    assert r.returncode != 0 and "password" in r.stderr and "Traceback" not in r.stderr
    r = _cli(store, "users", "create", "boss", "--name", "王主任", "--party", "OFFICE", "--role", "admin")
    assert r.returncode != 0  # no password given and none to prompt for: never a default one
    r = _cli(store, "users", "create", "boss", "--name", "王主任", "--party", "OFFICE", "--role", "admin",
             "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    r = _cli(store, "users", "create", "zhou", "--name", "周", "--party", "NOPE", "--role", "inspector",
             "--area", "3301", "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode != 0 and "party" in r.stderr  # an unregistered party
    assert _cli(store, "users", "reset-password", "boss", "--password-stdin", stdin="another-password-1\n").returncode == 0
    listed = _cli(store, "users", "list").stdout
    assert "boss\t王主任\tOFFICE\tadmin\t\tactive" in listed and "$argon2" not in listed
    with open_store(store) as src, open_store(f"sqlite:///{tmp_path / 'b.db'}") as dst:
        copy_log(src, dst)
        assert sign_in(dst, "boss", "another-password-1") is not None and sign_in(dst, "boss", PASSWORD) is None
    assert _cli(store, "users", "disable", "boss").returncode == 0
    with open_store(store) as s:
        assert accounts(s)["boss"].disabled and sign_in(s, "boss", "another-password-1") is None
