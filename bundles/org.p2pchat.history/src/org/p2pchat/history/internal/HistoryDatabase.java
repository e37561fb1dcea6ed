package org.p2pchat.history.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.h2.Driver;
import org.h2.api.ErrorCode;
import org.p2pchat.history.HistoryException;

/**
 * Opens the H2 database a history lives in ({@code <profile>/history.mv.db}), and says in words
 * what went wrong. Connections are made with H2's driver object itself, never through
 * {@code DriverManager}, which cannot see H2 across OSGi class loaders.
 */
final class HistoryDatabase {

    /** The database's name; H2 adds {@code .mv.db} for the file. */
    static final String NAME = "history";
    static final String FILE_NAME = NAME + ".mv.db";

    /**
     * DB_CLOSE_ON_EXIT=FALSE: the history closes it, not a shutdown hook that may run first.
     * TRACE_LEVEL_FILE=0: no {@code history.trace.db} beside it (errors are reported to the caller).
     * Durability: H2 writes commits to the file from a background thread (up to WRITE_DELAY later);
     * {@link H2MessageHistory} writes each of its commits to the file before it returns instead
     * (CHECKPOINT). REUSE_SPACE=FALSE: H2 writes every commit at the end of the file, where it
     * finds it again after a crash; written into space freed inside the file, the last few commits
     * before a kill were lost (measured: 1 to 4 messages in 5 of 6 kills). The file so grows with
     * every commit (about 20 KB each) until the history compacts it (see
     * {@link H2MessageHistory}).
     */
    private static final String SETTINGS = ";DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0;REUSE_SPACE=FALSE";
    private static final String USER = "history";
    /** How H2 starts an encrypted file. */
    private static final byte[] ENCRYPTED_HEADER = "H2encrypt\n".getBytes(StandardCharsets.ISO_8859_1);

    /**
     * The histories open in this process: H2 would share one open database between two opens in one
     * process, so the file lock that refuses a second program does not refuse a second open here.
     */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private HistoryDatabase() {
    }

    /** Opens the same database again (after it was compacted). */
    @FunctionalInterface
    interface Reconnect {
        Connection connect() throws SQLException;
    }

    /** An open database, how to open it again, and what to do when it is closed. */
    record Opened(Connection connection, Reconnect reconnect, Runnable release, String description,
            boolean persistent) {
    }

    static Opened openFile(Path profileDirectory, Optional<byte[]> key) throws HistoryException {
        Path directory = profileDirectory.toAbsolutePath().normalize();
        if (directory.toString().contains(";")) {
            throw new HistoryException("The history cannot be kept in " + directory
                    + ": the folder's path contains ';'. Choose a profile folder without it.");
        }
        byte[] keyBytes = key.orElse(null);
        if (keyBytes != null && keyBytes.length == 0) {
            throw new IllegalArgumentException("an empty key");
        }
        try {
            Files.createDirectories(directory);
            directory = directory.toRealPath();
        } catch (IOException e) {
            throw new HistoryException("The history could not be opened: the folder " + directory
                    + " cannot be made or read (" + e.getMessage() + ")", e);
        }
        if (!OPEN.add(directory)) {
            throw new HistoryException(inUse());
        }
        boolean opened = false;
        try {
            checkEncryption(directory, keyBytes != null);
            String url = "jdbc:h2:file:" + directory.resolve(NAME) + SETTINGS + (keyBytes != null ? ";CIPHER=AES" : "");
            Properties properties = new Properties();
            properties.setProperty("user", USER);
            // With CIPHER, H2 takes "<file password> <user password>"; the file password is the key.
            properties.setProperty("password", keyBytes != null ? HexFormat.of().formatHex(keyBytes) + " " : "");
            Connection connection = connect(url, properties, directory);
            ownerOnly(directory.resolve(FILE_NAME));
            Path held = directory;
            opened = true;
            return new Opened(connection, () -> new Driver().connect(url, properties), () -> OPEN.remove(held),
                    "the history in " + directory, true);
        } finally {
            if (!opened) {
                OPEN.remove(directory);
            }
        }
    }

    static Opened openInMemory() {
        String url = "jdbc:h2:mem:history-" + UUID.randomUUID() + ";DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0";
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", "");
        try {
            return new Opened(new Driver().connect(url, properties), () -> {
                throw new SQLException("a history in memory cannot be opened again");
            }, () -> {
            }, "a history in memory", false);
        } catch (SQLException e) {
            throw new IllegalStateException("A history in memory could not be made: " + e.getMessage(), e);
        }
    }

    /**
     * H2 reports a wrong key and a file that is not encrypted (or not a database) alike; its
     * encrypted files start with a header that says which it is.
     */
    private static void checkEncryption(Path directory, boolean withKey) throws HistoryException {
        Path file = directory.resolve(FILE_NAME);
        byte[] start = new byte[ENCRYPTED_HEADER.length];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(start, 0, start.length);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new HistoryException("The history in " + directory + " could not be opened: " + FILE_NAME
                    + " cannot be read (" + e.getMessage() + ")", e);
        }
        boolean encrypted = read == start.length && Arrays.equals(start, ENCRYPTED_HEADER);
        if (withKey && !encrypted && read > 0) {
            throw new HistoryException("The history in " + directory + " could not be opened: " + FILE_NAME
                    + " is damaged or not encrypted; nothing was changed. Move it aside to start a new history");
        }
        if (!withKey && encrypted) {
            throw new HistoryException("The history in " + directory
                    + " could not be opened: it is encrypted, and no key was given; nothing was changed");
        }
    }

    static String inUse() {
        return "The history of this profile is open in another P2P Chat program; close it first";
    }

    private static Connection connect(String url, Properties properties, Path directory)
            throws HistoryException {
        try {
            Connection connection = new Driver().connect(url, properties);
            if (connection == null) {
                throw new HistoryException("The history in " + directory + " could not be opened: H2 refused " + url);
            }
            return connection;
        } catch (SQLException e) {
            throw new HistoryException(openFailure(e, directory), e);
        }
    }

    private static String openFailure(SQLException e, Path directory) {
        return switch (e.getErrorCode()) {
            case ErrorCode.FILE_ENCRYPTION_ERROR_1, ErrorCode.WRONG_USER_OR_PASSWORD, ErrorCode.WRONG_PASSWORD_FORMAT ->
                "The history in " + directory + " could not be opened: the key or passphrase is wrong; nothing was changed";
            case ErrorCode.DATABASE_ALREADY_OPEN_1 -> inUse();
            case ErrorCode.FILE_CORRUPTED_1 -> "The history in " + directory + " could not be opened: "
                    + FILE_NAME + " is damaged; nothing was changed. Move it aside to start a new history (" + firstLine(e) + ")";
            default -> "The history in " + directory + " could not be opened: " + firstLine(e);
        };
    }

    private static String firstLine(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** The file is readable by its owner only, like the profile's other secrets' files. */
    private static void ownerOnly(Path file) {
        try {
            if (Files.exists(file) && Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException | UnsupportedOperationException e) {
            System.getLogger(HistoryDatabase.class.getName()).log(System.Logger.Level.DEBUG,
                    "Could not make " + file + " owner-only", e);
        }
    }
}
