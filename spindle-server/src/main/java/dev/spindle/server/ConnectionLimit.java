package dev.spindle.server;

import io.vertx.core.http.HttpConnection;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Caps the connections open at once, over every event loop: an idle-socket flood would otherwise use up
 * the process's file descriptors and stop even {@code /health}. A connection past the cap is closed at
 * once; the log says why, once per interval with the count refused, not once per connection.
 */
final class ConnectionLimit {
    private static final Logger LOG = Logger.getLogger(ConnectionLimit.class.getName());
    private static final long LOG_EVERY_MILLIS = 10_000;

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger refusedSinceLog = new AtomicInteger();
    private final AtomicLong lastLogMillis = new AtomicLong();

    ConnectionLimit(int max) {
        this.max = max;
    }

    void accept(HttpConnection connection) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            connection.close();
            refused();
            return;
        }
        connection.closeHandler(v -> open.decrementAndGet());
    }

    private void refused() {
        refusedSinceLog.incrementAndGet();
        long now = System.currentTimeMillis();
        long last = lastLogMillis.get();
        if (now - last >= LOG_EVERY_MILLIS && lastLogMillis.compareAndSet(last, now)) {
            int count = refusedSinceLog.getAndSet(0);
            LOG.warning("event=connections_refused count=" + count + " limit=" + max
                    + " reason=too many open connections; raise --max-connections or find the client that holds them");
        }
    }
}
