"""An address too long to read is Django's 414 in the site's words, not gunicorn's bare page.

Django refuses a path and query longer than settings.MAX_ADDRESS_LENGTH: the API's JSON error
under /api/, a page in the visitor's language elsewhere. gunicorn (as gunicorn.conf.py sets it)
lets such a request line through to Django, which the last test checks with a real server.
"""

import json
import socket

import pytest
from django.conf import settings

from tests.servers import gunicorn

pytestmark = pytest.mark.django_db


def address(path: str, length: int) -> str:
    """`path` with a search of the length that makes the address `length` bytes long."""
    start = f"{path}?q="
    return start + "a" * (length - len(start))


def test_an_api_address_one_byte_too_long_is_a_json_414(client):
    response = client.get(address("/api/v1/organisations/", settings.MAX_ADDRESS_LENGTH + 1))
    assert response.status_code == 414
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "The address is too long: at most 4000 characters of path and query. "
        "Give fewer or shorter parameters."
    }


def test_an_address_of_the_longest_length_is_read(client):
    response = client.get(address("/api/v1/organisations/", settings.MAX_ADDRESS_LENGTH))
    assert response.status_code == 400  # the search is too long, and it says so
    assert list(response.json()) == ["q"]


def test_a_page_address_too_long_is_a_page_in_the_visitors_language(client):
    response = client.get(address("/organisations/", settings.MAX_ADDRESS_LENGTH + 1))
    assert response.status_code == 414
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "This address is too long" in response.content.decode()
    french = client.get(address("/fr/organisations/", settings.MAX_ADDRESS_LENGTH + 1))
    assert french.status_code == 414
    assert "Cette adresse est trop longue" in french.content.decode()


def raw_get(port: int, target: str) -> tuple[int, str, str]:
    """Status, content type and body of a GET sent as bytes (no client shortens the line)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    content_type = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
    return int(lines[0].split()[1]), content_type, body.decode("utf-8", "replace")


@pytest.fixture
def server_port(tmp_path):
    """gunicorn as gunicorn.conf.py sets it; the refusal needs no database, so an empty one."""
    env = {
        "DEBUG": "1",  # no collected static files needed
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "WEB_CONCURRENCY": "1",
    }
    with gunicorn(env, tmp_path) as (base, _):
        yield int(base.rsplit(":", 1)[1])


def test_gunicorn_lets_django_refuse_a_long_address_in_json(server_port):
    # Past Django's limit, and past gunicorn's default limit (4094) on the request line too.
    for length in (settings.MAX_ADDRESS_LENGTH + 50, 6000, 8000):
        status, content_type, body = raw_get(server_port, address("/api/v1/organisations/", length))
        assert (status, content_type) == (414, "application/json"), length
        assert "at most 4000 characters" in json.loads(body)["detail"]
