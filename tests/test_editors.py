"""Who may edit (lib/editors.py), and the pages drawing no write widget for anyone else.

The decision is a plain function, tested as a table; the pages through AppTest from app.py with
`at.secrets` holding an `[auth]` section and `at.user` standing for `st.user`. The real sign-in
through an OpenID Connect provider in Chromium is tests/test_signin_browser.py.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib import editors
from lib import statements as store

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT_SECONDS = 120
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "test cookie secret",
    "client_id": "frontline",
    "client_secret": "test client secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
EDITORS = {"emails": ["Desk.Editor@Example.org"], "domains": ["newsroom.example"]}
TEAM = editors.EditorPolicy.from_settings({"auth": AUTH, "editors": EDITORS})
# Labels and keys of every write widget the app draws (statements and live sources).
WRITE_BUTTONS = {
    "Add statement",
    "Save changes",
    "Delete",
    "Import",
    "Extract candidates",
    "Save the accepted statements",
    "Refresh now",
    "Cancel refresh",
    "Add snapshot",
}


def signed_in(email: str, *, verified: bool = True) -> dict:
    return {"is_logged_in": True, "email": email, "email_verified": verified, "name": "Someone"}


@pytest.mark.parametrize(
    ("user", "editor"),
    [
        pytest.param(signed_in("desk.editor@example.org"), "desk.editor@example.org", id="listed"),
        pytest.param(signed_in("DESK.EDITOR@example.org"), "DESK.EDITOR@example.org", id="case"),
        pytest.param(signed_in("anyone@newsroom.example"), "anyone@newsroom.example", id="domain"),
        pytest.param(signed_in("a@sub.newsroom.example"), None, id="subdomain-not-admitted"),
        pytest.param(signed_in("a@badnewsroom.example"), None, id="suffix-not-a-domain"),
        pytest.param(signed_in("reader@elsewhere.org"), None, id="not-listed"),
        pytest.param(signed_in("desk.editor@example.org", verified=False), None, id="unverified"),
        pytest.param(
            {"is_logged_in": True, "email": "desk.editor@example.org"}, None, id="no-verified-claim"
        ),
        pytest.param({"is_logged_in": True, "name": "No Mail"}, None, id="no-email"),
        pytest.param({"is_logged_in": False}, None, id="anonymous"),
        pytest.param({"email": "desk.editor@example.org"}, None, id="not-logged-in"),
        pytest.param(
            signed_in("x" * 90 + "@newsroom.example"), None, id="longer-than-the-store-keeps"
        ),
    ],
)
def test_sign_in_admits_verified_listed_addresses_only(user, editor):
    decision = editors.decide(TEAM, user)
    assert decision.editor == editor
    if editor is None:
        with pytest.raises(editors.NotAnEditor, match=r"\w"):
            editors.require_editor(TEAM, user)
    else:
        assert editors.require_editor(TEAM, user) == editor


def test_reasons_name_the_address_and_the_fix():
    reason = editors.decide(TEAM, signed_in("reader@elsewhere.org")).reason
    assert "reader@elsewhere.org" in reason and "[editors]" in reason
    assert "not verified" in editors.decide(TEAM, signed_in("a@b.org", verified=False)).reason
    assert "Readers need no account" in editors.decide(TEAM, {}).reason


def test_sign_in_ignores_a_password_a_session_claims():
    assert editors.decide(TEAM, {}, password_editor="Somebody").editor is None


@pytest.mark.parametrize(
    ("secrets", "password", "allowlist_text", "mode"),
    [
        pytest.param({}, None, None, "read-only", id="nothing"),
        pytest.param({}, "pw", None, "password", id="environment-password"),
        pytest.param({"editor_password": "pw"}, None, None, "password", id="secrets-password"),
        pytest.param({"auth": AUTH}, "pw", None, "sign-in", id="sign-in-wins-over-password"),
        pytest.param({"auth": AUTH}, None, "a@b.org", "sign-in", id="environment-allowlist"),
    ],
)
def test_mode_follows_the_settings(secrets, password, allowlist_text, mode):
    policy = editors.EditorPolicy.from_settings(
        secrets, password=password, allowlist_text=allowlist_text
    )
    assert policy.mode == mode


def test_environment_allowlist_replaces_the_secrets_list():
    policy = editors.EditorPolicy.from_settings(
        {"auth": AUTH, "editors": EDITORS}, allowlist_text="solo@example.net, team.example"
    )
    assert policy.allowlist == editors.Allowlist(
        frozenset({"solo@example.net"}), frozenset({"team.example"})
    )
    assert editors.decide(policy, signed_in("desk.editor@example.org")).editor is None
    assert editors.decide(policy, signed_in("x@team.example")).editor == "x@team.example"


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"emails": ["example.org"]}, "emails: 'example.org' is not an e-mail address"),
        ({"domains": ["a@example.org"]}, "domains: 'a@example.org' is an address"),
        ({"emails": [3]}, "emails: expected a list of strings"),
    ],
)
def test_a_malformed_editors_section_is_named(section, message):
    with pytest.raises(ValueError, match=message):
        editors.Allowlist.from_section(section)


def test_password_mode_edits_under_the_name_given_with_the_password():
    policy = editors.EditorPolicy.from_settings({}, password="open sesame")
    assert policy.password_matches("open sesame") and not policy.password_matches("open")
    assert editors.decide(policy, {}).editor is None
    assert editors.decide(policy, {}, password_editor="  Ann Editor ").editor == "Ann Editor"
    assert editors.decide(policy, {}, password_editor="   ").editor is None


def test_read_only_refuses_everyone():
    policy = editors.EditorPolicy.from_settings({})
    with pytest.raises(editors.NotAnEditor, match="Read-only"):
        editors.require_editor(policy, signed_in("desk.editor@example.org"), password_editor="x")


@pytest.fixture
def database_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'statements.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    monkeypatch.setenv("FRONTLINE_ISW_URL", f"http://127.0.0.1:{closed}/arcgis")
    monkeypatch.setenv("FRONTLINE_DEEPSTATE_URL", f"http://127.0.0.1:{closed}/api")
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("FRONTLINE_EDITOR_PASSWORD", "FRONTLINE_EDITORS", "FRONTLINE_SNAPSHOTS"):
        monkeypatch.delenv(name, raising=False)
    return url


def run_page(page: str, user: dict) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    app.secrets = {"auth": AUTH, "editors": EDITORS}
    app.user = user
    app.switch_page(page)
    app.run()
    assert not app.exception, [exception.value for exception in app.exception]
    return app


def write_widgets(app: AppTest) -> list[str]:
    buttons = [button.label for button in app.button if button.label in WRITE_BUTTONS]
    return buttons + [uploader.label for uploader in app.get("file_uploader")]


@pytest.mark.parametrize("page", ["pages/statements.py", "pages/data.py"])
@pytest.mark.parametrize(
    ("user", "says"),
    [
        pytest.param({"is_logged_in": False}, "Sign in to edit", id="anonymous"),
        pytest.param(signed_in("reader@elsewhere.org"), "not on the editors' list", id="reader"),
    ],
)
def test_no_write_widget_for_anyone_but_an_editor(database_url, page, user, says):
    app = run_page(page, user)
    assert write_widgets(app) == []
    assert any(says in info.value for info in app.info)
    labels = [button.label for button in app.button]
    assert ("Sign out" if user.get("is_logged_in") else "Sign in") in labels


def test_a_signed_in_editor_edits_and_the_log_names_the_address(database_url):
    engine = store.get_engine(database_url)
    target = store.query_statements(engine).iloc[0]
    app = run_page("pages/statements.py", signed_in("desk.editor@example.org"))
    assert {"Add statement", "Save changes", "Extract candidates"} <= set(write_widgets(app))
    app.selectbox(key="edit_choice").select(int(target["id"])).run()
    new_stance = "other" if target["stance"] != "other" else "proposal"
    app.selectbox(key=f"edit_{target['id']}_stance").select(new_stance)
    next(button for button in app.button if button.label == "Save changes").click().run()
    assert not app.exception
    history = store.statement_history(engine, int(target["id"]))
    assert [entry["edited_by"] for entry in history] == ["desk.editor@example.org"]
    log = app.table[0].value
    assert list(log["Editor"]) == ["desk.editor@example.org"]
    assert list(log["Action"]) == ["update"]


def test_a_signed_in_editor_sees_refresh_and_upload(database_url):
    app = run_page("pages/data.py", signed_in("someone@newsroom.example"))
    assert {"Refresh now", "Add snapshot"} <= set(write_widgets(app))


def test_a_malformed_editors_section_turns_editing_off_with_the_reason(database_url):
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_SECONDS)
    app.secrets = {"auth": AUTH, "editors": {"emails": ["newsroom.example"]}}
    app.user = signed_in("desk.editor@example.org")
    app.switch_page("pages/statements.py")
    app.run()
    assert not app.exception
    assert write_widgets(app) == []
    assert any("'newsroom.example' is not an e-mail address" in e.value for e in app.error)
