"""The Redis cache backend keeps one client per connection pool and still behaves as Django's
(against the Redis server this machine runs, as in production)."""

import pytest
import redis

from mreza.core.redis_cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.fixture
def backend():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not running at {REDIS_URL} (CI and this machine run it)")
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": "mreza-test-redis-cache"})
    yield cache
    cache.clear()


def test_one_client_per_pool_for_reads_and_writes(backend):
    client = backend._cache.get_client("a")
    assert backend._cache.get_client("b") is client
    assert backend._cache.get_client("c", write=True) is client  # one server: one pool


def test_it_behaves_as_djangos_backend(backend):
    assert backend.add("count", 1) and not backend.add("count", 5)
    assert backend.incr("count") == 2
    backend.set_many({"x": {"a": [1, 2]}, "y": "text"}, 60)
    assert backend.get_many(["x", "y", "missing"]) == {"x": {"a": [1, 2]}, "y": "text"}
    backend.delete("x")
    assert backend.get("x", "gone") == "gone"
