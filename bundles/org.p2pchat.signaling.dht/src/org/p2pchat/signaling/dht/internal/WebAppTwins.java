package org.p2pchat.signaling.dht.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;


/**
 * The web app registers again under a new id ({@code user-<ms>-<name>}) each time its user
 * accepts a request, and never refreshes the old registration, which stays listed until the
 * service expires it (120 s). Shown as they are, one person is listed twice and "connect NAME"
 * finds two peers. So on the web app's API an older registration of the same name is left out
 * once a newer one exists and the older one has not registered again since.
 */
final class WebAppTwins {

    private WebAppTwins() {
    }

    /** {@code peers} (of one service's web app API) without the stale registrations of a web app user. */
    static List<ServicePeer> withoutStale(List<ServicePeer> peers) {
        Map<String, ServicePeer> newest = new HashMap<>();
        for (ServicePeer p : peers) {
            if (LegacyApi.madeAt(p.id()) > 0) {
                newest.merge(p.name(), p, (a, b) -> LegacyApi.madeAt(b.id()) > LegacyApi.madeAt(a.id()) ? b : a);
            }
        }
        return peers.stream().filter(p -> !isStale(p, newest.get(p.name()))).toList();
    }

    /**
     * Older than {@code newest} and not seen since it registered: a live client of ours refreshes
     * its registration (every 30 s), the web app never does. Both times are the service's.
     */
    private static boolean isStale(ServicePeer p, ServicePeer newest) {
        long madeAt = LegacyApi.madeAt(p.id());
        return newest != null && madeAt > 0 && madeAt < LegacyApi.madeAt(newest.id())
                && !lastSeen(p).isAfter(lastSeen(newest));
    }

    private static Instant lastSeen(ServicePeer p) {
        return p.lastSeen() == null ? Instant.EPOCH : p.lastSeen();
    }
}
