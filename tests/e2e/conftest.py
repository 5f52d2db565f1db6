"""The real app over a real SQLite file, with API keys of every role and, on demand, signed-in
people of every role (sessions made through the real sign-in page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.keys import issue_key
from foodtrace.services.admin.users import create_user
from tests.builders import pork_chain, register

ORIGIN = "http://testserver"  # the TestClient's own site
# Signed-in people the tests may ask for: 's_<who>' -> (party, role)
PEOPLE = {"admin": ("ADMIN", "admin"), "inspector": ("INS", "inspector"), "op_M1": ("M1", "operator"),
          "op_X1": ("X1", "operator"), "viewer": ("INS", "viewer"),
          "station": ("INS", "inspector", ("3301",))}  # an inspector of the pork chain's city (its areas)
PASSWORD = "a-long-test-password"


OPERATORS = ("F1", "S1", "W1", "M1", "X1")  # X1: a supermarket the pork chain never touched


def sign_in(client: TestClient, login: str, password: str = PASSWORD) -> str:
    """Sign in through the sign-in page as a browser would; the session id. The client's cookie jar
    is left empty (tests send the cookie explicitly, per request)."""
    import re

    page = client.get("/signin")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post("/signin", data={"login": login, "password": password, "csrf_token": token},
                    headers={"Origin": ORIGIN}, follow_redirects=False)
    assert r.status_code == 303, r.text
    sid = r.cookies.get("ft_session")
    client.cookies.clear()
    return sid


@dataclass
class Api:
    client: TestClient
    store: object
    keys: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, tuple[str, str]] = field(default_factory=dict)

    def h(self, who: str | None) -> dict[str, str]:
        """Headers for a caller: 'admin', 'inspector', 'viewer', 'op_<party>' (API keys), 's_<one of
        those>' (a signed-in person of that party and role: cookie, CSRF token, Origin), or None."""
        if who and who.startswith("s_"):
            sid, csrf = self.session(who)
            return {"Cookie": f"ft_session={sid}", "X-CSRF-Token": csrf, "Origin": ORIGIN}
        return {"Authorization": f"Bearer {self.keys[who]}"} if who else {}

    def session(self, who: str) -> tuple[str, str]:
        """A signed-in person ``who`` ('s_inspector'…), made on first use: account, sign-in, CSRF token."""
        if who not in self.sessions:
            party, role, *areas = PEOPLE[who[2:]]
            login = who.lower().replace("_", "-")
            create_user(self.store, login, f"Person {who}", party, role, PASSWORD, areas=areas[0] if areas else ())
            self.sessions[who] = self._signed_in(login)
        return self.sessions[who]

    def _signed_in(self, login: str) -> tuple[str, str]:
        import re

        sid = sign_in(self.client, login)
        # the CSRF token is on every page of a signed-in person; the desk or console shows it to its role
        for page in ("/admin", "/console", "/desk"):
            r = self.client.get(page, headers={"Cookie": f"ft_session={sid}"}, follow_redirects=False)
            found = re.search(r'data-csrf="([^"]+)"', r.text)
            if found:
                return sid, found.group(1)
        return sid, "no-page-for-this-role"  # a viewer: it has no state-changing page


def make_settings(tmp_path, **kw) -> Settings:
    return Settings(store=f"sqlite:///{tmp_path / 'api.db'}", max_batch_events=50, public_rate_per_minute=60_000,
                    public_burst=10_000, **kw)


@pytest.fixture
def api(tmp_path):
    """The pork chain (F1 farm -> S1 slaughterhouse -> W1 wholesaler -> M1 supermarket -> receipt RCPT),
    an unrelated supermarket X1, an inspector INS, and a key for each."""
    with TestClient(create_app(make_settings(tmp_path))) as client:
        store = client.app.state.store
        capture(store, pork_chain() + [register("X1", "supermarket"), register("INS", "regulator", "District office")])
        a = Api(client, store)
        a.keys["admin"] = issue_key(store, "ADMIN", "admin").key
        a.keys["inspector"] = issue_key(store, "INS", "inspector").key
        for p in OPERATORS:
            a.keys[f"op_{p}"] = issue_key(store, p, "operator").key
        a.keys["viewer"] = issue_key(store, "INS", "viewer").key
        yield a


@pytest.fixture
def client(tmp_path):
    """An empty store; the client sends an admin key."""
    with TestClient(create_app(make_settings(tmp_path))) as c:
        c.headers["Authorization"] = f"Bearer {issue_key(c.app.state.store, 'ADMIN', 'admin').key}"
        yield c
