package org.p2pchat.signaling.manual.tests;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.core.signaling.TextSignalingProvider;
import org.p2pchat.signaling.manual.internal.ManualSignalingProvider;

/** The manual exchange provider as the framework registers it: the tests use the real service. */
final class RegisteredProvider {

    static final long WAIT_MILLIS = 10_000;

    /** Open for the life of the test framework, so DS keeps one instance. */
    private static final ServiceTracker<TextSignalingProvider, TextSignalingProvider> TRACKER = open();

    private RegisteredProvider() {
    }

    static BundleContext context() {
        return FrameworkUtil.getBundle(RegisteredProvider.class).getBundleContext();
    }

    private static ServiceTracker<TextSignalingProvider, TextSignalingProvider> open() {
        try {
            ServiceTracker<TextSignalingProvider, TextSignalingProvider> tracker = new ServiceTracker<>(context(),
                    context().createFilter("(&(objectClass=" + TextSignalingProvider.class.getName() + ")(component.name="
                            + ManualSignalingProvider.class.getName() + "))"),
                    null);
            tracker.open();
            return tracker;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The registered manual exchange provider, once DS has registered it. */
    static TextSignalingProvider manual() {
        try {
            TextSignalingProvider provider = TRACKER.waitForService(WAIT_MILLIS);
            if (provider != null) {
                return provider;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("the manual exchange provider was not registered within " + WAIT_MILLIS + " ms");
    }
}
