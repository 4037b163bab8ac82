"""Not a page: the one gate in front of every write the app offers (statement edits, snapshot
uploads, Refresh now).

`editor_unlocked(...)` is the only place that decides who may write, so a different sign-in (the
team deployment's OpenID Connect) replaces this function and nothing else. Today it asks for the
editor password, compared only when `lib.login_throttle` allows a try.
"""

from __future__ import annotations

import hmac

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lib import cached, config

EDITOR_SESSION_KEY = "statements_editor_unlocked"


def configured_password() -> str | None:
    """The editor password from the environment, else from the app's secrets; None: read-only."""
    password = config.editor_password()
    if password:
        return password
    try:
        return st.secrets.get("editor_password") or None
    except FileNotFoundError:
        return None


def editor_unlocked(form_key: str, *, what: str) -> bool:
    """Whether this session may write; otherwise draws why not (or the password form) and returns
    False. `what` names what the gate guards ("editing", "refresh and upload")."""
    password = configured_password()
    if password is None:
        st.info(
            f"Read-only: {what} is off because no editor password is configured. "
            "Set `FRONTLINE_EDITOR_PASSWORD`, or `editor_password` in `.streamlit/secrets.toml`, "
            "and restart the app."
        )
        return False
    if st.session_state.get(EDITOR_SESSION_KEY):
        return True
    with st.form(form_key):
        attempt = st.text_input("Editor password", type="password")
        submitted = st.form_submit_button("Unlock editing")
    if not submitted:
        return False
    verdict = cached.login_throttle().check(
        _session_id(), lambda: hmac.compare_digest(attempt.encode(), password.encode())
    )
    if verdict is True:
        st.session_state[EDITOR_SESSION_KEY] = True
        st.rerun()
    if verdict is False:
        st.error("Wrong password: writing stays locked.")
    else:
        st.error(
            f"Too many wrong passwords: try again in {max(1, round(verdict))} s "
            "(the password was not checked)."
        )
    return False


def _session_id() -> str:
    context = get_script_run_ctx()
    return context.session_id if context is not None else "no-session"
