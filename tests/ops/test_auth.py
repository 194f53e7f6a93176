"""Every route refuses without a session; cookies, CSRF and login links behave."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount

from bot.ops.app import COOKIE, create_app
from bot.ops.auth import Signer
from bot.settings import Settings
from bot.store.store import LogStore
from tests.conftest import make_settings
from tests.ops.conftest import PASSWORD, csrf_of, login

OPEN = {"/login", "/login/token"}


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


def test_every_route_refuses_without_login(app: FastAPI, anonymous: TestClient) -> None:
    checked = 0
    for route in app.routes:
        if isinstance(route, Mount):
            assert route.path == "/static"
            continue
        assert isinstance(route, APIRoute)
        if route.path in OPEN:
            continue
        for method in route.methods:
            response = anonymous.request(method, concrete(route.path))
            if route.path.startswith("/api/"):
                assert response.status_code == 401, route.path
                assert response.json() == {"detail": "login required"}
            else:
                assert response.status_code == 303, route.path
                assert response.headers["location"] == "/login"
            checked += 1
    assert checked >= 12


def test_only_login_and_static_are_open(app: FastAPI, anonymous: TestClient) -> None:
    open_routes = {r.path for r in app.routes if isinstance(r, APIRoute) and r.path in OPEN}
    assert open_routes == OPEN
    assert anonymous.get("/login").status_code == 200
    assert anonymous.get("/static/ops.css").status_code == 200
    assert anonymous.get("/static/../api/messages").status_code in {401, 404}


def test_tampered_or_foreign_cookies_are_refused(
    app: FastAPI, store: LogStore, tmp_path: Path
) -> None:
    client = login(TestClient(app, follow_redirects=False))
    good = client.cookies[COOKIE]
    other = create_app(make_settings(tmp_path, ops_password="another password"), store)
    for bad in (good[:-1] + ("0" if good[-1] != "0" else "1"), "a.b.c.d", ""):
        forged = TestClient(app, follow_redirects=False, cookies={COOKIE: bad})
        assert forged.get("/api/messages").status_code == 401
    stranger = TestClient(other, follow_redirects=False, cookies={COOKIE: good})
    assert stranger.get("/api/messages").status_code == 401
    assert TestClient(app, cookies={COOKIE: good}).get("/api/messages").status_code == 200


def test_session_cookie_flags(anonymous: TestClient) -> None:
    login(anonymous)
    form = anonymous.get("/login")
    nonce = re.search(r'name="csrf" value="([0-9a-f]+)"', form.text)
    assert nonce is not None
    done = anonymous.post("/login", data={"password": PASSWORD, "csrf": nonce.group(1)})
    cookie = next(c for c in done.headers.get_list("set-cookie") if c.startswith(COOKIE + "="))
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "path", "max-age"} <= flags
    assert "samesite=lax" in cookie.lower()
    assert "secure" not in flags


def test_secure_flag_when_configured(ops_settings: Settings, store: LogStore) -> None:
    app = create_app(ops_settings.model_copy(update={"ops_cookie_secure": True}), store)
    client = TestClient(app, follow_redirects=False)
    form = client.get("/login")
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', form.text)
    assert token is not None
    done = client.post("/login", data={"password": PASSWORD, "csrf": token.group(1)})
    assert "; secure" in done.headers["set-cookie"].lower()


def test_wrong_password_and_missing_login_csrf(anonymous: TestClient) -> None:
    form = anonymous.get("/login")
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', form.text)
    assert token is not None
    wrong = anonymous.post("/login", data={"password": "nope", "csrf": token.group(1)})
    assert wrong.headers["location"] == "/login?error=1"
    assert COOKIE not in anonymous.cookies
    assert anonymous.post("/login", data={"password": PASSWORD}).status_code == 403
    fresh = TestClient(anonymous.app, follow_redirects=False)
    forged = fresh.post("/login", data={"password": PASSWORD, "csrf": token.group(1)})
    assert forged.status_code == 403


def test_csrf_is_checked_on_every_form(client: TestClient, ids: dict[str, str]) -> None:
    url = f"/messages/{ids['tax']}/verdict"
    assert client.post(url, data={"value": "gap"}).status_code == 403
    assert client.post(url, data={"value": "gap", "csrf": "0" * 32}).status_code == 403
    assert client.post("/logout", data={"csrf": "bad"}).status_code == 403
    token = csrf_of(client)
    assert client.post(url, data={"value": "gap", "csrf": token}).status_code == 303
    done = client.post("/logout", data={"csrf": token})
    assert done.status_code == 303 and COOKIE not in client.cookies


def test_login_link_works_once(app: FastAPI, anonymous: TestClient) -> None:
    token = app.state.ops.signer.login_link_token()
    first = anonymous.get(f"/login/token?t={token}")
    assert first.status_code == 303 and first.headers["location"] == "/"
    assert anonymous.get("/").status_code == 200
    again = TestClient(app, follow_redirects=False)
    assert again.get(f"/login/token?t={token}").headers["location"] == "/login?error=1"
    session = app.state.ops.signer.issue()
    assert again.get(f"/login/token?t={session}").headers["location"] == "/login?error=1"


def test_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"


def test_no_password_no_app(store: LogStore, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="ADVISOR_OPS_PASSWORD"):
        create_app(make_settings(tmp_path), store)


def test_expired_session_is_refused() -> None:
    signer = Signer(PASSWORD, lifetime=-1)
    assert not signer.valid(signer.issue())
    assert Signer(PASSWORD).valid(Signer(PASSWORD).issue())
