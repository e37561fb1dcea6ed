package org.p2pchat.history.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one JDBC connection of a history: every call runs in one transaction under this object's
 * lock and commits before it returns; a call that changed something then has H2 write the commit to
 * the file (CHECKPOINT: written, not synced to the disk), so it survives the process being killed.
 * Keeps the file compact (see {@link #compactIfMostlyReplaced()}).
 */
final class HistoryConnection {

    private static final System.Logger LOG = System.getLogger(HistoryConnection.class.getName());
    /** How many commits between two looks at how much of the file is replaced data. */
    private static final int COMPACT_CHECK_INTERVAL = 1000;
    private static final long COMPACT_WHILE_OPEN_ABOVE = 64_000_000;
    private static final long COMPACT_ON_CLOSE_ABOVE = 4_000_000;

    private Connection connection;
    private final HistoryDatabase.Reconnect reconnect;
    private final Runnable release;
    private final String description;
    private final boolean persistent;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private boolean closed;
    private int commitsSinceCompactCheck;

    HistoryConnection(HistoryDatabase.Opened opened) throws SQLException {
        this.connection = opened.connection();
        this.reconnect = opened.reconnect();
        this.release = opened.release();
        this.description = opened.description();
        this.persistent = opened.persistent();
        try {
            connection.setAutoCommit(false);
            Schema.create(connection);
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Closes the database; idempotent. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (persistent && mostlyReplaced(COMPACT_ON_CLOSE_ABOVE)) {
                    compact();
                }
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "Compacting " + description + " failed", e);
            }
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "Closing " + description + " failed", e);
            } finally {
                statements.clear();
                release.run();
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }

    /**
     * Every commit grows the file (see HistoryDatabase.SETTINGS), so now and then, and when it
     * closes, the history has H2 write the live data to a new file if most of it is replaced data.
     * While open that takes about a second per 100 MB of file, once per few thousand messages
     * stored in one session.
     */
    private void compactIfMostlyReplaced() {
        try {
            if (mostlyReplaced(COMPACT_WHILE_OPEN_ABOVE)) {
                compact();
            }
        } catch (SQLException e) {
            // The commit before is in the file: the call that made it succeeded whatever happens here.
            LOG.log(System.Logger.Level.WARNING, "Compacting " + description + " failed", e);
        }
        try {
            if (connection.isClosed()) {
                connection = reconnect.connect();
                connection.setAutoCommit(false);
            }
        } catch (SQLException e) {
            // The next call fails with the reason.
            LOG.log(System.Logger.Level.ERROR, "Opening " + description + " again after compacting it failed", e);
        }
    }

    /** Whether the file is larger than {@code size} and less than half of it is live data. */
    private boolean mostlyReplaced(long size) throws SQLException {
        long fileSize = 0;
        int fillRate = 100;
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                        + "WHERE SETTING_NAME IN ('info.FILE_SIZE', 'info.FILL_RATE', 'info.CHUNKS_FILL_RATE')")) {
            // FILL_RATE: how much of the file is in chunks not freed yet; CHUNKS_FILL_RATE: how
            // much of those chunks is live data.
            while (rs.next()) {
                if (rs.getString(1).equals("info.FILE_SIZE")) {
                    fileSize = Long.parseLong(rs.getString(2));
                } else {
                    fillRate = Math.min(fillRate, Integer.parseInt(rs.getString(2)));
                }
            }
        }
        return fileSize > size && fillRate < 50;
    }

    /** Closes the database, writing its live data to a new file. */
    private void compact() throws SQLException {
        statements.clear();
        try (Statement s = connection.createStatement()) {
            s.execute("SHUTDOWN COMPACT");
        }
        connection.close();
    }

    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    static <T> Optional<T> one(PreparedStatement select, RowReader<T> reader) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(reader.read(rs)) : Optional.empty();
        }
    }

    static <T> List<T> all(PreparedStatement select, RowReader<T> reader) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                rows.add(reader.read(rs));
            }
        }
        return rows;
    }

    PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /** Runs {@code work} in one transaction, committed before this returns, or rolled back. */
    synchronized <T> T transaction(Work<T> work) {
        if (closed) {
            throw new IllegalStateException("The history is closed");
        }
        try {
            T result = work.run();
            connection.commit();
            if (persistent) {
                // The commit is in H2's memory; CHECKPOINT writes it to the file before we return.
                statement("CHECKPOINT").execute();
                if (++commitsSinceCompactCheck >= COMPACT_CHECK_INTERVAL) {
                    commitsSinceCompactCheck = 0;
                    compactIfMostlyReplaced();
                }
            }
            return result;
        } catch (SQLException e) {
            rollback();
            throw new IllegalStateException("The history could not be read or written (" + description + "): "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            rollback();
            throw e;
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "Rolling back a change to " + description + " failed", e);
        }
    }
}
