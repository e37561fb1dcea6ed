package org.p2pchat.signaling.dht.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

import org.p2pchat.core.IceServer;

/**
 * The TURN credentials of one service that offers them ({@code "turn": true} in its
 * {@code /v1/info}): fetched once we are registered on its authenticated API, renewed at two
 * thirds of their lifetime (sooner if the expiry they state is nearer by our clock), kept until
 * they run out while a renewal fails, and dropped then. A virtual thread of its own, so that a
 * slow or refused fetch never holds up the registration or the signals.
 */
final class ServiceTurn {

    private static final System.Logger LOG = System.getLogger(ServiceTurn.class.getName());
    /** The soonest a renewal is tried again, whatever the credentials say (a service whose clock is far off). */
    static final Duration MIN_RENEWAL = Duration.ofSeconds(5);

    /** Servers fetched, usable until {@code validUntil} ({@link System#nanoTime()}): their ttl after the fetch. */
    private record Fetched(List<IceServer> servers, long validUntil) {
    }

    private final ServiceLink link;
    private final DhtTimings timings;
    private volatile Fetched current;
    /** How many times credentials were fetched; for tests and diagnostics. */
    private volatile int fetches;
    private Thread thread;

    ServiceTurn(ServiceLink link, DhtTimings timings) {
        this.link = link;
        this.timings = timings;
    }

    /** The servers with credentials still valid; empty if none were fetched or they ran out. */
    List<IceServer> servers() {
        Fetched f = current;
        return f == null || System.nanoTime() - f.validUntil >= 0 ? List.of() : f.servers;
    }

    int fetches() {
        return fetches;
    }

    synchronized void start() {
        if (thread == null) {
            thread = Thread.ofVirtual().name("p2pchat-dht " + link.service + " (TURN)").start(this::runGuarded);
        }
    }

    synchronized void stop() {
        if (thread != null) {
            thread.interrupt();
        }
        current = null;
    }

    private void runGuarded() {
        try {
            run();
        } catch (InterruptedException e) {
            // stopped
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, link.service + ": fetching TURN credentials stopped after an internal error", e);
        }
    }

    private void run() throws InterruptedException {
        Duration retry = timings.firstRetry();
        long fetchedAlong = -1;
        long nextAttempt = 0;
        while (!link.isClosed()) {
            RendezvousApi api = link.registeredApi();
            long along = link.registrations();
            if (!(api instanceof AuthenticatedApi authenticated) || !authenticated.offersTurn()
                    || along == fetchedAlong && System.nanoTime() - nextAttempt < 0) {
                // Not registered, no TURN there, or not due: wait. A new registration (the service
                // restarted, perhaps with a new secret) makes the credentials due at once.
                Thread.sleep(timings.legacyPollInterval());
                continue;
            }
            fetchedAlong = along;
            IssuedIceServers issued;
            try {
                issued = authenticated.turn();
            } catch (IOException e) {
                if (e instanceof RendezvousHttp.ServiceRefusal r && r.status == 404) {
                    authenticated.offersTurn(false); // it no longer does; /v1/info tells us again after a restart
                }
                LOG.log(Level.INFO, "{0}: no TURN credentials ({1}); trying again in {2} s", link.service,
                        e.getMessage(), retry.toSeconds());
                nextAttempt = System.nanoTime() + retry.toNanos();
                retry = retry.multipliedBy(2).compareTo(timings.maxRetry()) > 0 ? timings.maxRetry()
                        : retry.multipliedBy(2);
                continue;
            }
            retry = timings.firstRetry();
            long now = System.nanoTime();
            current = new Fetched(issued.servers(), now + issued.ttl().toNanos());
            fetches++;
            Duration renewIn = renewal(issued, System.currentTimeMillis());
            nextAttempt = now + renewIn.toNanos();
            LOG.log(Level.INFO, "{0}: TURN credentials for {1} server URLs, valid {2} s; renewing in {3} s",
                    link.service, issued.servers().size(), issued.ttl().toSeconds(), renewIn.toSeconds());
        }
    }

    /**
     * When to renew: at two thirds of the lifetime, or a third of it before the expiry the user name
     * states by our clock if that is sooner; never sooner than {@link #MIN_RENEWAL}.
     */
    static Duration renewal(IssuedIceServers issued, long nowMillis) {
        long ttlMillis = issued.ttl().toMillis();
        long renewMillis = ttlMillis * 2 / 3;
        if (issued.expiresAt() > 0) {
            long byExpiry = issued.expiresAt() * 1000 - nowMillis - ttlMillis / 3;
            renewMillis = Math.min(renewMillis, byExpiry);
        }
        return Duration.ofMillis(Math.max(renewMillis, MIN_RENEWAL.toMillis()));
    }
}
