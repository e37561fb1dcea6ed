package org.p2pchat.files.bt.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.p2pchat.core.files.TransferStatus.Direction;
import org.p2pchat.core.files.TransferStatus.State;

/**
 * Where the files of transfers are on disk: the sender's sources (checked before each run), the
 * receiver's claimed names and their ".part" downloads in the chosen folder, and the transfer
 * list that survives a restart ({@link TransferStore}).
 */
final class TransferFiles {

    static final String OCTET_STREAM = "application/octet-stream";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TransferFiles() {
    }

    /**
     * Sender: the record of a new offer of {@code files}, with a torrent of each non-empty one
     * naming {@code trackers}. Hashes every file, so it takes a while for big ones.
     */
    static TransferStore.Record newOffer(List<Path> files, List<String> trackers) throws IOException {
        TransferStore.Record r = new TransferStore.Record();
        r.id = UUID.randomUUID().toString();
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        r.token = Base64.getEncoder().encodeToString(token);
        r.direction = Direction.SENDING.name();
        r.state = State.WAITING_FOR_PEER.name();
        r.created = System.currentTimeMillis();
        for (Path file : files) {
            Path p = file.toAbsolutePath().normalize();
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new IOException("Cannot read " + p);
            }
            TransferStore.FileRecord f = new TransferStore.FileRecord();
            f.name = p.getFileName().toString();
            f.size = Files.size(p);
            f.source = p.toString();
            f.sourceModified = Files.getLastModifiedTime(p).toMillis();
            String type = null;
            try {
                type = Files.probeContentType(p);
            } catch (IOException e) {
                // unknown type
            }
            f.type = type == null ? OCTET_STREAM : type;
            if (f.size > 0) {
                try {
                    f.torrent = Base64.getEncoder().encodeToString(BtEngine.makeTorrent(p, f.size, trackers));
                } catch (RuntimeException e) {
                    throw new IOException("Cannot read " + p + ": " + e.getMessage(), e);
                }
            }
            r.files.add(f);
        }
        return r;
    }

    /** A stored transfer as it stands after a restart (what was moving waits for the peer); null if damaged. */
    static Transfer restore(TransferStore.Record r) {
        Transfer t;
        try {
            State.valueOf(r.state);
            Direction.valueOf(r.direction);
            t = new Transfer(r);
        } catch (RuntimeException e) {
            return null; // damaged entry: forget it
        }
        if (t.state() == State.RUNNING || t.state() == State.VERIFYING) {
            t.state(State.INTERRUPTED, null);
        }
        return t;
    }

    /**
     * Receiver: claims a free name in {@code directory} for each file of {@code t} (an empty
     * ".part" marks it taken); on failure, the names claimed so far are given back.
     */
    static void claimTargets(Transfer t, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> claimed = new ArrayList<>();
        try {
            for (TransferStore.FileRecord f : t.record.files) {
                Path target = FileNames.claim(directory, f.name);
                claimed.add(target);
                f.target = target.toString();
            }
        } catch (IOException e) {
            for (Path p : claimed) {
                Files.deleteIfExists(FileNames.partOf(p));
            }
            throw e;
        }
        t.record.directory = directory.toString();
    }

    /** Receiver: removes the ".part" of every file not finished. */
    static void discardUnfinished(Transfer t) {
        for (TransferStore.FileRecord f : t.record.files) {
            if (!f.done && f.target != null) {
                try {
                    Files.deleteIfExists(FileNames.partOf(Path.of(f.target)));
                } catch (IOException e) {
                    // left behind as .part; harmless
                }
            }
        }
    }

    /** Why a file being sent can no longer be sent, or null. */
    static String sourceProblem(TransferStore.FileRecord f) {
        Path p = Path.of(f.source);
        try {
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p)) {
                return f.name + " was moved or deleted before it was sent completely.";
            }
            if (Files.size(p) != f.size || Files.getLastModifiedTime(p).toMillis() != f.sourceModified) {
                return f.name + " was changed before it was sent completely.";
            }
        } catch (IOException e) {
            return f.name + " cannot be read: " + e.getMessage();
        }
        return null;
    }

    /** Whether a write failed because the disk (or the user's quota) is full. */
    static boolean noSpaceLeft(IOException e, Path directory) {
        String message = String.valueOf(e.getMessage());
        // The JDK passes on the system's text: ENOSPC and EDQUOT on Linux and macOS, and Windows'.
        if (message.contains("No space left") || message.contains("quota exceeded")
                || message.contains("not enough space")) {
            return true;
        }
        try {
            return Files.getFileStore(directory).getUsableSpace() == 0;
        } catch (IOException | RuntimeException unknown) {
            return false;
        }
    }
}
