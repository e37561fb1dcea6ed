package org.p2pchat.signaling.dht.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.rendezvous.auth.SignedRequest;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.core.signaling.ProviderStatus.State;

/**
 * Our presence on one service: finds out which API it speaks, registers, keeps the registration
 * fresh, receives signals, and after a failure (service down, restarted, unreachable) tries again
 * with growing pauses and registers anew. One virtual thread per service runs all of this.
 * <p>
 * On a service that speaks both APIs, a listed link uses the authenticated one and is also
 * present on the web app's (its "legacy twin"), so the web app's users, who see only that API's
 * directory, can find us and ask to connect: a second virtual thread registers there under our
 * {@code user-<ms>-<name>} id and polls its mailbox for as long as we are registered on
 * {@code /v1}. An unlisted link never appears there, since that directory lists everyone.
 */
final class ServiceLink {

    private static final System.Logger LOG = System.getLogger(ServiceLink.class.getName());

    final URI service;
    final RendezvousHttp http;
    private final DhtLink owner;
    private final DhtTimings timings;
    private final PublicIdentity self;
    private final SignedRequest.Signer signer;
    private final String name;
    private final boolean listed;
    /** Our id on the legacy API; the same for the whole link, so peers can keep it. */
    private final String legacyId;
    /** The web app's API as we use it on this service: the one in use, or the twin of the authenticated one. */
    private final LegacyApi legacy;

    private volatile RendezvousApi api;
    /**
     * Our authenticated API on this service once detected, kept when the service stops answering:
     * if it comes back with that API, its session may still hold (a network failure); if the
     * service restarted, the session is refused and a signed registration opens a new one.
     */
    private AuthenticatedApi authenticated;
    private volatile boolean registered;
    private volatile ProviderStatus status;
    private Thread thread;
    /** Whether the legacy twin is registered (it is only while we are registered on the authenticated API). */
    private volatile boolean twinRegistered;
    /** How often the main loop registered anew; the twin registers again whenever it changes. */
    private volatile long registrations;
    /** Why the legacy twin is not registered, in words for the user; null if nothing failed. */
    private volatile String twinProblem;
    private Thread twinThread;
    private boolean stopped;
    /** The service's TURN servers with credentials for us, where it offers them. */
    final ServiceTurn turn;
    /** {@link #retryNow} was called: the next wait to try again ends at once. */
    private final Object retrySignal = new Object();
    private boolean retryRequested;

    ServiceLink(URI service, DhtLink owner, DhtTimings timings, PublicIdentity self, SignedRequest.Signer signer,
            String name, boolean listed) {
        this.service = service;
        this.http = new RendezvousHttp(service);
        this.owner = owner;
        this.timings = timings;
        this.self = self;
        this.signer = signer;
        this.name = name;
        this.listed = listed;
        this.legacyId = LegacyApi.newId(name);
        this.legacy = new LegacyApi(service, http, timings, legacyId, name);
        this.status = status(State.CONNECTING, null, "", "Contacting " + service + " ...");
        this.turn = new ServiceTurn(this, timings);
    }

    boolean isClosed() {
        return owner.isClosed();
    }

    /** How many times we registered anew on this service (it forgot us, or restarted). */
    long registrations() {
        return registrations;
    }

    ProviderStatus status() {
        return status;
    }

    /** The scope of this service's statuses and peer addresses. */
    String scope() {
        return ServicePeer.scope(service);
    }

    /** A status of this service; the detail names the API in use once known, as a person reads it. */
    private ProviderStatus status(State state, RendezvousApi a, String ourId, String text) {
        return new ProviderStatus(scope(), state, ourId, a == null ? text : text + " Uses the " + a.name() + " API.");
    }

    /** The API in use once registered; empty while not. */
    RendezvousApi registeredApi() {
        return registered ? api : null;
    }

    /** The API once known, registered or not (for listing peers while re-registering). */
    RendezvousApi knownApi() {
        return api;
    }

    /**
     * The web app's API where we are present on it besides the authenticated one (a listed
     * link on a service that speaks both); null otherwise.
     */
    LegacyApi legacyTwin() {
        return listed && api instanceof AuthenticatedApi ? legacy : null;
    }

    /** The legacy twin once registered; null while not. */
    LegacyApi registeredLegacyTwin() {
        return registered && twinRegistered ? legacyTwin() : null;
    }

    /** Our id on the web app's API (the id of the legacy twin on a service that speaks both). */
    String legacyId() {
        return legacyId;
    }

