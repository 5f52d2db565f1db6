"""Public warnings over HTTP and the CLI: an inspector publishes a consumption
warning through the write door; /warnings, its Atom feed and the JSON list show
it with the office's recalls, newest first; an operator may not publish."""

from __future__ import annotations

import xml.etree.ElementTree as ET


ATOM = "{http://www.w3.org/2005/Atom}"
WARNING = {"title": "关于谨慎购买散装猪肉的消费警示", "text": "请查看检疫合格证明。", "products": ["pork"],
           "lots": ["RCPT"], "event_time": "2025-03-02T09:00:00+08:00"}


def test_inspector_publishes_and_the_public_reads_newest_first(api):
    from foodtrace.services.safety.recall import start_recall

    c = api.client
    r = c.post("/api/v1/warnings", json=WARNING, headers=api.h("inspector"))
    assert r.status_code == 201, r.text
    wid = r.json()["id"]
    assert r.json()["title_en"] is None and r.json()["lots"] == ["RCPT"]
    newer = {**WARNING, "title": "蔬菜消费提示", "text": "浸泡清洗。", "title_en": "Vegetables: soak them",
             "text_en": "Soak and rinse them.", "products": ["cabbage"], "lots": [],
             "event_time": "2025-06-01T09:00:00+08:00"}
    assert c.post("/api/v1/warnings", json=newer, headers=api.h("inspector")).status_code == 201
    start_recall(api.store, ["CARC"], reason="瘦肉精超标", at=__import__("datetime").datetime.fromisoformat(
        "2025-04-01T09:00:00+08:00"))
    listed = c.get("/api/v1/public/warnings").json()
    assert [n["kind"] for n in listed] == ["warning", "recall", "warning"]  # newest first
    assert listed[1]["quote"] == "瘦肉精超标"  # the office's own words, as written
    page = c.get("/warnings?lang=en", headers={"accept": "text/html"}).text
    assert "Vegetables: soak them" in page and f'id="{wid}"' in page
    assert '<h2 lang="zh-CN">关于谨慎购买散装猪肉的消费警示</h2>' in page  # published in Chinese only
    feed = c.get("/warnings.atom?lang=zh")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert titles[0] == "消费警示: 蔬菜消费提示" and len(titles) == 3
    # the recalled receipt's page links to the notice
    consumer = c.get("/l/RCPT?lang=zh", headers={"accept": "text/html"}).text
    rid = listed[1]["id"]
    assert f'href="/warnings?lang=zh#{rid}"' in consumer and "v-recalled" in consumer


def test_an_operator_may_not_publish_and_bad_input_names_the_field(api):
    c = api.client
    assert c.post("/api/v1/warnings", json=WARNING, headers=api.h("op_M1")).status_code == 403
    assert c.post("/api/v1/warnings", json=WARNING).status_code == 401
    r = c.post("/api/v1/warnings", json={**WARNING, "products": []}, headers=api.h("inspector"))
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "products"
    r = c.post("/api/v1/warnings", json={**WARNING, "title": "x" * 501}, headers=api.h("inspector"))
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "title"
    r = c.post("/api/v1/warnings", json={**WARNING, "lots": ["NO-SUCH"]}, headers=api.h("inspector"))
    assert r.status_code == 404
    assert c.get("/api/v1/public/warnings").json() == []  # nothing half-stored
