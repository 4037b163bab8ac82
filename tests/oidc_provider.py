"""A small OpenID Connect provider for the sign-in tests, run as its own process on 127.0.0.1.

    python tests/oidc_provider.py --client-id ID --client-secret SECRET \
        --redirect-uri http://127.0.0.1:PORT/oauth2callback --user EMAIL:PASSWORD ...

It prints its issuer URL on the first line of stdout once it listens, then serves until killed.
The authorization-code flow as Streamlit's `st.login` (Authlib) walks it, with the checks a real
provider makes, so a mistake on the app's side fails here as it would in production:

- discovery (`/.well-known/openid-configuration`) and the signing key (`/jwks`, RS256, a key
  generated at start);
- `/authorize`: the client id and the exact redirect URI registered, a login form for the users
  given on the command line, a single-use code valid for a minute;
- `/token`: client authentication (HTTP Basic or form), the code bound to its redirect URI and
  PKCE verifier (S256), an ID token carrying `nonce`, `email` and `email_verified: true`;
- `/userinfo` with the access token.

Signing uses joserfc, Authlib's JOSE library. No logout endpoint is advertised, so `st.logout`
ends the app's session only.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import secrets
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote_plus, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

CODE_LIFETIME_SECONDS = 60
TOKEN_LIFETIME_SECONDS = 3600
KEY_ID = "test-key"


@dataclass(frozen=True)
class Grant:
    """What an authorization code stands for until it is exchanged."""

    email: str
    redirect_uri: str
    nonce: str | None
    code_challenge: str | None
    scope: str
    expires_at: float


class Provider:
    """The provider's state: one client, its users, pending codes and issued access tokens."""

    def __init__(
        self, client_id: str, client_secret: str, redirect_uri: str, users: dict[str, str]
    ):
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.users = users
        self.key = RSAKey.generate_key(
            2048, parameters={"kid": KEY_ID, "use": "sig", "alg": "RS256"}
        )
        self.issuer = ""
        self.codes: dict[str, Grant] = {}
        self.access_tokens: dict[str, dict] = {}
        self.lock = threading.Lock()

    def metadata(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name"],
        }

    def claims(self, email: str) -> dict:
        return {
            "sub": hashlib.sha256(email.encode()).hexdigest()[:24],
            "email": email,
            "email_verified": True,
            "name": email.split("@")[0].replace(".", " ").title(),
        }

    def issue_code(self, grant: Grant) -> str:
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = grant
        return code

    def redeem(self, code: str) -> Grant | None:
        with self.lock:
            grant = self.codes.pop(code, None)
        if grant is None or grant.expires_at < time.time():
            return None
        return grant

    def tokens(self, grant: Grant) -> dict:
        now = int(time.time())
        claims = {
            **self.claims(grant.email),
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + TOKEN_LIFETIME_SECONDS,
            "auth_time": now,
        }
        if grant.nonce:
            claims["nonce"] = grant.nonce
        id_token = jwt.encode({"alg": "RS256", "kid": KEY_ID}, claims, self.key)
        access_token = secrets.token_urlsafe(32)
        with self.lock:
            self.access_tokens[access_token] = self.claims(grant.email)
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME_SECONDS,
            "scope": grant.scope,
            "id_token": id_token,
        }


