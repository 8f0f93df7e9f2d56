"""Django's Redis cache backend, with one Redis client per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache call, and each
one copies redis-py's table of some 170 response callbacks: about 0.2 ms of CPU per call, measured
with `make bench-load-inprocess` (a public page served from the cache makes one or two calls, and
costs about 1.4 ms in all). A `redis.Redis` is safe to share between threads (each command takes
its own connection from the pool), so this backend builds it once per pool.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # pools are kept for the process's life
        if client is None:
            # two threads may both build one here; either is fine, the last is kept
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
