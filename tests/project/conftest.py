import pytest

from tests.servers import collect_static


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Static files collected once for the servers the session starts, as for production."""
    root = tmp_path_factory.mktemp("static")
    collect_static(root)
    return root
