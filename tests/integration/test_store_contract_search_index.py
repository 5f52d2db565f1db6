"""``GraphStore.search`` on every backend equal to the contract's reference (``graph.derived.search_log``,
``GraphStore.search``) for the texts an index gets wrong most easily: casefolding beyond ASCII (``ß``/``ẞ``,
the Kelvin sign, final sigma), quotes, SQL wildcards, queries under three characters, common substrings
cut at ``limit``, a lot renamed, unconfirmed and recreated; and the embedded store's search index
(``graph/search_index.py``): each way a query can take, and a store written before the index."""

from __future__ import annotations

import sqlite3

import pytest

from foodtrace.graph import open_store, search_index
from foodtrace.graph.store import GraphStore
from foodtrace.ingest.capture import capture
from tests.builders import commission, register, retract, transform, with_id

NAMES = {"L-STR-1": "Straße Wurst", "L-STR-2": "STRASSE", "L-KEL-1": "10 \u212a pack", "L-SIG-1": "ΟΔΟΣ σπίτι",
         "L-Q-1": 'say "hi" there', "L-PCT-1": "100% pork_belly", "L-ZH-1": "白条猪肉（二分体）", "L-ECL": "Éclair",
         "ẞIG-LOT": None, "l-lower": "small"}
TEXTS = ["strasse", "STRASSE", "straße", "ẞ", "ß", "ss", "SS", "k", "\u212a", "K pack", "οδος", "ΟΔΟΣ", "ς", "σ",
         '"hi"', '"', "'", "%", "_", "0%", "%_", "pork_b", "猪", "白条", "猪肉（", "（二分体）", "éclair", "ÉCL", "é",
         "l-", "L-", "lot", "l-s", "-1 ", "ẞig", "ssig", "-1", "1", "zzzz", "", " ", "L-STR-1"]


def lots_events() -> list[dict]:
    out = [register("SS-7", "supermarket", "Straßenmarkt"), register("F_2", name="王某养殖户"),
           register("Q1", name='The "Quoted" Farm')]
    for code, name in NAMES.items():
        ev = commission(code, product="pork", unit="kg")
        if name is not None:
            ev["lots"][0]["name"] = name
        out.append(ev)
    out.append(transform(["L-GHOST-9"], ["L-OUT-9"]))  # an input not yet known: a placeholder
    return out


def same_as_reference(store, texts=TEXTS, limits=(1, 3, 50)) -> None:
    for text in texts:
        for limit in limits:
            assert store.search(text, limit) == GraphStore.search(store, text, limit), (text, limit)


def test_search_casefolds_as_the_reference(store):
    capture(store, lots_events())
    assert [x.code for x in store.search("strasse").lots] == ["L-STR-1", "L-STR-2"]
    assert [x.code for x in store.search("ẞ").lots] == ["L-STR-1", "L-STR-2", "ẞIG-LOT"]  # ẞ and ß fold to ss
    assert [p.id for p in store.search("STRASSEN").parties] == ["SS-7"]
    assert [x.code for x in store.search("k pack").lots] == ["L-KEL-1"]  # the Kelvin sign folds to k
    assert [x.code for x in store.search("ΟΔΟς").lots] == ["L-SIG-1"]
    assert [x.code for x in store.search('"hi" t').lots] == ["L-Q-1"]
    assert [p.id for p in store.search('"quoted"').parties] == ["Q1"]
    assert [x.code for x in store.search("0% pork_").lots] == ["L-PCT-1"] and store.search("0_ ").lots == []
    assert [x.code for x in store.search("ghost").lots] == ["L-GHOST-9"]  # placeholders count
    assert [x.code for x in store.search("（二分").lots] == ["L-ZH-1"]
    same_as_reference(store)


