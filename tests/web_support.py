"""Apps with real API keys for page tests."""

from __future__ import annotations

from foodtrace.api.app import create_app
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.keys import issue_key
from tests.builders import register


def app_with_key(settings, party: str = "REG", role: str = "inspector"):
    """The app over ``settings.store`` and a real key of ``role`` for ``party``."""
    store = open_store(settings.store, settings)
    if not store.get_parties([party]):
        capture(store, [register(party, "regulator" if role != "operator" else "supermarket", f"{party} office")])
    key = issue_key(store, party, role).key
    return create_app(settings, store=store), key


def inspector_app(settings, party: str = "REG"):
    return app_with_key(settings, party, "inspector")


def form_token(page_html: str) -> str:
    """The anti-forgery token a consumer page embeds in its report form."""
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', page_html)
    assert found, "the page has no report form token"
    return found.group(1)


PASSWORD = "a-long-test-password"


def app_with_person(settings, party: str = "REG", role: str = "inspector", login: str | None = None):
    """The app over ``settings.store`` and an account of ``role`` for ``party`` (password ``PASSWORD``);
    the app and the login."""
    from foodtrace.services.admin.users import create_user

    store = open_store(settings.store, settings)
    if not store.get_parties([party]):
        capture(store, [register(party, "regulator" if role != "operator" else "supermarket", f"{party} office")])
    login = login or f"{role}.{party}".lower()
    create_user(store, login, f"{role} of {party}", party, role, PASSWORD)
    return create_app(settings, store=store), login


def sign_in_here(page, login: str, password: str = PASSWORD) -> None:
    """On the sign-in page (where a page of a person sends a browser without a session): sign in and
    wait for the page it goes back to."""
    page.wait_for_selector("#signin")
    page.fill("#login", login)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("#submit")
