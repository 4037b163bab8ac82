"""The real editor sign-in: `streamlit run app.py` against an OpenID Connect provider process on
127.0.0.1 (tests/oidc_provider.py), driven in Debian's Chromium.

An editor on the allowlist signs in, edits a statement and finds their e-mail address in its edit
log (and in the store); a reader who is not on the list, and an anonymous reader, see no write
widget on the Statements and Data pages. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import contextlib
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import (
    CHROMIUM,
    REPO_ROOT,
    free_port,
    launch_chromium,
    read_only_offline_app,
    streamlit_server,
)
from conftest import require

from lib import statements as store

ARTIFACTS = REPO_ROOT / "test-artifacts"
TIMEOUT_MS = 90_000
CLIENT_ID = "frontline-dashboard"
EDITOR = ("desk.editor@newsroom.example", "editor-password")
READER = ("reader@elsewhere.example", "reader-password")
WRITE_BUTTONS = ["Add statement", "Save changes", "Import", "Refresh now", "Add snapshot"]


@contextlib.contextmanager
def oidc_provider(redirect_uri: str, client_secret: str, log_path: Path) -> Iterator[str]:
    """Start tests/oidc_provider.py with the editor and the reader as users; yield its issuer."""
    command = [
        sys.executable,
        str(Path(__file__).with_name("oidc_provider.py")),
        "--client-id",
        CLIENT_ID,
        "--client-secret",
        client_secret,
        "--redirect-uri",
        redirect_uri,
        *(arg for email, password in (EDITOR, READER) for arg in ("--user", f"{email}:{password}")),
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log)
        try:
            issuer = process.stdout.readline().decode().strip()
            if not issuer.startswith("http://127.0.0.1:"):
                raise RuntimeError(f"the OIDC provider did not start (see {log_path})")
            yield issuer
        finally:
            process.terminate()
            process.wait(timeout=10)
            process.stdout.close()


def write_secrets(path: Path, *, redirect_uri: str, issuer: str, client_secret: str) -> None:
    path.write_text(
        f"""[auth]
redirect_uri = "{redirect_uri}"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "{CLIENT_ID}"
client_secret = "{client_secret}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"

[editors]
emails = ["{EDITOR[0]}"]
domains = []
"""
    )


def sign_in(page, base_url: str, email: str, password: str) -> None:
    """From the Statements page, through the provider's login form, back to the app."""
    page.goto(f"{base_url}/statements")
    page.get_by_role("button", name="Sign in").first.click(timeout=TIMEOUT_MS)
    page.wait_for_url("**/authorize?**", timeout=TIMEOUT_MS)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base_url}/**", timeout=TIMEOUT_MS)
    page.goto(f"{base_url}/statements")


def assert_no_write_widget(page, expect) -> None:
    for label in WRITE_BUTTONS:  # hidden ones too: an inactive tab's widgets are in the page
        expect(
            page.get_by_role("button", name=label, exact=True, include_hidden=True)
        ).to_have_count(0)
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.browser
def test_editor_signs_in_edits_and_is_named_in_the_log_and_readers_cannot_write(tmp_path):
    require(CHROMIUM.exists(), f"{CHROMIUM} not found: install Debian's chromium package")
    from playwright.sync_api import expect, sync_playwright

    database_url = f"sqlite:///{tmp_path / 'statements.db'}"
    engine = store.get_engine(database_url)
    target = store.query_statements(engine).iloc[0]
    port = free_port()
    redirect_uri = f"http://127.0.0.1:{port}/oauth2callback"
    client_secret = secrets.token_urlsafe(24)
    secrets_file = tmp_path / "secrets.toml"
    new_role = "Role as corrected by the signed-in editor"
    ARTIFACTS.mkdir(exist_ok=True)
    environment = {**read_only_offline_app(database_url, tmp_path), "FRONTLINE_EDITORS": ""}
    with (
        oidc_provider(redirect_uri, client_secret, tmp_path / "provider.log") as issuer,
        contextlib.ExitStack() as stack,
    ):
        write_secrets(
            secrets_file, redirect_uri=redirect_uri, issuer=issuer, client_secret=client_secret
        )
        base_url = stack.enter_context(
            streamlit_server(
                REPO_ROOT / "app.py",
                env=environment,
                log_path=tmp_path / "server.log",
                port=port,
                options=[f"--secrets.files={secrets_file}"],
            )
        )
        playwright = stack.enter_context(sync_playwright())

        anonymous = launch_chromium(playwright, tmp_path / "anonymous")
        stack.callback(anonymous.close)
        page = anonymous.new_page()
        for path in ("statements", "data"):
            page.goto(f"{base_url}/{path}")
            expect(page.get_by_text("Sign in to edit").first).to_be_visible(timeout=TIMEOUT_MS)
            assert_no_write_widget(page, expect)

        editor = launch_chromium(playwright, tmp_path / "editor")
        stack.callback(editor.close)
        page = editor.new_page()
        sign_in(page, base_url, *EDITOR)
        expect(page.get_by_text(f"Signed in as {EDITOR[0]}")).to_be_visible(timeout=TIMEOUT_MS)
        page.get_by_role("tab", name="Edit").click()
        role = page.get_by_label("Role", exact=True).last
        role.fill(new_role)
        page.get_by_role("button", name="Save changes").click()
        expect(page.get_by_text(f"Saved statement #{target['id']}")).to_be_visible(
            timeout=TIMEOUT_MS
        )
        log = page.get_by_test_id("stTable")
        expect(log).to_contain_text(EDITOR[0], timeout=TIMEOUT_MS)
        expect(log).to_contain_text("role")
        expect(page.get_by_test_id("stException")).to_have_count(0)
        log.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "signin-editor-edit-log.png"))
        page.goto(f"{base_url}/data")
        expect(page.get_by_role("button", name="Refresh now")).to_be_visible(timeout=TIMEOUT_MS)

        reader = launch_chromium(playwright, tmp_path / "reader")
        stack.callback(reader.close)
        page = reader.new_page()
        sign_in(page, base_url, *READER)
        expect(page.get_by_text(f"Signed in as {READER[0]}, which is not on the")).to_be_visible(
            timeout=TIMEOUT_MS
        )
        assert_no_write_widget(page, expect)
        page.get_by_role("heading", name="Editors").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "signin-reader-statements.png"))
        page.goto(f"{base_url}/data")
        expect(page.get_by_text("not on the editors' list").first).to_be_visible(timeout=TIMEOUT_MS)
        assert_no_write_widget(page, expect)

    history = store.statement_history(engine, int(target["id"]))
    assert [entry["edited_by"] for entry in history] == [EDITOR[0]]
    assert history[0]["changes"]["role"][1] == new_role
