"""Not a page: the one gate in front of every write the app offers (statement add, edit, delete,
import and article review; the Data page's snapshot upload and Refresh now).

`editor(key, what=...)` draws the controls that fit the server's mode (Sign in / Sign out through
the OpenID Connect provider of `[auth]`, or the editor password form on a single-user machine)
and returns the name to record with a write, or None after saying why this session may not
write. The decision itself is `lib.editors.decide`; this module only gathers what it needs from
Streamlit: the secrets, `st.user`, and whether this session gave the password. Password tries
are throttled per session and per server (`lib.login_throttle`).
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lib import cached, config, editors

PASSWORD_EDITOR_KEY = "editor_password_name"


def policy() -> editors.EditorPolicy:
    """The server's editing settings, from the secrets and the environment."""
    return editors.EditorPolicy.from_settings(
        _secrets(),
        password=config.editor_password(),
        allowlist_text=config.editor_allowlist(),
    )


def editor(key: str, *, what: str) -> str | None:
    """The name to record with this session's writes, or None; draws the sign-in controls.

    `key` keeps the widgets of two gates on one page apart; `what` names what the gate guards
    ("editing statements", "refreshing and uploading snapshots").
    """
    try:
        settings = policy()
    except ValueError as error:  # a malformed [editors] section: say so, edit nothing
        st.error(f"Editing is off: the editor settings are wrong: {error}")
        return None
    verdict = editors.decide(
        settings, st.user.to_dict(), password_editor=st.session_state.get(PASSWORD_EDITOR_KEY)
    )
    if settings.mode == "sign-in":
        return _sign_in_controls(key, what, verdict)
    if settings.mode == "password":
        return _password_controls(key, what, verdict, settings)
    st.info(f'{verdict.reason} Set it up as the README\'s "Editing" section says.')
    return None


def _sign_in_controls(key: str, what: str, verdict: editors.Decision) -> str | None:
    text, action = st.columns([5, 1], vertical_alignment="center")
    if st.user.is_logged_in:
        if verdict.may_edit:
            text.caption(f"Signed in as **{verdict.editor}**: {what} is recorded under this name.")
        else:
            text.info(verdict.reason)
        if action.button("Sign out", key=f"{key}_sign_out", icon=":material/logout:"):
            st.logout()
        return verdict.editor
    text.info(f"{verdict.reason} Editors sign in for {what}.")
    if action.button("Sign in", key=f"{key}_sign_in", icon=":material/login:", type="primary"):
        st.login()
    return None


def _password_controls(
    key: str, what: str, verdict: editors.Decision, settings: editors.EditorPolicy
) -> str | None:
    if verdict.may_edit:
        text, action = st.columns([5, 1], vertical_alignment="center")
        text.caption(f"Editing as **{verdict.editor}** (unlocked with the editor password).")
        if action.button("Lock", key=f"{key}_lock", icon=":material/lock:"):
            del st.session_state[PASSWORD_EDITOR_KEY]
            st.rerun()
        return verdict.editor
    with st.form(f"{key}_unlock"):
        st.write(f"{what.capitalize()} needs the editor password.")
        attempt = st.text_input("Editor password", type="password")
        name = st.text_input("Your name (recorded with every change)")
        submitted = st.form_submit_button("Unlock editing")
    if not submitted:
        return None
    # Compared only when lib.login_throttle allows a try from this session and this server.
    verdict_or_wait = cached.login_throttle().check(
        _session_id(), lambda: settings.password_matches(attempt)
    )
    if verdict_or_wait is not True:
        if verdict_or_wait is False:
            st.error("Wrong password: writing stays locked.")
        else:
            st.error(
                f"Too many wrong passwords: try again in {max(1, round(verdict_or_wait))} s "
                "(the password was not checked)."
            )
        return None
    if not name.strip():
        st.error("Enter your name too: every change records who made it.")
        return None
    unlocked = editors.decide(settings, {}, password_editor=name)
    if not unlocked.may_edit:
        st.error(unlocked.reason)
        return None
    st.session_state[PASSWORD_EDITOR_KEY] = unlocked.editor
    st.rerun()
    return None


def _session_id() -> str:
    context = get_script_run_ctx()
    return context.session_id if context is not None else "no-session"


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:  # no secrets file: the environment alone decides
        return {}
