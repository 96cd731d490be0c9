"""Every process of the site shares one cache, and sessions read alike on every server.

Without CACHE_URL the cache is a folder of files that every process of the machine reads (the
gunicorn workers and manage.py commands); Redis serves several machines; locmem:// is one
process's memory, for the tests. tests/project/test_servers_share_state.py runs gunicorn with
two workers on the default.
"""

import json
import os
import stat
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from directory.settings import cache_for, database_key

SHOW = (
    "import json; from django.conf import settings; print(json.dumps({"
    "'cache': settings.CACHES['default'], 'sessions': settings.SESSION_ENGINE}))"
)


def settings_with(**variables: str) -> dict:
    """The cache and session engine a process gets with these variables and no CACHE_URL but
    theirs (the test suite's own is locmem://)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "CACHE_DIR")}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", SHOW],
        cwd=settings.BASE_DIR,
        env={**env, **variables},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_cache_url_the_cache_is_files_every_process_of_the_machine_reads(tmp_path):
    folder = tmp_path / "cache"
    chosen = settings_with(CACHE_DIR=str(folder))
    assert chosen["cache"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert chosen["cache"]["LOCATION"] == str(folder)
    assert chosen["cache"]["OPTIONS"] == {"MAX_ENTRIES": 10000}
    # Made at start-up, for this account alone: what is read back from it is unpickled.
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    # A cache of one machine keeps no copy of a session.
    assert chosen["sessions"] == "django.contrib.sessions.backends.db"


def test_the_default_folder_is_in_the_checkout_and_ignored_by_git():
    assert settings.CACHE_DIR == settings.BASE_DIR / ".cache"
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", str(settings.CACHE_DIR / "x.djcache")],
        cwd=settings.BASE_DIR,
    )
    if ignored.returncode == 128:
        pytest.skip("not a git checkout")
    assert ignored.returncode == 0


def test_redis_is_shared_by_every_server_and_sessions_read_through_it():
    chosen = settings_with(CACHE_URL="redis://cache.internal:6379/0")
    assert chosen["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert chosen["cache"]["LOCATION"] == "redis://cache.internal:6379/0"
    assert chosen["sessions"] == "django.contrib.sessions.backends.cached_db"


def test_the_tests_keep_their_cache_in_their_own_memory():
    chosen = settings_with(CACHE_URL="locmem://")
    assert chosen["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert chosen["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert settings.CACHES["default"]["BACKEND"] == chosen["cache"]["BACKEND"]


@pytest.mark.parametrize("url", ["memcached://cache:11211", "locmem", "file:///tmp/cache"])
def test_a_cache_url_of_no_known_kind_is_refused(url, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_for(url, tmp_path)


def test_each_database_has_its_own_keys_in_one_cache():
    """A developer's SQLite file and PostgreSQL, or the tests' servers, may share a folder."""
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/directory/db.sqlite3"}
    primary = {"ENGINE": "django.db.backends.postgresql", "NAME": "directory", "HOST": "db"}
    other = {**primary, "NAME": "directory_test"}
    keys = {database_key(sqlite), database_key(primary), database_key(other)}
    assert len(keys) == 3
    assert database_key(primary) == database_key(dict(primary))