def handler_for(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            sys.stderr.write(f"oidc-provider: {format % args}\n")

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(200, provider.metadata())
            elif url.path == "/jwks":
                self._json(200, {"keys": [provider.key.as_dict(private=False)]})
            elif url.path == "/authorize":
                self._authorize_form(query)
            elif url.path == "/userinfo":
                self._userinfo()
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = {
                key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()
            }
            if url.path == "/authorize":
                self._authorize_login(form)
            elif url.path == "/token":
                self._token(form)
            else:
                self._json(404, {"error": "not_found"})

        def _authorize_form(self, query: dict[str, str], error: str = "") -> None:
            problem = self._authorization_problem(query)
            if problem:
                self._text(400, problem)
                return
            hidden = "".join(
                f'<input type="hidden" name="{html.escape(key)}" value="{html.escape(value)}">'
                for key, value in query.items()
                if key not in {"email", "password"}
            )
            page = (
                "<!doctype html><title>Test provider: sign in</title><h1>Sign in</h1>"
                + (f'<p role="alert">{html.escape(error)}</p>' if error else "")
                + '<form method="post" action="/authorize">'
                + hidden
                + '<label>E-mail <input name="email" type="email"></label>'
                + '<label>Password <input name="password" type="password"></label>'
                + '<button type="submit">Continue</button></form>'
            )
            self._send(200, "text/html; charset=utf-8", page.encode())

        def _authorization_problem(self, query: dict[str, str]) -> str:
            if query.get("response_type") != "code":
                return "unsupported response_type"
            if query.get("client_id") != provider.client_id:
                return "unknown client_id"
            if query.get("redirect_uri") != provider.redirect_uri:
                return f"redirect_uri {query.get('redirect_uri')!r} is not registered"
            if "openid" not in query.get("scope", "").split():
                return "the openid scope is required"
            if "code_challenge" in query and query.get("code_challenge_method") != "S256":
                return "only the S256 code challenge method is supported"
            return ""

        def _authorize_login(self, form: dict[str, str]) -> None:
            problem = self._authorization_problem(form)
            if problem:
                self._text(400, problem)
                return
            email = form.get("email", "").strip()
            if provider.users.get(email) != form.get("password"):
                self._authorize_form(form, error="Unknown e-mail address or wrong password.")
                return
            code = provider.issue_code(
                Grant(
                    email=email,
                    redirect_uri=form["redirect_uri"],
                    nonce=form.get("nonce"),
                    code_challenge=form.get("code_challenge"),
                    scope=form.get("scope", "openid"),
                    expires_at=time.time() + CODE_LIFETIME_SECONDS,
                )
            )
            answer = {"code": code}
            if "state" in form:
                answer["state"] = form["state"]
            self.send_response(302)
            self.send_header("Location", f"{form['redirect_uri']}?{urlencode(answer)}")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _token(self, form: dict[str, str]) -> None:
            client_id, client_secret = self._client_credentials(form)
            if client_id != provider.client_id or not secrets.compare_digest(
                client_secret or "", provider.client_secret
            ):
                self._json(401, {"error": "invalid_client"})
                return
            if form.get("grant_type") != "authorization_code":
                self._json(400, {"error": "unsupported_grant_type"})
                return
            grant = provider.redeem(form.get("code", ""))
            if grant is None or grant.redirect_uri != form.get("redirect_uri"):
                self._json(400, {"error": "invalid_grant"})
                return
            if grant.code_challenge is not None:
                verifier = form.get("code_verifier", "")
                digest = hashlib.sha256(verifier.encode()).digest()
                challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                if challenge != grant.code_challenge:
                    self._json(400, {"error": "invalid_grant", "error_description": "PKCE"})
                    return
            self._json(200, provider.tokens(grant))

        def _client_credentials(self, form: dict[str, str]) -> tuple[str | None, str | None]:
            header = self.headers.get("Authorization", "")
            if header.startswith("Basic "):
                decoded = base64.b64decode(header[6:]).decode()
                client_id, _, client_secret = decoded.partition(":")
                return _form_unquote(client_id), _form_unquote(client_secret)
            return form.get("client_id"), form.get("client_secret")

        def _userinfo(self) -> None:
            header = self.headers.get("Authorization", "")
            claims = provider.access_tokens.get(header.removeprefix("Bearer "))
            if claims is None:
                self._json(401, {"error": "invalid_token"})
            else:
                self._json(200, claims)

        def _json(self, status: int, body: dict) -> None:
            self._send(status, "application/json", json.dumps(body).encode())

        def _text(self, status: int, body: str) -> None:
            self._send(status, "text/plain; charset=utf-8", body.encode())

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _form_unquote(value: str) -> str:
    """Client credentials in a Basic header are form-encoded first (RFC 6749, 2.3.1)."""
    return unquote_plus(value)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", required=True)
    parser.add_argument("--user", action="append", default=[], help="EMAIL:PASSWORD")
    args = parser.parse_args(argv)
    users = dict(user.split(":", 1) for user in args.user)
    provider = Provider(args.client_id, args.client_secret, args.redirect_uri, users)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(provider))
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    print(provider.issuer, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
