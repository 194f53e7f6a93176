"""The operators' review page: conversations, transcripts, dashboard, knowledge gaps, exports.

Every route but the login routes and ``/static`` needs the session cookie: pages redirect to
``/login``, ``/api/*`` answers 401. State-changing forms carry a CSRF token.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Form, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from bot.ops.auth import COOKIE, LOGIN_COOKIE, Signer
from bot.settings import Settings
from bot.store.store import LogStore

HERE = Path(__file__).resolve().parent
Deliver = Callable[[int, str], Awaitable[None]]
OPEN_PATHS = frozenset({"/login", "/login/token"})
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
log = logging.getLogger(__name__)


@dataclass
class Ops:
    """What the routes use, kept on ``app.state.ops``."""

    settings: Settings
    store: LogStore
    signer: Signer
    templates: Jinja2Templates
    deliver: Deliver | None

    def page(self, request: Request, name: str, **values: Any) -> HTMLResponse:
        """Render a template with the CSRF token of the request's session."""
        cookie = request.cookies.get(COOKIE, "")
        values["csrf"] = self.signer.csrf(cookie) if cookie else ""
        return self.templates.TemplateResponse(request, name, values)

    def check_csrf(self, request: Request, token: str) -> None:
        """Refuse a state-changing request whose CSRF token does not match its session."""
        if not self.signer.csrf_ok(request.cookies.get(COOKIE), token):
            raise HTTPException(403, "bad CSRF token")

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """A store call off the event loop."""
        return await asyncio.to_thread(fn, *args)


def ops_of(request: Request) -> Ops:
    """The app's ``Ops`` (a FastAPI dependency)."""
    ops = request.app.state.ops
    assert isinstance(ops, Ops)
    return ops


def create_app(settings: Settings, store: LogStore, deliver: Deliver | None = None) -> FastAPI:
    """The review app; ``deliver(chat_id, text)`` sends an operator's reply to a seller."""
    from bot.ops import exports, views

    if settings.ops_password is None:
        raise ValueError("ADVISOR_OPS_PASSWORD is not set")
    app = FastAPI(
        title="Seller Advisor operators", docs_url=None, redoc_url=None, openapi_url=None
    )
    app.state.ops = Ops(
        settings=settings,
        store=store,
        signer=Signer(settings.ops_password.get_secret_value(), settings.ops_session_hours * 3600),
        templates=Jinja2Templates(directory=str(HERE / "templates")),
        deliver=deliver,
    )
    app.middleware("http")(_require_login)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    register_login(app)
    views.register(app)
    exports.register(app)
    return app


def is_open(path: str) -> bool:
    """Paths served without a session: the login routes and the style sheet."""
    return path in OPEN_PATHS or (path.startswith("/static/") and ".." not in path)


async def _require_login(request: Request, call_next: Any) -> Response:
    ops = ops_of(request)
    path = request.url.path
    if is_open(path) or ops.signer.valid(request.cookies.get(COOKIE)):
        response: Response = await call_next(request)
    elif path.startswith("/api/"):
        response = JSONResponse({"detail": "login required"}, status_code=401)
    else:
        response = RedirectResponse("/login", status_code=303)
    response.headers.update(HEADERS)
    return response


def _set_session(ops: Ops, response: Response) -> None:
    response.set_cookie(
        COOKIE,
        ops.signer.issue(),
        max_age=int(ops.signer.lifetime),
        httponly=True,
        samesite="lax",
        secure=ops.settings.ops_cookie_secure,
    )


def register_login(app: FastAPI) -> None:
    """Add ``/login`` (form, with a pre-session CSRF cookie), ``/login/token``, ``/logout``."""

    @app.get("/login", response_class=HTMLResponse)
    async def login_form(request: Request) -> HTMLResponse:
        """The password form."""
        ops = ops_of(request)
        nonce = secrets.token_hex(16)
        response = ops.templates.TemplateResponse(
            request, "login.html", {"csrf": "", "login_csrf": ops.signer.csrf(nonce)}
        )
        response.set_cookie(LOGIN_COOKIE, nonce, httponly=True, samesite="strict", max_age=900)
        return response

    @app.post("/login")
    async def login(request: Request, password: str = Form(), csrf: str = Form("")) -> Response:
        """Check the password; on success set the session cookie."""
        ops = ops_of(request)
        expected = ops.settings.ops_password
        nonce_ok = ops.signer.csrf_ok(request.cookies.get(LOGIN_COOKIE), csrf)
        if expected is None or not nonce_ok:
            raise HTTPException(403, "bad CSRF token: reload the login page")
        if not ops.signer.password_ok(password, expected.get_secret_value()):
            log.warning("operator login failed")
            await asyncio.sleep(0.3)
            return RedirectResponse("/login?error=1", status_code=303)
        response = RedirectResponse("/", status_code=303)
        _set_session(ops, response)
        response.delete_cookie(LOGIN_COOKIE)
        return response

    @app.get("/login/token")
    async def login_link(request: Request, t: str = "") -> Response:
        """Log in with a one-time link printed by ``advisor ops --login-link``."""
        ops = ops_of(request)
        if not ops.signer.redeem(t):
            return RedirectResponse("/login?error=1", status_code=303)
        response = RedirectResponse("/", status_code=303)
        _set_session(ops, response)
        return response

    @app.post("/logout")
    async def logout(request: Request, csrf: str = Form("")) -> Response:
        """End the session."""
        ops_of(request).check_csrf(request, csrf)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response
