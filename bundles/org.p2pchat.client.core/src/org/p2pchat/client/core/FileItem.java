package org.p2pchat.client.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.p2pchat.core.files.TransferFile;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.files.TransferStatus.Direction;
import org.p2pchat.core.files.TransferStatus.State;

/**
 * A file transfer as a conversation shows it: the engine's status with what a person needs to
 * know beside it: each file by name, where the received files are saved, and who declined.
 *
 * @param status the transfer as it stands
 * @param files  each file of the transfer, in the order offered (for a received one, where it is
 *               saved once accepted); empty if the engine does not say
 */
public record FileItem(TransferStatus status, List<TransferFile> files) {

    /** Who did something to a transfer. */
    public enum Side {
        /** This client's user. */
        YOU,
        /** The peer the transfer is with. */
        PEER
    }

    public FileItem {
        files = files == null ? List.of() : List.copyOf(files);
    }

    public String id() {
        return status.id();
    }

    /** Whether the files come to us. */
    public boolean received() {
        return status.direction() == Direction.RECEIVING;
    }

    /**
     * Who declined the offer, once it is declined: only the receiver can decline, so that is us for
     * an offer we received and the peer for one we made.
     */
    public Optional<Side> declinedBy() {
        if (status.state() != State.DECLINED) {
            return Optional.empty();
        }
        return Optional.of(received() ? Side.YOU : Side.PEER);
    }

    /** The folder the received files are saved in, once accepted; empty for files we send. */
    public Optional<Path> folder() {
        return files.stream().flatMap(f -> f.savedAs().stream()).map(Path::getParent).findFirst();
    }
}
