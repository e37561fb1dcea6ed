package org.p2pchat.ui.settings.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.health.HealthStatus;
import org.p2pchat.core.settings.IceServerEntry;
import org.p2pchat.core.settings.Settings;

/** STUN and TURN servers, checked by the transport the way a session would use them. */
final class IceServerKind extends EntryKind<IceServerEntry> {

    private static final int USERNAME = 2;
    private static final int CREDENTIAL = 3;
    /** The transport answers within a few seconds; this only bounds a transport that does not. */
    private static final long GIVE_UP_MS = 30_000;
    private static final long POLL_MS = 100;

    private static final List<Field> FIELDS = List.of(
            new Field("name", "Name", "A label for you, e.g. \"Home TURN\"", false, 16),
            new Field("url", "URL", "stun:host:port or turn:host:port, optionally ?transport=tcp", false, 34),
            new Field("username", "Username", "Only for TURN servers", false, 12),
            new Field("credential", "Credential", "Only for TURN servers; stored in the profile's settings file",
                    true, 0));

    private final PeerTransport transport;

    IceServerKind(PeerTransport transport) {
        super(new Access<>(e -> List.of(e.name(), e.url(), e.username(), e.credential()), IceServerEntry::enabled,
                IceServerEntry::builtIn, IceServerEntry::problem), "ice", "STUN / TURN", "ICE server", "ICE servers",
                "Servers that help peers find a route to each other. Enabled servers are used, STUN and TURN alike.",
                """
                        STUN and TURN servers help two computers behind home routers (NAT) find a way to each other; \
                        WebRTC calls this ICE.

                        A STUN server only tells your computer which public address it has, so that the two peers \
                        can connect directly. It sees your address, never your messages. Most connections need \
                        nothing more.

                        A TURN server relays the (still encrypted) traffic when no direct route exists: strict \
                        company or mobile networks, or both peers behind symmetric NAT. It needs a username and a \
                        credential, and it sees how much you send and to whom, never what. Without one, such \
                        peers cannot connect at all.

                        You can run your own STUN/TURN server (coturn; see stunturn/ in the project). \
                        "Check" gathers addresses through the selected server, as a real connection would.""");
        this.transport = transport;
    }

    @Override
    List<Field> fields() {
        return FIELDS;
    }

    @Override
    IceServerEntry create(List<String> v, boolean enabled, boolean builtIn) {
        return new IceServerEntry(v.get(NAME), v.get(URL), v.get(USERNAME), v.get(CREDENTIAL), enabled, builtIn);
    }

    /** A problem that remains with a username and credential filled in is the URL's. */
    @Override
    int problemField(IceServerEntry e) {
        if (new IceServerEntry(e.name(), e.url(), "-", "-", e.enabled(), false).problem().isPresent()) {
            return URL;
        }
        return e.username().isBlank() ? USERNAME : CREDENTIAL;
    }

    @Override
    List<IceServerEntry> defaults() {
        return Settings.defaults().iceServers();
    }

    @Override
    HealthStatus check(IceServerEntry entry, IProgressMonitor monitor) {
        if (transport == null) {
            return new HealthStatus(HealthStatus.Level.UNKNOWN, "cannot check: the WebRTC transport is not installed",
                    Duration.ZERO);
        }
        CompletableFuture<HealthStatus> result = transport.checkIceServer(entry.toIceServer());
        long start = System.nanoTime();
        while (true) {
            try {
                return result.get(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                Duration waited = Duration.ofNanos(System.nanoTime() - start);
                if (monitor.isCanceled() || waited.toMillis() > GIVE_UP_MS) {
                    result.cancel(true);
                    return HealthStatus.failed(monitor.isCanceled() ? "check cancelled" : "no result", waited);
                }
            } catch (ExecutionException e) {
                return HealthStatus.failed("check failed: " + e.getCause(), Duration.ofNanos(System.nanoTime() - start));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return HealthStatus.failed("check interrupted", Duration.ofNanos(System.nanoTime() - start));
            }
        }
    }
}
