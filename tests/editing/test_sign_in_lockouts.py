"""Wrong passwords lock a username at one address, or an address tried for many usernames;
never an editor everywhere, and never for failures at another address."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, EditorFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
HOME = "192.0.2.10"  # the editor's own address
ATTACKER = "198.51.100.66"


@pytest.fixture
def amira(db):
    return EditorFactory(username="amira", password=PASSWORD)


def sign_in(username, password, address, **headers):
    """A fresh browser each time: a lockout must not hang on a cookie."""
    response = Client().post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )
    return response.status_code


def test_five_wrong_passwords_lock_that_username_at_that_address(amira, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in("amira", "wrong", ATTACKER) == 200
    assert sign_in("amira", "wrong", ATTACKER) == 429  # the fifth
    assert sign_in("amira", PASSWORD, ATTACKER) == 429


def test_an_editor_is_not_locked_out_by_wrong_passwords_from_another_address(amira, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        sign_in("amira", "wrong", ATTACKER)
    assert sign_in("amira", PASSWORD, HOME) == 302


def test_behind_a_proxy_an_editor_is_not_locked_out_by_another_visitor(amira, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        # The attacker even writes the editor's address before the hop the proxy adds.
        sign_in("amira", "wrong", "10.0.0.5", HTTP_X_FORWARDED_FOR=f"{HOME}, {ATTACKER}")
    assert sign_in("amira", PASSWORD, "10.0.0.5", HTTP_X_FORWARDED_FOR=ATTACKER) == 429
    assert sign_in("amira", PASSWORD, "10.0.0.5", HTTP_X_FORWARDED_FOR=HOME) == 302


def test_wrong_passwords_for_a_few_usernames_do_not_lock_the_others_at_that_address(
    amira, settings
):
    """An office behind one address: colleagues' typing errors lock nobody else."""
    settings.LOGIN_ADDRESS_USERNAME_LIMIT = 3
    for username in ("bilal", "chiara"):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in(username, "wrong", HOME)
    assert sign_in("amira", PASSWORD, HOME) == 302


def test_an_address_that_failed_for_many_usernames_is_locked_for_all(amira, settings):
    settings.LOGIN_ADDRESS_USERNAME_LIMIT = 3
    sprayed = "the one password tried everywhere"
    assert [sign_in(name, sprayed, ATTACKER) for name in ("bilal", "chiara")] == [200, 200]
    assert sign_in("dawit", sprayed, ATTACKER) == 429  # the third username
    assert sign_in("amira", PASSWORD, ATTACKER) == 429
    assert sign_in("amira", PASSWORD, HOME) == 302


def test_the_lockout_page_says_what_happened_and_for_how_long(amira, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("amira", "wrong", ATTACKER)
    response = Client().post(
        LOGIN, {"username": "amira", "password": PASSWORD}, REMOTE_ADDR=ATTACKER
    )
    page = response.content.decode()
    assert response.status_code == 429
    assert "Sign-in locked for a while" in page and "locked for 1:00:00" in page
