package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.store.KeyValueStore;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StoreSpecTest {
    private final Spindle.StoreConverter converter = new Spindle.StoreConverter();

    @Test
    void acceptsRedisAddressesWithCredentialsDatabaseAndTls() {
        assertThat(converter.convert("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
        assertThat(converter.convert("redis://user:secret@cache.internal:6380/2")).isEqualTo("redis://user:secret@cache.internal:6380/2");
        assertThat(converter.convert("rediss://cache.internal:6380")).isEqualTo("rediss://cache.internal:6380");
    }

    @Test
    void refusesRedisAddressesWithoutPortOrWithAWrongDatabase() {
        for (String bad : new String[] {"redis://cache.internal", "redis://h:6379/db", "redis:", "postgres://h:5432"}) {
            assertThatThrownBy(() -> converter.convert(bad)).isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessageContaining("is not a store").hasMessageContaining("redis://[user:pass@]host:port[/db]");
        }
    }

    @Test
    void aRedisStoreDescribesItselfWithoutItsPassword() {
        try (KeyValueStore store = Spindle.store("redis://user:secret@127.0.0.1:6390/3")) {
            assertThat(store.describe()).isEqualTo("redis://127.0.0.1:6390/3");
            assertThat(store.blocking()).isTrue();
        }
    }
}
