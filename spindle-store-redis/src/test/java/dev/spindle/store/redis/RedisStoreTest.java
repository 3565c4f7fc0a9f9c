package dev.spindle.store.redis;

import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.KeyValueStoreContract;
import dev.spindle.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisStoreTest extends KeyValueStoreContract {
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected KeyValueStore newStore() throws Exception {
        RedisStore store = new RedisStore(redis.uri());
        store.sessions().forEach(store::deleteSession); // each test starts from an empty store
        return store;
    }
}
