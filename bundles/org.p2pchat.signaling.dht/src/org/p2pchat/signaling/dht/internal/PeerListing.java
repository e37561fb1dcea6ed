package org.p2pchat.signaling.dht.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.SignalingException;

/** One fetch of the peers every service lists now, ourselves excluded, merged by id and sorted by name. */
final class PeerListing {

    private static final System.Logger LOG = System.getLogger(PeerListing.class.getName());

    private final DhtLink owner;

    PeerListing(DhtLink owner) {
        this.owner = owner;
    }

    CompletableFuture<List<PeerAddress>> peers() {
        if (owner.isClosed()) {
            return CompletableFuture.failedFuture(DhtLink.closedException());
        }
        if (owner.links.isEmpty()) {
            return CompletableFuture.failedFuture(new SignalingException("No rendezvous service is set up: add one in "
                    + "the settings (DHT network)."));
        }
        Map<ServiceLink, Future<List<ServicePeer>>> lists = new LinkedHashMap<>();
        CompletableFuture<List<PeerAddress>> result = new CompletableFuture<>();
        try {
            for (ServiceLink link : owner.links) {
                lists.put(link, owner.work.submit(() -> listOf(link)));
            }
            owner.work.execute(() -> {
                try {
                    result.complete(merged(lists));
                } catch (SignalingException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(DhtLink.closedException());
        }
        return result;
    }

    private List<ServicePeer> listOf(ServiceLink link) throws IOException, InterruptedException, SignalingException {
        RendezvousApi api = link.knownApi();
        if (api == null) {
            throw new SignalingException(link.status().detail());
        }
        LegacyApi twin = link.legacyTwin();
        Set<String> ours = new HashSet<>(List.of(api.ourId(), owner.context.self().key(), link.legacyId()));
        List<ServicePeer> peers = new ArrayList<>(api.peers().stream().filter(p -> !ours.contains(p.id())).toList());
        if (!api.authenticated()) {
            peers = new ArrayList<>(WebAppTwins.withoutStale(peers));
        }
        if (twin != null) {
            peers.addAll(webAppPeers(link, twin, peers, ours));
        }
        return peers;
    }

    /**
     * The web app's users on a service that also speaks our API, listed beside its own peers. Our
     * listed clients are on the web app's list too (as their legacy twins), and nothing there tells
     * them from web app users; so an entry named like a peer of the authenticated list is taken
     * for such a twin and left out (a web app user who picks the same name as one of ours is left
     * out with it). A list that cannot be had leaves the authenticated peers shown.
     */
    private List<ServicePeer> webAppPeers(ServiceLink link, LegacyApi twin, List<ServicePeer> authenticated,
            Set<String> ours) throws InterruptedException {
        Set<String> names = new HashSet<>();
        authenticated.forEach(p -> names.add(p.name()));
        try {
            return WebAppTwins.withoutStale(twin.peers().stream()
                    .filter(p -> !ours.contains(p.id()) && !names.contains(p.name())).toList());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.INFO, "{0}: could not list the web app API''s peers: {1}", link.service,
                    e instanceof IOException io ? link.describe(io) : e.toString());
            return List.of();
        }
    }

    private List<PeerAddress> merged(Map<ServiceLink, Future<List<ServicePeer>>> lists) throws SignalingException {
        Map<String, ServicePeer> byId = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<ServiceLink, Future<List<ServicePeer>>> e : lists.entrySet()) {
            try {
                for (ServicePeer p : e.getValue().get()) {
                    byId.merge(p.id(), p, (a, b) -> lastSeen(b).isAfter(lastSeen(a)) ? b : a);
                }
            } catch (ExecutionException x) {
                Throwable cause = x.getCause();
                failures.add(cause instanceof Exception ex && !(cause instanceof SignalingException)
                        ? e.getKey().describe(ex) : cause.getMessage());
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                failures.add("interrupted");
            }
        }
        if (failures.size() == lists.size()) {
            throw new SignalingException("No rendezvous service answered: " + String.join(" ", failures));
        }
        List<ServicePeer> peers = new ArrayList<>(byId.values());
        peers.sort(Comparator.comparing((ServicePeer p) -> p.name().toLowerCase()).thenComparing(ServicePeer::id));
        // An id of the authenticated API that is no key is left out (a broken service's).
        return peers.stream().map(ServicePeer::toAddress).filter(a -> a != null).toList();
    }

    private static Instant lastSeen(ServicePeer p) {
        return p.lastSeen() == null ? Instant.EPOCH : p.lastSeen();
    }
}
