"""The consumer view (GET /api/v1/public/lots/{code}, no key): what it shows,
what it never shows (checked on every lot of a demo district), its rate limit."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
import httpx
import pytest

from foodtrace.api.app import create_app
from foodtrace.demo.load import load_demo
from foodtrace.graph import open_store
from foodtrace.model.entry import EntryRefusal
from foodtrace.model.events import Certificate, Handoff, PartyRegistration, RetailSale
from tests.e2e.conftest import make_settings

# Keys that would carry quantities, prices, document or certificate numbers, ids, people or contacts.
PRIVATE_KEYS = {"quantity", "quantities", "unit", "price", "amount", "document", "number", "receipt", "id",
                "party", "parties", "from_party", "to_party", "issuer_id", "holders", "event_id", "measurements",
                "attributes", "contact", "phone", "mobile", "email", "address", "person", "owner",
                "legal_representative", "manager"}


def walk(value, path="$"):
    """Every (path, key, value) in a JSON document."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield path, k, v
            yield from walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, f"{path}[{i}]")


def private_values(store) -> set[str]:
    """Every party id, document number, certificate number in the log."""
    out: set[str] = set()
    for se in store.iter_log():
        ev = se.event
        out.add(ev.party)
        if isinstance(ev, PartyRegistration):
            out.add(ev.registered.id)
        if isinstance(ev, (Handoff, EntryRefusal)) and ev.document:
            out.add(ev.document)
        if isinstance(ev, Handoff):
            out.update((ev.from_party, ev.to_party))
        if isinstance(ev, Certificate):
            out.update((ev.number, ev.issuer))
    return out


def all_codes(store) -> list[str]:
    codes: set[str] = set()
    for se in store.iter_log():
        ev = se.event
        codes.update(s.code for s in ev.created_lots())
        codes.update(ev.used_lots())
        if isinstance(ev, RetailSale):
            codes.add(ev.receipt)
    return sorted(codes)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("public"))
    store = open_store(settings.store)
    district = load_demo(store, events=3000)
    with TestClient(create_app(settings, store=store)) as client:
        yield client, store, district
    store.close()


async def fetch_all(app, paths: list[str]) -> list[httpx.Response]:
    """GET each path from the app in one event loop (cheaper per request than TestClient's portal)."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        return [await c.get(p) for p in paths]


def test_no_private_field_on_any_lot_of_the_demo_district(demo):
    client, store, _ = demo
    private = private_values(store)
    codes = all_codes(store)
    assert len(codes) > 1500
    paths = [f"/api/v1/public/lots/{c}" for c in codes]
    with ThreadPoolExecutor(1) as pool:  # its own event loop, whatever runs in this thread
        responses = pool.submit(asyncio.run, fetch_all(client.app, paths)).result()
    for code, r in zip(codes, responses):
        assert r.status_code == 200, code
        for path, key, value in walk(r.json()):
            assert key not in PRIVATE_KEYS, (code, path, key)
            assert not (isinstance(value, (int, float)) and not isinstance(value, bool)), (code, path, key, value)
            assert not (isinstance(value, str) and value in private), (code, path, key, value)


def test_a_receipt_shows_its_journey_certificates_and_origin(demo):
    client, store, district = demo
    v = client.get(f"/api/v1/public/lots/{district.sample_receipt}").json()
    assert v["code"] == district.sample_receipt and v["product"] == "pork" and v["product_label"]["zh"] == "猪肉"
    assert v["origins"][0]["kind"] in ("scale_farm", "household_farm") and v["origins"][0]["name"]
    assert v["slaughtered_at"] and v["harvested_at"] is None
    steps = [s["step"] for s in v["journey"]]
    assert steps[0] == "raising" and "slaughter" in steps and steps[-1] == "retail_sale"
    assert steps.index("slaughter") < steps.index("retail_sale")
    kinds = {(c["kind"], c["result"]) for c in v["certificates"]}
    assert {("animal_quarantine", "pass"), ("clenbuterol_test", "pass"), ("meat_quality", "pass")} <= kinds
    assert [b["kind"] for b in v["businesses"]][:2] == [v["origins"][0]["kind"], "designated_slaughterhouse"]
    assert v["recalled"] is False and v["complete"] is True


def test_a_failed_test_shows_as_failed(demo):
    client, _, district = demo
    failed = next(p for p in district.planted if p["kind"] == "failed_test")
    v = client.get(f"/api/v1/public/lots/{failed['lot']}").json()
    assert ("clenbuterol_test", "fail") in {(c["kind"], c["result"]) for c in v["certificates"]}


def test_unknown_lot_404(demo):
    client, _, _ = demo
    r = client.get("/api/v1/public/lots/NO-SUCH-CODE")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_rate_limit_429_with_retry_after(tmp_path):
    settings = make_settings(tmp_path).model_copy(update={"public_rate_per_minute": 1, "public_burst": 3})
    with TestClient(create_app(settings)) as client:
        codes = [client.get("/api/v1/public/lots/NOPE").status_code for _ in range(3)]
        assert codes == [404, 404, 404]
        r = client.get("/api/v1/public/lots/NOPE")
        assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(r.headers["retry-after"]) <= 60
        page = client.get("/l/NOPE", headers={"accept": "text/html"})  # the browser page shares the bucket
        assert page.status_code == 429 and page.headers["content-type"].startswith("text/html")
