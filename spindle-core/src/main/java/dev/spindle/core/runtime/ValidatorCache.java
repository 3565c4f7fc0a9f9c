package dev.spindle.core.runtime;

import dev.spindle.core.ToolDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Compiled argument validators by input schema (by JSON equality, so a component that rebuilds its
 * tools, as the mock does on every catalogue change, finds them again), the least recently used
 * dropped past a bound so that schemas gone from every catalogue do not stay forever.
 */
final class ValidatorCache {
    private final Map<ObjectNode, ArgumentValidator> bySchema;

    ValidatorCache(int capacity) {
        this.bySchema = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ObjectNode, ArgumentValidator> eldest) {
                return size() > capacity;
            }
        };
    }

    ArgumentValidator get(ToolDefinition definition) {
        synchronized (bySchema) {
            ArgumentValidator cached = bySchema.get(definition.inputSchema());
            if (cached != null) {
                return cached;
            }
        }
        // Compiled outside the lock: a large schema must not hold up every other call.
        ArgumentValidator compiled = ArgumentValidator.compile(definition);
        synchronized (bySchema) {
            bySchema.putIfAbsent(definition.inputSchema(), compiled);
        }
        return compiled;
    }

    int size() {
        synchronized (bySchema) {
            return bySchema.size();
        }
    }
}
