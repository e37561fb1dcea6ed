package org.p2pchat.core.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.identity.PublicIdentity;

/** Sends and receives files over peer sessions; an OSGi service of a transfer plug-in. */
@ProviderType
public interface FileTransferService {

    /** The folder accepted files go to unless the user picks another: "P2P Chat" under Downloads. */
    static Path defaultDownloadDirectory() {
        Path home = Path.of(System.getProperty("user.home"));
        Path downloads = home.resolve("Downloads");
        return (Files.isDirectory(downloads) ? downloads : home).resolve("P2P Chat");
    }

    /**
     * Lets the service watch a new session: offers from its peer, and unfinished transfers with
     * that peer resuming once it is connected. Call once per session, right after creating it
     * (before negotiating, so that nothing the peer says first is missed).
     */
    default void attach(PeerSession session) {
    }

    /**
     * The peer of {@code session} proved {@code peer} (its description's identity proof held).
     * Transfers are bound to the key of the peer they are with: an interrupted transfer resumes
     * only on a session whose peer proved the same key, so a client calls this for every session
     * whose peer it verified, as soon as it knows. A session never verified (the web app's
     * users) gets no resume.
     */
    default void verified(PeerSession session, PublicIdentity peer) {
    }

    /**
     * Whether files can be exchanged with this session's peer. The web app exchanges files in a
     * way we cannot join, so for its users this is false and clients say so; the service itself
     * tells a web app user in the chat when they offer a file or are offered one (attached
     * sessions). May wait a moment right after connecting, until the peer has said what client it
     * runs.
     */
    boolean supports(PeerSession session);

    /**
     * Offers files to the peer; the transfer waits for the peer to accept.
     *
     * @throws IOException if a file cannot be read
     */
    TransferStatus offer(PeerSession session, List<Path> files) throws IOException;

    /**
     * Accepts an offered transfer into {@code directory} (created if missing). Files never
     * replace existing ones: a name already taken gets " (1)", " (2)"...
     */
    void accept(String transferId, Path directory) throws IOException;

    void decline(String transferId);

    void pause(String transferId);

    void resume(String transferId);

    void cancel(String transferId);

    /** Every transfer of this profile, newest first. */
    List<TransferStatus> transfers();

    /**
     * The files of one transfer with their offered names, sizes and types, and for a received
     * transfer where each is saved once accepted; empty if unknown.
     */
    default List<TransferFile> files(String transferId) {
        return List.of();
    }

    void addListener(TransferListener listener);

    void removeListener(TransferListener listener);
}
