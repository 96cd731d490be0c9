"""Counts in the shared cache of what one sender did in a window of time (suggestions kept,
and soon messages relayed), so a limit holds across every worker of the server.

A count is kept with the end of its window and rewritten for what is left of it: a cache's
`incr` may restart an entry's life (Django's file cache gives it five minutes). Two requests at
the same instant may count once, as the cache in files has no atomic increment; a limit of a
few an hour still holds.
"""

import time

from django.core.cache import cache


def key_for(name: str) -> str:
    # Its own prefix: an earlier release kept a bare number under the name.
    return f"window:{name}"


def within(name: str, limit: int) -> bool:
    """Whether one more is within the limit."""
    count, _ = cache.get(key_for(name), (0, 0))
    return count < limit


def count(name: str, seconds: int) -> None:
    """Counts one more, in a window that ends `seconds` after the first."""
    now = time.time()
    done, ends = cache.get(key_for(name), (0, now + seconds))
    cache.set(key_for(name), (done + 1, ends), max(ends - now, 1))
