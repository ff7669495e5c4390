"""A Redis cache that keeps the site up when Redis is not.

The cache holds nothing the app cannot lose (allauth's rate-limit counters among it). When Redis
cannot be reached, each process falls back on a cache of its own and logs it: rate limits still
count, per process, instead of every sign-in failing with a server error.
"""

import logging
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 60
FALLBACK_METHODS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


class FailoverRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._fallback = LocMemCache(f"failover-{id(self)}", {})
        self._warned_at = 0.0

    def ping(self) -> None:
        """Reach Redis itself, past the fallback: raises when it cannot (for the health check)."""
        self._cache.get_client(write=True).ping()

    def _failed(self, method: str, error: RedisError) -> None:
        now = time.monotonic()
        if now - self._warned_at > WARN_EVERY_SECONDS:
            self._warned_at = now
            logger.warning(
                "Redis cache unreachable (%s on %s): using this process's own cache meanwhile",
                type(error).__name__,
                method,
            )


def _with_fallback(method: str):
    def call(self: FailoverRedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(RedisCache, method)(self, *args, **kwargs)
        except RedisError as error:
            self._failed(method, error)
            return getattr(self._fallback, method)(*args, **kwargs)

    call.__name__ = method
    return call


for _method in FALLBACK_METHODS:
    setattr(FailoverRedisCache, _method, _with_fallback(_method))
