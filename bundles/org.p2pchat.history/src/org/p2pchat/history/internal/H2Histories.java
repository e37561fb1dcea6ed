package org.p2pchat.history.internal;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

import org.p2pchat.history.HistoryException;
import org.p2pchat.history.MessageHistory;

/**
 * Opens H2 histories without a framework: what {@link H2HistoryService} does, for a process that
 * has only H2 and this bundle on its class path (a test's child process, the benchmark).
 */
public final class H2Histories {

    private H2Histories() {
    }

    /** As {@link org.p2pchat.history.HistoryService#open}. */
    public static MessageHistory open(Path profileDirectory, Optional<byte[]> key) throws HistoryException {
        HistoryDatabase.Opened opened = HistoryDatabase.openFile(profileDirectory, key);
        try {
            return new H2MessageHistory(opened);
        } catch (SQLException e) {
            throw new HistoryException(opened.description() + " could not be opened: " + e.getMessage(), e);
        }
    }

    /** As {@link org.p2pchat.history.HistoryService#openInMemory}. */
    public static MessageHistory openInMemory() {
        try {
            return new H2MessageHistory(HistoryDatabase.openInMemory());
        } catch (SQLException e) {
            throw new IllegalStateException("A history in memory could not be made: " + e.getMessage(), e);
        }
    }

    /** The database file in a profile directory. */
    public static Path file(Path profileDirectory) {
        return profileDirectory.resolve(HistoryDatabase.FILE_NAME);
    }
}
