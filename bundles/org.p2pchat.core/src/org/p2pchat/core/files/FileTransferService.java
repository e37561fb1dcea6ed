package org.p2pchat.core.files;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.p2pchat.core.PeerSession;

/** Sends and receives files over peer sessions; an OSGi service of a transfer plug-in. */
@ProviderType
public interface FileTransferService {

    /**
     * Whether files can be exchanged with this session's peer. The web app exchanges files in a
     * way we cannot join, so for its users this is false and clients say so.
     */
    boolean supports(PeerSession session);

    /**
     * Offers files to the peer; the transfer waits for the peer to accept.
     *
     * @throws IOException if a file cannot be read
     */
    TransferStatus offer(PeerSession session, List<Path> files) throws IOException;

    /** Accepts an offered transfer into {@code directory}. */
    void accept(String transferId, Path directory) throws IOException;

    void decline(String transferId);

    void pause(String transferId);

    void resume(String transferId);

    void cancel(String transferId);

    /** Every transfer of this profile, newest first. */
    List<TransferStatus> transfers();

    void addListener(TransferListener listener);

    void removeListener(TransferListener listener);
}
