"""Who may edit, and as whom: the one decision behind every write the app offers.

Three modes, chosen by the server's settings (`EditorPolicy.from_settings`):

- **sign-in** (a team): `[auth]` in `.streamlit/secrets.toml` configures an OpenID Connect
  provider for `st.login`. A session edits when its user is signed in with a *verified* e-mail
  address on the allowlist: `[editors] emails = [...]` and `domains = [...]` in the secrets, or
  `FRONTLINE_EDITORS` ("alice@example.org, example.org"), which replaces the secrets' list when
  set. The e-mail is the name recorded with every change. A domain admits addresses of exactly
  that domain, not of its subdomains ("example.org" admits "a@example.org", not
  "a@news.example.org" nor "a@badexample.org"). The provider must send `email_verified: true`:
  an address the provider has not checked proves nothing about who holds it.
- **password** (one person on one machine): `FRONTLINE_EDITOR_PASSWORD` or `editor_password` in
  the secrets; a session that gave the password edits under the name it typed.
- **read-only**: neither is configured.

Readers never need an account. Nothing here knows Streamlit: the caller passes the user mapping
(`st.user.to_dict()` in the app, a plain dict in tests) and what the session proved.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from lib.statements import MAX_LENGTHS

Mode = Literal["sign-in", "password", "read-only"]
# The store records the editor in a column of this width; a longer address is refused up front
# with a message instead of failing at the first write.
MAX_EDITOR_LENGTH = MAX_LENGTHS["added_by"]


class NotAnEditor(PermissionError):
    """A write was attempted by a session that may not edit; the message says why."""


@dataclass(frozen=True)
class Allowlist:
    """Editor e-mail addresses and whole domains, folded to lower case."""

    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> Allowlist:
        """From entries that are each an address ("a@example.org") or a domain ("example.org",
        "@example.org"); blank entries are ignored."""
        emails: set[str] = set()
        domains: set[str] = set()
        for entry in entries:
            folded = entry.strip().lower()
            if not folded:
                continue
            local, at, domain = folded.rpartition("@")
            if at and local:
                emails.add(folded)
            else:
                domains.add(domain)
        return cls(frozenset(emails), frozenset(domains))

    @classmethod
    def from_text(cls, text: str) -> Allowlist:
        """From a comma- or whitespace-separated list, as `FRONTLINE_EDITORS` holds it."""
        return cls.from_entries(text.replace(",", " ").split())

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> Allowlist:
        """From the secrets' `[editors]` table: `emails` (addresses) and `domains` (domains),
        each a list of strings; ValueError naming the key and entry when one does not fit."""
        entries: dict[str, list[str]] = {}
        for key in ("emails", "domains"):
            values = section.get(key) or []
            if isinstance(values, str):
                values = [values]
            if not isinstance(values, list | tuple) or not all(
                isinstance(value, str) for value in values
            ):
                raise ValueError(f"[editors] {key}: expected a list of strings, got {values!r}")
            entries[key] = [value.strip() for value in values if value.strip()]
        for email in entries["emails"]:
            local, _, domain = email.rpartition("@")
            if not local or not domain:
                raise ValueError(
                    f"[editors] emails: {email!r} is not an e-mail address (list whole domains "
                    "under `domains`)"
                )
        for domain in entries["domains"]:
            if "@" in domain.lstrip("@"):
                raise ValueError(
                    f"[editors] domains: {domain!r} is an address, not a domain (list it under "
                    "`emails`)"
                )
        return cls.from_entries(
            entries["emails"] + [f"@{domain.lstrip('@')}" for domain in entries["domains"]]
        )

    def admits(self, email: str) -> bool:
        folded = email.strip().lower()
        return folded in self.emails or folded.rpartition("@")[2] in self.domains

    def __bool__(self) -> bool:
        return bool(self.emails or self.domains)


@dataclass(frozen=True)
class EditorPolicy:
    """The server's editing settings."""

    mode: Mode
    allowlist: Allowlist = Allowlist()
    password: str | None = None

    @classmethod
    def from_settings(
        cls,
        secrets: Mapping[str, Any],
        *,
        password: str | None = None,
        allowlist_text: str | None = None,
    ) -> EditorPolicy:
        """From the app's secrets (a plain mapping), the environment's editor password
        (`FRONTLINE_EDITOR_PASSWORD`, which wins over the secrets' `editor_password`) and the
        environment's allowlist (`FRONTLINE_EDITORS`, which wins over `[editors]`).

        Sign-in wins over the password: a server set up for a team does not also take a shared
        password."""
        if isinstance(secrets.get("auth"), Mapping):
            if allowlist_text:
                allowlist = Allowlist.from_text(allowlist_text)
            else:
                allowlist = Allowlist.from_section(secrets.get("editors") or {})
            return cls("sign-in", allowlist=allowlist)
        password = password or secrets.get("editor_password") or None
        if password:
            return cls("password", password=str(password))
        return cls("read-only")

    def password_matches(self, attempt: str) -> bool:
        """Whether `attempt` is the editor password, compared in constant time."""
        if self.password is None:
            return False
        return hmac.compare_digest(attempt.encode(), self.password.encode())


@dataclass(frozen=True)
class Decision:
    """Whether a session may edit: `editor` is the name recorded with its changes, or None, and
    then `reason` says why not in words a reader can act on."""

    editor: str | None
    reason: str

    @property
    def may_edit(self) -> bool:
        return self.editor is not None


def decide(
    policy: EditorPolicy, user: Mapping[str, Any], *, password_editor: str | None = None
) -> Decision:
    """May this session edit, and as whom.

    `user` is the session's signed-in user (`st.user`: `is_logged_in`, `email`,
    `email_verified`…); `password_editor` the name a session gave with the right editor password
    (None until it has), used only in password mode.
    """
    if policy.mode == "read-only":
        return Decision(
            None,
            "Read-only: editing is off on this server (no sign-in or editor password is "
            "configured).",
        )
    if policy.mode == "password":
        name = (password_editor or "").strip()
        if not name:
            return Decision(None, "Editing is locked: unlock it with the editor password.")
        return _named(name)
    if user.get("is_logged_in") is not True:
        return Decision(None, "Sign in to edit. Readers need no account.")
    email = user.get("email")
    if not isinstance(email, str) or "@" not in email:
        return Decision(
            None,
            "Signed in, but the sign-in provider sent no e-mail address, so editing stays off "
            "(the app asks for the `email` scope; check the provider's client settings).",
        )
    email = email.strip()
    if user.get("email_verified") is not True:
        return Decision(
            None,
            f"Signed in as {email}, but the sign-in provider has not verified that address, so "
            "editing stays off.",
        )
    if not policy.allowlist.admits(email):
        return Decision(
            None,
            f"Signed in as {email}, which is not on the editors' list: you can read everything. "
            "To edit, ask the administrator to add you to `[editors]` in the secrets (or "
            "`FRONTLINE_EDITORS`).",
        )
    return _named(email)


def require_editor(
    policy: EditorPolicy, user: Mapping[str, Any], *, password_editor: str | None = None
) -> str:
    """The name to record with a write, or NotAnEditor saying why this session may not write."""
    decision = decide(policy, user, password_editor=password_editor)
    if decision.editor is None:
        raise NotAnEditor(decision.reason)
    return decision.editor


def _named(name: str) -> Decision:
    if len(name) > MAX_EDITOR_LENGTH:
        return Decision(
            None,
            f"The editor name {name[:40]}… is {len(name)} characters long; changes record at "
            f"most {MAX_EDITOR_LENGTH}, so editing stays off.",
        )
    return Decision(name, f"Editing as {name}.")
