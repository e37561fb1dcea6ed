package org.p2pchat.client.core.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.identity.PublicIdentity;

/**
 * What the file transfer gets of a conversation's sessions, the same for every session (the
 * first and each reconnected one): it watches each before it is negotiated, and learns the key
 * the peer proved, to which its transfers are bound (only that key resumes them).
 */
final class FileHandOff {

    private final Supplier<FileTransferService> files;

    private final Executor work;

    FileHandOff(Supplier<FileTransferService> files, Executor work) {
        this.work = work;
        this.files = files;
    }

    /** A new session, before negotiating: nothing the peer says first is missed. */
    void attach(PeerSession s) {
        FileTransferService service = files.get();
        if (service != null) {
            service.attach(s);
        }
    }

    /** The peer of {@code s} proved {@code identity} (nothing for the web app, whose transfers never resume). */
    void verified(PeerSession s, Optional<PublicIdentity> identity) {
        FileTransferService service = files.get();
        if (service != null && identity.isPresent()) {
            service.verified(s, identity.get());
        }
    }

    boolean installed() {
        return files.get() != null;
    }

    /** Whether files can go to the peer of {@code s} now; never waits (views ask on their UI threads). */
    boolean canSend(PeerSession s, boolean webApp) {
        FileTransferService service = files.get();
        // supports() may wait for the peer's join notice; until it came, the answer is no.
        return service != null && s != null && !webApp && s.state() == ConnectionState.CONNECTED
                && s.peerClient().isDone() && service.supports(s);
    }

    /** Offers {@code paths} to the peer of the session {@code current} gives, off the caller's thread. */
    CompletableFuture<TransferStatus> send(SessionSupplier current, List<Path> paths) {
        FileTransferService service = files.get();
        if (service == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "This client has no file transfer installed (the org.p2pchat.files.bt plug-in is missing)."));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                // The service refuses a peer that cannot take files, saying why, and tells a web app user so in the chat.
                return service.offer(current.get(), paths);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, work);
    }

    /** The session to send on, or why there is none. */
    interface SessionSupplier {
        PeerSession get() throws SessionException;
    }
}
