package dev.spindle.store.sqlite;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.SessionData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The embedded default store: one SQLite file in WAL mode, surviving restarts. One table keyed by
 * (session, namespace, key), so sessions cannot collide and a whole session is one indexed range to
 * list, copy or delete. Writes go through one connection under a lock, each {@code write} one
 * transaction (SQLite has one writer anyway); reads use a small pool of connections and run beside it.
 */
public final class SqliteStore implements KeyValueStore {
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS kv (
              session TEXT NOT NULL,
              ns      TEXT NOT NULL,
              key     TEXT NOT NULL,
              value   BLOB NOT NULL,
              PRIMARY KEY (session, ns, key)
            ) WITHOUT ROWID""";

    private final Path file;
    private final String url;
    private final Db writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Db> readers;
    private final List<Db> allReaders = new ArrayList<>();

    public SqliteStore(Path file) {
        this(file, Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
    }

    public SqliteStore(Path file, int readConnections) {
        this.file = file.toAbsolutePath();
        this.url = "jdbc:sqlite:" + this.file;
        try {
            Path parent = this.file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.writer = open();
            writer.connection.setAutoCommit(false);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot open SQLite store at " + this.file + ": " + e.getMessage(), e);
        }
        this.readers = new ArrayBlockingQueue<>(readConnections);
        for (int i = 0; i < readConnections; i++) {
            Db reader = openUnchecked();
            allReaders.add(reader);
            readers.add(reader);
        }
    }

    private Db open() throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA busy_timeout=10000");
            s.execute(SCHEMA);
        }
        return new Db(connection);
    }

    private Db openUnchecked() {
        try {
            return open();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open SQLite store at " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "sqlite:" + file;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public <T> T read(String session, Function<SessionData, T> work) {
        Db db;
        try {
            db = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpindleException(ErrorType.IOError, "Interrupted while waiting for the store");
        }
        try {
            return work.apply(db.session(session));
        } finally {
            readers.add(db);
        }
    }

    @Override
    public <T> T write(String session, Function<SessionData, T> work) {
        return inTransaction(() -> work.apply(writer.session(session)));
    }

    private <T> T inTransaction(Supplier<T> work) {
        writeLock.lock();
        try {
            try {
                T result = work.get();
                writer.connection.commit();
                return result;
            } catch (RuntimeException | Error e) {
                writer.connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw storageError(e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Map<String, Integer> deleteSession(String session) {
        return inTransaction(() -> writer.sql(db -> {
            Map<String, Integer> counts = new LinkedHashMap<>();
            try (ResultSet rs = db.statement("SELECT ns, count(*) FROM kv WHERE session = ? GROUP BY ns", session).executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getInt(2));
                }
            }
            db.statement("DELETE FROM kv WHERE session = ?", session).executeUpdate();
            return counts;
        }));
    }

    @Override
    public void copySession(String from, String to) {
        inTransaction(() -> writer.sql(db -> {
            db.statement("DELETE FROM kv WHERE session = ?", to).executeUpdate();
            db.statement("INSERT INTO kv (session, ns, key, value) SELECT ?, ns, key, value FROM kv WHERE session = ?", to, from).executeUpdate();
            return null;
        }));
    }

    @Override
    public List<String> sessions() {
        return inTransaction(() -> writer.sql(db -> {
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = db.statement("SELECT DISTINCT session FROM kv").executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }));
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            writer.close();
            allReaders.forEach(Db::close);
        } finally {
            writeLock.unlock();
        }
    }

    private static SpindleException storageError(SQLException e) {
        return new SpindleException(ErrorType.IOError, "Storage error: " + e.getMessage());
    }

    /** A connection with its prepared statements, used by one thread at a time. */
    private static final class Db {
        final Connection connection;
        private final Map<String, PreparedStatement> statements = new LinkedHashMap<>();

        Db(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement statement(String sql, Object... params) throws SQLException {
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement;
        }

        interface Sql<T> {
            T run(Db db) throws SQLException;
        }

        <T> T sql(Sql<T> work) {
            try {
                return work.run(this);
            } catch (SQLException e) {
                throw storageError(e);
            }
        }

        SessionData session(String session) {
            return new SessionData() {
                @Override
                public byte[] get(String namespace, String key) {
                    return sql(db -> {
                        try (ResultSet rs = db.statement("SELECT value FROM kv WHERE session = ? AND ns = ? AND key = ?", session, namespace, key).executeQuery()) {
                            return rs.next() ? rs.getBytes(1) : null;
                        }
                    });
                }

                @Override
                public void put(String namespace, String key, byte[] value) {
                    sql(db -> db.statement("INSERT OR REPLACE INTO kv (session, ns, key, value) VALUES (?, ?, ?, ?)", session, namespace, key, value).executeUpdate());
                }

                @Override
                public boolean delete(String namespace, String key) {
                    return sql(db -> db.statement("DELETE FROM kv WHERE session = ? AND ns = ? AND key = ?", session, namespace, key).executeUpdate() > 0);
                }

                @Override
                public NavigableMap<String, Integer> sizes(String namespace) {
                    return sql(db -> {
                        TreeMap<String, Integer> sizes = new TreeMap<>();
                        try (ResultSet rs = db.statement("SELECT key, length(value) FROM kv WHERE session = ? AND ns = ?", session, namespace).executeQuery()) {
                            while (rs.next()) {
                                sizes.put(rs.getString(1), rs.getInt(2));
                            }
                        }
                        return sizes;
                    });
                }

                @Override
                public NavigableMap<String, byte[]> entries(String namespace) {
                    return sql(db -> {
                        TreeMap<String, byte[]> entries = new TreeMap<>();
                        try (ResultSet rs = db.statement("SELECT key, value FROM kv WHERE session = ? AND ns = ?", session, namespace).executeQuery()) {
                            while (rs.next()) {
                                entries.put(rs.getString(1), rs.getBytes(2));
                            }
                        }
                        return entries;
                    });
                }

                @Override
                public NavigableSet<String> namespaces() {
                    return sql(db -> {
                        TreeSet<String> names = new TreeSet<>();
                        try (ResultSet rs = db.statement("SELECT DISTINCT ns FROM kv WHERE session = ?", session).executeQuery()) {
                            while (rs.next()) {
                                names.add(rs.getString(1));
                            }
                        }
                        return names;
                    });
                }
            };
        }

        void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing at shutdown: nothing left to save
            }
        }
    }
}
