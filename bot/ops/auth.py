"""Operator login: signed, expiring tokens (session cookie, login links) and CSRF tokens.

Everything is an HMAC-SHA256 keyed from the operator password, so changing the password
logs every operator out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import OrderedDict

COOKIE = "advisor_ops"
LOGIN_COOKIE = "advisor_login"
LINK_LIFETIME = 120.0


class Signer:
    """Issues and checks ``kind.nonce.expiry.mac`` tokens and CSRF tokens bound to a cookie."""

    def __init__(self, secret: str, lifetime: float = 12 * 3600) -> None:
        self.key = hashlib.sha256(("ops-session:" + secret).encode()).digest()
        self.lifetime = lifetime
        self._used: OrderedDict[str, float] = OrderedDict()

    def _mac(self, payload: str) -> str:
        return hmac.new(self.key, payload.encode(), hashlib.sha256).hexdigest()

    def issue(self, kind: str = "session", lifetime: float | None = None) -> str:
        """A new token of ``kind`` valid for ``lifetime`` seconds (the session's by default)."""
        expires = int(time.time() + (self.lifetime if lifetime is None else lifetime))
        payload = f"{kind}.{secrets.token_hex(12)}.{expires}"
        return f"{payload}.{self._mac(payload)}"

    def valid(self, token: str | None, kind: str = "session") -> bool:
        """True for an unexpired token of ``kind`` signed with this key."""
        if not token or token.count(".") != 3:
            return False
        payload, _, mac = token.rpartition(".")
        token_kind, _, expires = payload.split(".")
        fresh = expires.isdigit() and int(expires) > time.time()
        return token_kind == kind and fresh and hmac.compare_digest(mac, self._mac(payload))

    def login_link_token(self) -> str:
        """A one-time token for ``/login/token?t=...`` (a login link from the terminal)."""
        return self.issue("link", LINK_LIFETIME)

    def redeem(self, token: str | None) -> bool:
        """Accept a login-link token once; a second use, or an expired one, is refused."""
        if not self.valid(token, "link") or token in self._used:
            return False
        assert token is not None
        self._used[token] = time.time()
        while self._used and next(iter(self._used.values())) < time.time() - LINK_LIFETIME:
            self._used.popitem(last=False)
        return True

    def csrf(self, cookie: str) -> str:
        """The CSRF token that forms of the page carrying ``cookie`` must send back."""
        return self._mac("csrf:" + cookie)[:32]

    def csrf_ok(self, cookie: str | None, token: str | None) -> bool:
        """True when ``token`` is the CSRF token of ``cookie``."""
        return bool(cookie and token) and hmac.compare_digest(str(token), self.csrf(str(cookie)))

    @staticmethod
    def password_ok(given: str, expected: str) -> bool:
        """Constant-time password comparison."""
        return hmac.compare_digest(given.encode(), expected.encode())