    /**
     * Why a peer of the web app's API on this service cannot be reached from here now: we are
     * registered on the authenticated API only.
     */
    String legacyUnreachable(String who) {
        if (!listed) {
            return who + " uses the web app's API on " + service + ", where everyone is listed; you joined "
                    + "unlisted, so you are not there and cannot reach its users. Join listed to reach them.";
        }
        String problem = twinProblem;
        return "Not registered for web app users on " + service + " at the moment (" + (problem == null
                ? "registering" : problem) + ") Try again once you are.";
    }

    synchronized void start() {
        owner.report(status);
        thread = Thread.ofVirtual().name("p2pchat-dht " + service).start(this::runGuarded);
        turn.start();
    }

    synchronized void stop() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
        if (twinThread != null) {
            twinThread.interrupt();
        }
        turn.stop();
    }

    /** Starts the legacy twin's thread, once, for a listed link registered on the authenticated API. */
    private synchronized void startTwin() {
        if (twinThread == null && !stopped && legacyTwin() != null) {
            twinThread = Thread.ofVirtual().name("p2pchat-dht " + service + " (web app API)").start(this::runTwinGuarded);
        }
    }

    /** Leaves the service where the API allows it; called once the loop is stopped. */
    void unregister() {
        RendezvousApi a = api;
        if (a != null && registered) {
            try {
                a.unregister();
            } catch (IOException e) {
                LOG.log(Level.INFO, "{0}: could not unregister: {1}", service, describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        registered = false;
    }

    /** A bug must not leave the status saying CONNECTING or ONLINE while nothing runs any more. */
    private void runGuarded() {
        try {
            run();
        } catch (Throwable t) {
            LOG.log(Level.ERROR, service + ": the connection to the service stopped after an internal error", t);
            setStatus(status(State.UNREACHABLE, null, "", "The connection to " + service
                    + " stopped after an internal error (" + t + "). Leave and join again."));
            registered = false;
        }
    }

    private void run() {
        String scheme = service.getScheme() == null ? "" : service.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || service.getHost() == null) {
            setStatus(status(State.UNREACHABLE, null, "", service
                    + " is not a rendezvous service address: it must start with http:// or https:// and name a host."));
            return;
        }
        Duration retry = timings.firstRetry();
        long nextRegistration = 0;
        boolean refusedOnce = false;
        while (!owner.isClosed()) {
            boolean fetching = false;
            try {
                RendezvousApi a = api;
                if (a == null) {
                    a = detect();
                    api = a;
                }
                if (!registered || System.nanoTime() - nextRegistration >= 0) {
                    Duration interval = a.register();
                    nextRegistration = System.nanoTime() + interval.toNanos();
                    if (!registered) {
                        // Registered anew (the service may have forgotten everyone): so must the twin be.
                        twinRegistered = false;
                        registrations++;
                        registered = true;
                        LOG.log(Level.INFO, "{0}: registered as {1} ({2} API)", service, a.ourId(), a.name());
                    }
                    reportRegistered();
                    startTwin();
                }
                fetching = true;
                List<Signal> signals = a.fetch();
                refusedOnce = false;
                retry = timings.firstRetry();
                for (Signal s : signals) {
                    owner.received(this, a, s);
                }
                Duration pause = a.pauseAfterFetch();
                if (!pause.isZero()) {
                    Thread.sleep(pause);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (owner.isClosed()) {
                    return;
                }
                if (fetching && e instanceof RendezvousHttp.ServiceRefusal r && (r.status == 503 || r.status == 429)) {
                    // Busy, not gone (even a wait=0 fetch was refused): we are still registered, and
                    // our signals expire within a minute, so poll again soon rather than backing off.
                    LOG.log(Level.INFO, "{0}: {1}; fetching again in {2} ms", service, r.getMessage(),
                            timings.legacyPollInterval().toMillis());
                    try {
                        Thread.sleep(timings.legacyPollInterval());
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                    continue;
                }
                registered = false;
                if (fetching && !refusedOnce && e instanceof RendezvousHttp.ServiceRefusal r && r.status >= 400
                        && r.status < 500 && r.status != 429) {
                    // The service forgot us (it restarted): register again at once, but only once in a row.
                    LOG.log(Level.INFO, "{0}: {1}; registering again", service, r.getMessage());
                    refusedOnce = true;
                    continue;
                }
                if (!(e instanceof RendezvousHttp.ServiceRefusal)) {
                    // Not answering at all: it may come back as another program, so ask again which API it speaks.
                    api = null;
                }
                if (e instanceof RuntimeException) {
                    LOG.log(Level.WARNING, service + ": unexpected failure", e);
                }
                RendezvousApi a = api;
                setStatus(status(State.UNREACHABLE, a, "", describe(e) + " Retrying by itself."));
                try {
                    if (awaitRetry(retry)) {
                        retry = timings.firstRetry(); // asked to try now: something changed there
                        continue;
                    }
                } catch (InterruptedException interrupted) {
                    return;
                }
                retry = doubled(retry);
            }
        }
    }

    private void runTwinGuarded() {
        try {
            runTwin();
        } catch (Throwable t) {
            LOG.log(Level.ERROR, service + ": the registration for web app users stopped after an internal error", t);
            twinRegistered = false;
            twinProblem = "the registration for them stopped after an internal error (" + t + "). Leave and join again.";
            reportRegistered();
        }
    }

    /**
     * The legacy twin: registered and polled like a link on the web app's API, but only while we
     * are registered on the authenticated API (the main loop takes care of the service going away
     * and coming back, after which the twin registers anew at once).
     */
    private void runTwin() {
        Duration retry = timings.firstRetry();
        long nextRegistration = 0;
        long registeredAlong = -1;
        while (!owner.isClosed()) {
            try {
                if (!registered || legacyTwin() == null) {
                    // Not registered on /v1 (or the service now speaks the web app's API only): wait for it.
                    twinRegistered = false;
                    twinProblem = null;
                    retry = timings.firstRetry();
                    Thread.sleep(timings.legacyPollInterval());
                    continue;
                }
                long along = registrations;
                if (!twinRegistered || along != registeredAlong || System.nanoTime() - nextRegistration >= 0) {
                    legacy.twinOf(self.key());
                    Duration interval = legacy.register();
                    registeredAlong = along;
                    nextRegistration = System.nanoTime() + interval.toNanos();
                    if (!twinRegistered) {
                        twinRegistered = true;
                        twinProblem = null;
                        LOG.log(Level.INFO, "{0}: also registered as {1} for web app users (legacy API)", service,
                                legacyId);
                        reportRegistered();
                    }
                }
                List<Signal> signals = legacy.fetch();
                retry = timings.firstRetry();
                for (Signal s : signals) {
                    owner.received(this, legacy, s);
                }
                Thread.sleep(legacy.pauseAfterFetch());
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (owner.isClosed()) {
                    return;
                }
                if (e instanceof RuntimeException) {
                    LOG.log(Level.WARNING, service + ": unexpected failure on the web app's API", e);
                } else {
                    LOG.log(Level.INFO, "{0}: web app API: {1}", service, describe(e));
                }
                twinRegistered = false;
                twinProblem = describe(e) + " Retrying by itself.";
                reportRegistered();
                try {
                    Thread.sleep(retry);
                } catch (InterruptedException interrupted) {
                    return;
                }
                retry = doubled(retry);
            }
        }
    }

    /**
     * Waits {@code pause} before the next attempt to reach the service, or less if
     * {@link #retryNow} is called meanwhile.
     *
     * @return whether {@link #retryNow} ended the wait
     */
    private boolean awaitRetry(Duration pause) throws InterruptedException {
        long deadline = System.nanoTime() + pause.toNanos();
        synchronized (retrySignal) {
            while (!retryRequested) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(retrySignal, left);
            }
            retryRequested = false;
            return true;
        }
    }

    /** Tries to reach the service at once if it is waiting to try again (it was just started here, say). */
    void retryNow() {
        synchronized (retrySignal) {
            retryRequested = true;
            retrySignal.notifyAll();
        }
    }

    /** Whether this service is on this computer (a loopback host over plain HTTP). */
    boolean onThisComputer() {
        String host = service.getHost();
        return "http".equalsIgnoreCase(service.getScheme()) && host != null
                && (host.equalsIgnoreCase("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
    }

    /** The next pause after another failure: twice the last, at most {@link DhtTimings#maxRetry()}. */
    private Duration doubled(Duration retry) {
        return retry.multipliedBy(2).compareTo(timings.maxRetry()) > 0 ? timings.maxRetry() : retry.multipliedBy(2);
    }

    /** Says ONLINE with the current detail, if we are registered on the API in use. */
    private synchronized void reportRegistered() {
        RendezvousApi a = api;
        if (registered && a != null) {
            setStatus(status(State.ONLINE, a, a.ourId(), registeredDetail(a)));
        }
    }

    private String registeredDetail(RendezvousApi a) {
        if (a instanceof AuthenticatedApi auth) {
            if (!auth.listed()) {
                return "Registered as " + name + " on " + service + ", not listed: peers reach you by your id only.";
            }
            String problem = twinProblem;
            return "Registered as " + name + " on " + service + ", listed for everyone on it; " + (twinRegistered
                    ? "also listed for web app users as " + legacyId + " (on the web app's API everyone is listed and "
                            + "requests are not authenticated)."
                    : problem == null
                            ? "registering for web app users too ..."
                            : "web app users cannot see you there at the moment: " + problem);
        }
        return "Registered as " + name + " on " + service + " (web app API: everyone on it sees you, and "
                + "requests are not authenticated).";
    }

    /** Which API the service speaks: the authenticated one if {@code /v1/info} says so, else the web app's. */
    private RendezvousApi detect() throws IOException, InterruptedException {
        RendezvousHttp.Reply info = http.get(AuthenticatedApi.INFO_ROUTE, null, timings.requestTimeout(),
                RendezvousHttp.SMALL_ANSWER_BYTES);
        if (info.ok() && jsonObject(info.body()) instanceof JsonObject o
                && AuthenticatedApi.API_NAME.equals(JsonFields.string(o, "api")) && JsonFields.number(o, "version") >= 1) {
            String serviceId = AuthenticatedApi.serviceId(o);
            if (serviceId == null) {
                throw new RendezvousHttp.ServiceRefusal(info.status(), "it runs an older version of the rendezvous"
                        + " service, whose requests are not bound to it (GET /v1/info names no service id); update it");
            }
            if (authenticated == null) {
                authenticated = new AuthenticatedApi(service, http, timings, self, signer, name, listed, serviceId);
            } else {
                authenticated.serviceId(serviceId);
            }
            authenticated.offersTurn(o.get("turn") instanceof com.google.gson.JsonPrimitive p && p.isBoolean()
                    && p.getAsBoolean());
            return authenticated;
        }
        RendezvousHttp.Reply health = http.get("/health", null, timings.requestTimeout(), RendezvousHttp.SMALL_ANSWER_BYTES);
        if (health.ok() && jsonObject(health.body()) instanceof JsonObject o && "healthy".equals(JsonFields.string(o, "status"))) {
            legacy.twinOf(null); // a service of the web app's API only: we are a peer of it like any other
            return legacy;
        }
        throw new RendezvousHttp.ServiceRefusal(health.status(), "it answers, but is not a rendezvous service "
                + "(GET /v1/info: " + info.reason() + "; GET /health: " + health.reason() + ").");
    }

    private static JsonObject jsonObject(String body) {
        try {
            return JsonParser.parseString(body) instanceof JsonObject o ? o : null;
        } catch (JsonParseException e) {
            return null;
        }
    }

    /** Both loops report here, so a status is never overwritten by an older one. */
    private synchronized void setStatus(ProviderStatus next) {
        if (owner.isClosed()) {
            return;
        }
        ProviderStatus previous = status;
        if (!next.equals(previous)) {
            status = next;
            if (next.state() != previous.state()) {
                LOG.log(Level.INFO, "{0}: {1} ({2})", service, next.state(), next.detail());
            }
            owner.report(next);
        }
    }

    /** Marks the service left, for the callback. */
    synchronized void closed() {
        status = status(State.CLOSED, api, status.ourId(), "Left " + service + ".");
        owner.report(status);
    }

    /** A failure in words for the user. */
    String describe(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        String where = "Cannot reach " + service + ": ";
        if (e instanceof RendezvousHttp.ServiceRefusal r) {
            if (r.status == 401) {
                // The time window is the refusal a user can do something about; the reason names ts= then.
                return service + " refused our signed request (" + r.getMessage() + ")."
                        + (r.getMessage().contains("ts=") ? " Is this computer's clock right?" : "");
            }
            return service + ": " + r.getMessage() + ".";
        }
        if (e instanceof HttpConnectTimeoutException) {
            return where + "no answer within 5 s.";
        }
        if (e instanceof HttpTimeoutException) {
            return where + "it stopped answering.";
        }
        if (e instanceof ConnectException || cause instanceof ConnectException) {
            return where + "connection refused (the service is not running there).";
        }
        if (cause instanceof UnresolvedAddressException || cause instanceof java.net.UnknownHostException) {
            return where + "its host name is not known.";
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return where + Text.shortened(message, 200) + ".";
    }
}
