package org.p2pchat.client.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;

import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.ProviderLink;
import org.p2pchat.core.signaling.SignalingException;

/**
 * A peer by id, by a name only one listed peer has, or by an address the method reads from the
 * text. Two people often start at the same moment, so a peer not listed yet is looked for again
 * every second until the patience runs out.
 */
final class PeerFinder {

    private static final long RETRY_MILLIS = 1000;

    private final ProviderLink link;
    private final String wanted;
    private final Duration patience;
    private final long deadline;
    private final CompletableFuture<PeerAddress> result = new CompletableFuture<>();

    private final LongFunction<Executor> after;

    /** @param after runs a task after so many milliseconds (the client's own threads) */
    PeerFinder(ProviderLink link, String wanted, Duration patience,
            LongFunction<Executor> after) {
        this.link = link;
        this.after = after;
        this.wanted = wanted.strip();
        this.patience = patience;
        this.deadline = System.nanoTime() + patience.toNanos();
    }

    CompletableFuture<PeerAddress> find() {
        look();
        return result;
    }

    private void look() {
        CompletableFuture<List<PeerAddress>> listed;
        try {
            listed = link.peers();
        } catch (RuntimeException e) {
            result.completeExceptionally(e); // a provider that throws instead of failing its future
            return;
        }
        listed.whenComplete((peers, error) -> {
            if (error != null) {
                result.completeExceptionally(error instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : error);
                return;
            }
            try {
                Optional<PeerAddress> found = match(peers);
                if (found.isPresent()) {
                    result.complete(found.get());
                } else if (System.nanoTime() > deadline) {
                    result.completeExceptionally(new SignalingException("No listed peer has the id or name '" + wanted
                            + "' (looked for " + patience.toSeconds() + " s); 'p2pchat cli peers' lists them."));
                } else {
                    after.apply(RETRY_MILLIS).execute(this::look);
                }
            } catch (SignalingException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
    }

    private Optional<PeerAddress> match(List<PeerAddress> peers) throws SignalingException {
        for (PeerAddress p : peers) {
            if (p.id().equals(wanted)) {
                return Optional.of(p);
            }
        }
        List<PeerAddress> named = peers.stream().filter(p -> p.name().equals(wanted)).toList();
        if (named.size() == 1) {
            return Optional.of(named.get(0));
        }
        if (named.size() > 1) {
            throw new SignalingException(named.size() + " peers are called '" + wanted + "'; connect by id instead: "
                    + String.join(", ", named.stream().map(PeerAddress::id).toList()));
        }
        return link.address(wanted); // an unlisted peer, reachable by its id
    }
}
