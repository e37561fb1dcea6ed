package org.p2pchat.signaling.dht.tests;

import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.signaling.dht.internal.DhtSignalingProvider;

/** Services as the test framework registers them: the tests use the real components. */
final class Registered {

    static final long WAIT_SECONDS = 20;

    private Registered() {
    }

    static BundleContext context() {
        return FrameworkUtil.getBundle(Registered.class).getBundleContext();
    }

    static PeerTransport transport() {
        return service(PeerTransport.class, null);
    }

    static IdentityService identity() {
        return service(IdentityService.class, null);
    }

    /** The DHT provider's DS component. */
    static ConnectionProvider provider() {
        return service(ConnectionProvider.class, "(component.name=" + DhtSignalingProvider.class.getName() + ")");
    }

    private static <S> S service(Class<S> type, String filter) {
        try {
            ServiceTracker<S, S> tracker = filter == null ? new ServiceTracker<>(context(), type, null)
                    : new ServiceTracker<>(context(),
                            context().createFilter("(&(objectClass=" + type.getName() + ")" + filter + ")"), null);
            tracker.open();
            S s = tracker.waitForService(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            if (s == null) {
                throw new AssertionError("no " + type.getSimpleName() + " service within " + WAIT_SECONDS + " s");
            }
            return s;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
