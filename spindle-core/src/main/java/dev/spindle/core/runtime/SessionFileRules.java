package dev.spindle.core.runtime;

import dev.spindle.core.files.PathPolicy;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.store.KeyValueStore;

/** The path policy and quotas every view of a session's files is made with, wherever it is made. */
record SessionFileRules(PathPolicy paths, Quotas quotas) {
    SessionFiles of(KeyValueStore store, String sessionId) {
        return new SessionFiles(store, sessionId, paths, quotas);
    }
}
