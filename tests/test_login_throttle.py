"""lib/login_throttle.py: back-off per session after wrong passwords, a cap per server."""

from __future__ import annotations

import pytest

from lib import login_throttle
from lib.login_throttle import LoginThrottle


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def wrong() -> bool:
    return False


def right() -> bool:
    return True


def test_the_first_wrong_passwords_cost_nothing_then_the_wait_doubles(clock):
    throttle = LoginThrottle(clock=clock)
    for _ in range(login_throttle.FREE_FAILURES - 1):
        assert throttle.check("a", wrong) is False
        assert throttle.wait_seconds("a") == 0
    assert throttle.check("a", wrong) is False
    waits = [throttle.wait_seconds("a")]
    clock.now += waits[-1]
    assert throttle.check("a", wrong) is False
    waits.append(throttle.wait_seconds("a"))
    assert waits == [2.0, 4.0]


def test_while_waiting_the_password_is_not_even_compared(clock):
    throttle = LoginThrottle(clock=clock)
    for _ in range(login_throttle.FREE_FAILURES):
        throttle.check("a", wrong)
    compared = []
    verdict = throttle.check("a", lambda: compared.append(1) or True)
    assert verdict == pytest.approx(2.0)
    assert compared == []
    clock.now += 2.0
    assert throttle.check("a", right) is True
    assert throttle.wait_seconds("a") == 0


def test_the_session_wait_is_capped(clock):
    throttle = LoginThrottle(clock=clock)
    for _ in range(12):
        clock.now += throttle.wait_seconds("a")
        throttle.check("a", wrong)
    assert throttle.wait_seconds("a") == login_throttle.SESSION_MAX_WAIT_SECONDS


def test_new_sessions_do_not_escape_the_server_cap(clock):
    """A guesser opening a new session per try meets the server-wide limit."""
    throttle = LoginThrottle(clock=clock)
    for number in range(login_throttle.SERVER_MAX_FAILURES):
        assert throttle.check(f"session {number}", wrong) is False
        clock.now += 1
    wait = throttle.check("yet another session", right)
    assert wait == pytest.approx(
        login_throttle.SERVER_WINDOW_SECONDS - login_throttle.SERVER_MAX_FAILURES
    )
    clock.now += wait
    assert throttle.check("yet another session", right) is True


def test_old_sessions_are_forgotten(clock):
    throttle = LoginThrottle(clock=clock)
    for _ in range(login_throttle.FREE_FAILURES):
        throttle.check("a", wrong)
    clock.now += login_throttle.SESSION_MEMORY_SECONDS
    assert throttle.wait_seconds("a") == 0
    assert throttle._sessions == {}
