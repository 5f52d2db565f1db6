"""Sessions are shared by every worker and survive a restart: two apps over the same store file (two
``serve --workers`` processes) see one session table, beside the store as ``<name>.sessions.db``;
sign-out, disabling and the lockout hold in both; only the id's SHA-256 is stored."""

from __future__ import annotations

import hashlib
from pathlib import Path
import re
import sqlite3

from fastapi.testclient import TestClient

from foodtrace.api.app import create_app
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.sessions import session_db_path
from foodtrace.services.admin.users import create_user, disable_user, enable_user
from tests.builders import register
from tests.e2e.conftest import ORIGIN, PASSWORD, make_settings, sign_in


def _seed(tmp_path) -> None:
    with open_store(make_settings(tmp_path).store) as s:
        capture(s, [register("M1", "supermarket")])
        create_user(s, "li.clerk", "李店员", "M1", "operator", PASSWORD)


def _me(client: TestClient, sid: str) -> int:
    return client.get("/api/v1/me", headers={"Cookie": f"ft_session={sid}"}).status_code


def _csrf(client: TestClient, sid: str) -> str:
    page = client.get("/desk", headers={"Cookie": f"ft_session={sid}"}).text
    return re.search(r'data-csrf="([^"]+)"', page).group(1)


def test_a_session_made_by_one_worker_is_known_to_another_and_ends_in_both(tmp_path):
    _seed(tmp_path)
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        sid = sign_in(one, "li.clerk")
        assert _me(one, sid) == 200 and _me(two, sid) == 200
        assert two.get("/api/v1/me", headers={"Cookie": f"ft_session={sid}"}).json()["party"] == "M1"
        # the CSRF token of the session is the same in both: a page from one, a post to the other
        r = two.post("/signout", data={"csrf_token": _csrf(one, sid)}, headers={"Origin": ORIGIN,
                                                                             "Cookie": f"ft_session={sid}"},
                     follow_redirects=False)
        assert r.status_code == 303
        assert _me(one, sid) == 401 and _me(two, sid) == 401


def test_a_session_survives_a_restart_and_only_its_digest_is_stored(tmp_path):
    _seed(tmp_path)
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings)) as before:
        sid = sign_in(before, "li.clerk")
    with TestClient(create_app(settings)) as after:  # a new process over the same files
        assert _me(after, sid) == 200
    path = session_db_path(settings.store)
    assert Path(path).name == "api.sessions.db" and Path(path).parent == tmp_path
    raw = Path(path).read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("api.sessions.db-*"))
    assert sid.encode() not in raw
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT digest FROM sessions").fetchall() == [(hashlib.sha256(sid.encode()).hexdigest(),)]


def test_disabling_ends_the_session_in_every_worker_and_enabling_does_not_revive_it(tmp_path):
    _seed(tmp_path)
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        sid = sign_in(one, "li.clerk")
        with open_store(settings.store) as s:  # the command line, a third process
            disable_user(s, "li.clerk")
            assert _me(two, sid) == 401 and _me(one, sid) == 401
            enable_user(s, "li.clerk")
        assert _me(one, sid) == 401 and _me(two, sid) == 401  # a new sign-in is needed
        assert _me(two, sign_in(one, "li.clerk")) == 200


def test_the_lockout_counts_failures_in_every_worker(tmp_path):
    _seed(tmp_path)
    settings = make_settings(tmp_path, signin_failures_per_account=3)
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        def attempt(client, password):
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text).group(1)
            r = client.post("/signin", data={"login": "li.clerk", "password": password, "csrf_token": token},
                            headers={"Origin": ORIGIN}, follow_redirects=False)
            client.cookies.clear()
            return r.status_code

        assert [attempt(one, "wrong-password-1"), attempt(two, "wrong-password-2"),
                attempt(one, "wrong-password-3")] == [401, 401, 401]
        assert attempt(two, PASSWORD) == 429  # locked out on the other worker too, the right password included


def test_the_session_table_is_bounded(tmp_path, monkeypatch):
    from foodtrace.services.admin import sessions as kept

    monkeypatch.setattr(kept, "MAX_SESSIONS", 10)
    now = [1_000_000.0]
    store = kept.SessionStore(1800, 12 * 3600, kept.SessionDB(str(tmp_path / "s.sessions.db")), clock=lambda: now[0])
    ids = []
    for _ in range(12):
        now[0] += 1
        ids.append(store.create("li.clerk")[0])
    assert store.count() <= 10
    assert store.get(ids[-1]) is not None and store.get(ids[0]) is None  # the idlest went first
    now[0] += 1801  # and every idle one goes at the next sign-in
    store.create("zhou")
    assert store.count() == 1


def test_one_login_holds_a_bounded_number_of_sessions_and_evicts_only_its_own(tmp_path):
    from foodtrace.services.admin.sessions import MAX_SESSIONS_PER_LOGIN

    _seed(tmp_path)
    with open_store(make_settings(tmp_path).store) as s:
        create_user(s, "zhou", "周店员", "M1", "operator", PASSWORD)
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        other = sign_in(one, "zhou")
        mine = [sign_in((one, two)[i % 2], "li.clerk") for i in range(MAX_SESSIONS_PER_LOGIN + 5)]  # two workers
        assert [_me(one, sid) for sid in mine[:5]] == [401] * 5  # the earliest of this login ended
        assert all(_me(two, sid) == 200 for sid in mine[5:])
        assert _me(two, other) == 200  # another person's session is untouched
    with sqlite3.connect(session_db_path(settings.store)) as db:
        counts = dict(db.execute("SELECT login, count(*) FROM sessions GROUP BY login").fetchall())
    assert counts == {"li.clerk": MAX_SESSIONS_PER_LOGIN, "zhou": 1}
