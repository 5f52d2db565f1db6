"""The inspector console in a real browser: the trace graph (cytoscape.js, vendored) with a failed
test marked, a recall previewed with the holders and quantities and started only on confirmation,
the CSV in the page's language; a 1,000-lot forward trace in one screen, grouped, without
overlapping labels; Chinese and English, phone and desktop."""

from __future__ import annotations

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.browser_support import serve


def shot_dir(tmp_path):
    """Where screenshots go: FOODTRACE_SCREENSHOTS (e.g. docs/screenshots, to refresh the guide's), else the test's tmp_path."""
    import os
    from pathlib import Path

    return Path(os.environ.get("FOODTRACE_SCREENSHOTS") or tmp_path)
from tests.builders import cert, pork_chain
from tests.web_support import app_with_person, sign_in_here


def test_console_draws_the_graph_and_a_recall_lists_the_holders(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    with open_store(url) as s:
        capture(s, pork_chain() + [cert(["CARC"], "clenbuterol_test", issuer="REG", result="fail")])
    app, login = app_with_person(Settings(store=url), "REG", "inspector")
    from foodtrace.services.supervision import record_inspection
    from tests.builders import actor

    with open_store(url) as s:
        record_inspection(s, actor("inspector", "REG"), "S1", "rectification", ["Li"], findings=["carcass stored warm"], lots=["CARC"],
                          notice_number="ZG-1", inspection_id="JC-CARC")
    for (w, h), lang in (((1280, 860), "en"), ((375, 812), "zh")):
        ctx = browser.new_context(viewport={"width": w, "height": h}, locale="zh-CN", accept_downloads=True)
        page = ctx.new_page()
        with serve(app) as base:
            page.goto(f"{base}/console?lang={lang}")
            sign_in_here(page, login)
            page.fill("#code", "CARC")
            page.click("#search button[type=submit]")
            page.wait_for_selector("#graph[data-ready]")
            nodes = graph_nodes(page)
            assert len(nodes) == 5 and page.evaluate("() => window.consoleGraph.edges().length") == 4
            carc = nodes["lot:CARC"]
            assert "failed_test" in carc["marks"] and ("检测不合格" if lang == "zh" else "failed test") in carc["label"]
            assert nodes["lot:PIG"]["marks"] == ""
            page.evaluate("() => window.consoleGraph.getElementById('lot:CARC').emit('tap')")
            assert "CARC" in page.inner_text("#detail")
            page.wait_for_selector("#supervision li.record")
            rec = page.locator('#supervision li.record[data-type="inspection"]')
            assert rec.count() == 1 and "JC-CARC" in rec.inner_text()
            assert ("监督检查" if lang == "zh" else "inspection") in rec.inner_text()
            with page.expect_download() as dl:
                page.click("#csv")
            csv_text = dl.value.path().read_text(encoding="utf-8-sig")
            header = csv_text.splitlines()[0]
            assert header.startswith("方向,层级,追溯码" if lang == "zh" else "direction,depth,trace code")
            assert "RCPT" in csv_text and "City Slaughterhouse (S1)" in csv_text.replace("（", " (").replace("）", ")")
            assert ("上游" if lang == "zh" else "upstream") in csv_text and "live_pig" not in csv_text
            page.screenshot(path=str(shot_dir(tmp_path) / f"console-graph-{lang}.png"), full_page=True)
            if lang == "en":
                page.fill("#reason", "clenbuterol in the carcass")
                page.click("#recall button[type=submit]")
                page.wait_for_selector("#recall-confirm")  # a preview: nothing recorded yet
                table = page.locator("#recall-preview table").inner_text()
                assert "City Slaughterhouse" in table and "W1" in table and "M1" in table
                assert "100" in table and "40" in table  # quantities received by the wholesaler, the supermarket
                status = page.request.get(f"{base}/api/v1/recall-status/CARC")  # in the session
                assert status.ok and status.json()["recalled"] is False
                page.screenshot(path=str(shot_dir(tmp_path) / "console-recall-preview.png"), full_page=True)
                ready = page.get_attribute("#graph", "data-ready")
                page.click("#recall-confirm")
                page.wait_for_selector("#recall-id")
                assert page.locator("#recall-result tr.holder").count() >= 3
                page.wait_for_function(f"() => document.getElementById('graph').dataset.ready !== '{ready}'")
                assert "recalled" in graph_nodes(page)["lot:CARC"]["marks"]  # the graph is drawn again
                page.screenshot(path=str(shot_dir(tmp_path) / "console-recall.png"), full_page=True)
        ctx.close()


def test_console_without_a_session_sends_to_sign_in(page, tmp_path):
    url = f"sqlite:///{tmp_path / 'n.db'}"
    with open_store(url) as s:
        capture(s, pork_chain())
    with serve(create_app(Settings(store=url))) as base:
        page.goto(f"{base}/console?lang=en")
        assert "/signin?next=" in page.url
        assert page.locator("#signin").count() == 1 and page.locator("#code").count() == 0
        assert page.locator("#key").count() == 0  # no key is ever asked for


def graph_nodes(page) -> dict:
    return page.evaluate("""() => Object.fromEntries(window.consoleGraph.nodes().map(n => [n.id(), {
        label: n.data('label'), marks: n.data('marks'), type: n.data('type'), count: n.data('count'),
        box: n.renderedBoundingBox({includeLabels: false}),
        text: n.renderedBoundingBox({includeNodes: false, includeLabels: true, includeOverlays: false})}]))""")


def overlaps(a: dict, b: dict) -> bool:
    return a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]


