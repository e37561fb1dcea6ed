package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;

/**
 * The profile's transfer list, {@value #FILE_NAME}: what is needed to show old transfers and to
 * resume unfinished ones after a restart (the .torrent, paths, the resume token). Written whole,
 * atomically, on every change of state; never on progress (Bt finds the pieces on disk).
 */
final class TransferStore {

    static final String FILE_NAME = "transfers.json";
    /** Old finished transfers beyond this many are forgotten. */
    static final int MAX_KEPT = 500;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** One transfer as persisted. */
    static final class Record {
        String id;
        /** base64; proves a reconnecting peer is the one this transfer is with. */
        String token;
        String direction;
        String peerName;
        /**
         * The identity key of the peer this transfer is with (base64url); only a session whose
         * peer proved it may resume the transfer. Null for a peer that proved none: no resume.
         */
        String peerKey;
        String state;
        String problem;
        /** Receiver: the folder the files go to. */
        String directory;
        List<FileRecord> files = new ArrayList<>();
        /** Index of the file being transferred; files go one after another. */
        int current;
        /** Receiver: verified bytes of the current file when last saved, shown until Bt has rechecked. */
        long currentVerified;
        /** Sender: verified bytes the receiver reported last, shown (paused, interrupted) until it reports again. */
        long peerDone;
        /** Receiver: the sender was told the transfer is done. */
        boolean receiptSent;
        long created;
    }

    static final class FileRecord {
        /** Sender: the file's own name; receiver: the offered name made safe. */
        String name;
        long size;
        String type;
        /** base64 .torrent; null for an empty file. */
        String torrent;
        /** Sender: the file on disk, and its modification time when offered. */
        String source;
        long sourceModified;
        /** Receiver: the final path claimed in the folder (the download is its ".part"). */
        String target;
        boolean done;
    }

    private final Path file;

    TransferStore(Path profileDirectory) {
        this.file = profileDirectory.resolve(FILE_NAME);
    }

    /** The stored records; an unreadable file is kept aside and an empty list returned. */
    List<Record> load() {
        try {
            List<Record> records = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8),
                    new TypeToken<List<Record>>() {
                    }.getType());
            List<Record> valid = new ArrayList<>();
            if (records != null) {
                for (Record r : records) {
                    if (r != null && r.id != null && r.direction != null && r.state != null && r.files != null
                            && !r.files.isEmpty()) {
                        valid.add(r);
                    }
                }
            }
            return valid;
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        } catch (IOException | JsonParseException e) {
            try {
                Files.move(file, file.resolveSibling(FILE_NAME + ".unreadable-" + System.currentTimeMillis()));
            } catch (IOException ignored) {
                // leave it; it will be overwritten by the next save
            }
            return new ArrayList<>();
        }
    }

    void save(List<Record> records) throws IOException {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.writeString(tmp, GSON.toJson(records), StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
