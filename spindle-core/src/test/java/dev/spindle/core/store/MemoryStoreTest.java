package dev.spindle.core.store;

class MemoryStoreTest extends KeyValueStoreContract {
    @Override
    protected KeyValueStore newStore() {
        return new MemoryStore();
    }
}