def test_a_thousand_lot_forward_trace_fits_one_screen_grouped(browser, tmp_path):
    from tests.builders import fanout_pork

    url = f"sqlite:///{tmp_path / 'k.db'}"
    with open_store(url) as s:
        capture(s, fanout_pork())
    app, login = app_with_person(Settings(store=url), "REG", "inspector")
    with serve(app) as base:
        for (w, h), lang in (((1280, 860), "zh"), ((375, 812), "en")):
            ctx = browser.new_context(viewport={"width": w, "height": h}, accept_downloads=True)
            page = ctx.new_page()
            page.goto(f"{base}/console?lang={lang}")
            sign_in_here(page, login)
            page.fill("#code", "PIGS")
            page.click("#search button[type=submit]")
            page.wait_for_selector("#graph[data-ready]")
            nodes = graph_nodes(page)
            assert sum(n["count"] for n in nodes.values()) == 1001 and len(nodes) <= 20
            assert ("1001" in page.inner_text("#summary"))
            area = page.evaluate("() => document.getElementById('graph').getBoundingClientRect().toJSON()")
            for n in nodes.values():  # every node in the graph's box, every label inside its own node
                b, t = n["box"], n["text"]
                assert -1 <= b["x1"] and b["x2"] <= area["width"] + 1 and -1 <= b["y1"] and b["y2"] <= area["height"] + 1
                assert b["x1"] - 1 <= t["x1"] and t["x2"] <= b["x2"] + 1 and b["y1"] - 1 <= t["y1"] and t["y2"] <= b["y2"] + 1
            boxes = list(nodes.values())
            assert not [(a["label"], b["label"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                        if overlaps(a["box"], b["box"])]
            if w > 1000:  # readable without zooming on a desktop screen
                assert page.evaluate("() => window.consoleGraph.zoom()") >= 0.6
            assert page.evaluate("() => document.documentElement.scrollWidth") <= w  # no sideways overflow
            page.screenshot(path=str(shot_dir(tmp_path) / f"console-1000-{lang}.png"), full_page=True)
            groups = [k for k, n in nodes.items() if n["type"] == "kind_group"]
            assert groups, nodes.keys()
            ready = page.get_attribute("#graph", "data-ready")
            page.evaluate(f"() => window.consoleGraph.getElementById({groups[0]!r}).emit('tap')")  # open a group
            page.wait_for_function(f"() => document.getElementById('graph').dataset.ready !== '{ready}'")
            opened = graph_nodes(page)
            assert groups[0] not in opened and len(opened) > len(nodes)
            ready = page.get_attribute("#graph", "data-ready")
            page.fill("#find-code", "R07-33")  # a lot inside a group: drawn on its own and selected
            page.click("#find button[type=submit]")
            page.wait_for_function(f"() => document.getElementById('graph').dataset.ready !== '{ready}'")
            assert "lot:R07-33" in graph_nodes(page)
            assert page.evaluate("() => window.consoleGraph.getElementById('lot:R07-33').selected()")
            assert "R07-33" in page.inner_text("#detail")
            page.fill("#find-code", "NOPE")
            page.click("#find button[type=submit]")
            page.wait_for_function("() => document.getElementById('find-note').textContent.length > 0")
            ctx.close()