def test_search_follows_a_lot_renamed_unconfirmed_and_recreated(store):
    first = with_id({**commission("L-RE-1", product="pork", unit="kg")}, "c1")
    first["lots"][0]["name"] = "Alpha ribs"
    capture(store, [first])
    assert [x.code for x in store.search("alpha").lots] == ["L-RE-1"]
    capture(store, [with_id(retract("c1", party="F1"), "x1")])  # back to a placeholder: no name
    assert store.search("alpha").lots == [] and [x.code for x in store.search("re-1").lots] == ["L-RE-1"]
    again = with_id(commission("L-RE-1", product="pork", unit="kg"), "c2")
    again["lots"][0]["name"] = "Bravo loin"
    capture(store, [again])
    assert store.search("alpha").lots == [] and [x.name for x in store.search("BRAVO").lots] == ["Bravo loin"]
    capture(store, [{**register("SS-7", "supermarket", "Old name")}])
    capture(store, [{**register("SS-7", "supermarket", "New name"), "event_time": "2025-03-02T08:00:00+08:00"}])
    assert store.search("old name").parties == [] and [p.id for p in store.search("new NAME").parties] == ["SS-7"]
    same_as_reference(store, ["alpha", "bravo", "re-1", "name", "ss-7", "al", "lo"])


@pytest.fixture(params=["memory", "sqlite"])
def embedded(request, tmp_path):
    s = open_store("memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'store.db'}")
    yield s
    s.close()


def test_every_way_of_the_index_gives_the_reference(embedded, monkeypatch):
    """Small bounds, so that the capped MATCH overflows, the walk in key order runs out, and the whole
    MATCH or the scan of the casefolded text answers — each still the reference's answer."""
    events = lots_events()
    events += [commission(f"L-{i:03d}-X", product="pork", unit="kg") for i in reversed(range(40))]  # not in code order
    events += [commission(f"M-{i:02d}-Y", product="pork", unit="kg") for i in range(12)]  # in code order
    capture(embedded, events)
    assert search_index.is_complete(embedded.conn)
    for cap, first, page, walk_us in ((2, 1, 2, 1.2), (5, 3, 1, 0.001), (3, 2, 3, 1000.0), (1000, 1000, 2, 1.2)):
        for name, value in (("CAP", cap), ("CAP_SHORT", cap), ("FIRST", first), ("PAGE", page), ("WALK_US", walk_us)):
            monkeypatch.setattr(search_index, name, value)
        more = ["-x", "L-03", "0-x", "x", "-00", "03", "9-", "-y", "m-0", "-Y"]
        same_as_reference(embedded, TEXTS + more, limits=(1, 3, 7, 50))


def old_store(path) -> None:
    """A store as a version before the search index left it: lots and parties, no index."""
    with open_store(f"sqlite:///{path}") as s:
        capture(s, lots_events() + [commission(f"L-{i:03d}-X", product="pork", unit="kg") for i in range(30)])
    con = sqlite3.connect(path)
    con.execute("DROP TABLE lot_search")
    con.execute("DROP TABLE party_search")
    con.execute("DELETE FROM meta WHERE key LIKE 'search_index%'")
    con.commit()
    con.close()


def test_a_store_written_before_the_index_answers_then_gets_it_in_the_background(tmp_path):
    path = tmp_path / "old.db"
    old_store(path)
    with open_store(f"sqlite:///{path}") as s:
        assert not search_index.is_complete(s.conn)
        ascii_texts = ["l-", "STR", "pork_b", "%", "_", "猪", "ghost", "ss-7", "1"]
        same_as_reference(s, ascii_texts)  # LIKE meanwhile: the same answers where ASCII case is all there is
        assert s._indexer is not None and s._indexer.wait(30)
        assert search_index.is_complete(s.conn)
        same_as_reference(s)
        capture(s, [commission("L-NEW-Straße", product="pork", unit="kg")])
        assert [x.code for x in s.search("new-strasse").lots] == ["L-NEW-Straße"]


def test_prepare_search_indexes_once_and_resumes(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    old_store(path)
    monkeypatch.setattr(search_index, "BUILD_PAGE", 7)
    con = sqlite3.connect(path, isolation_level=None)
    con.executescript(search_index.SEARCH_SCHEMA)
    stop, seen = search_index.threading.Event(), []

    def halt(done, total):
        seen.append((done, total))
        stop.set()

    assert search_index.build(con, halt, stop) == 7 and not search_index.is_complete(con)  # stopped after a page
    con.close()
    with open_store(f"sqlite:///{path}") as s:
        steps = []
        n = s.prepare_search(lambda done, total: steps.append((done, total)))
        lots, parties = s.counts()["lots"], s.counts()["parties"]
        assert n == lots + parties - 7 and steps[-1] == (n, n)  # resumed where it stopped
        assert search_index.is_complete(s.conn) and s.prepare_search() == 0
        assert s._indexer is None
        same_as_reference(s)
