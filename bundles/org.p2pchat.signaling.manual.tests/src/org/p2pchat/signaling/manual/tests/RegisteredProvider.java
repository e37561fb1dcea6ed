package org.p2pchat.signaling.manual.tests;

import java.net.URI;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.settings.SettingsSection;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.PasteCodec;
import org.p2pchat.core.signaling.PasteCodec.Form;
import org.p2pchat.core.signaling.ProviderCallback;
import org.p2pchat.core.signaling.ProviderContext;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.signaling.manual.internal.ManualSignalingProvider;

/** The manual exchange provider as the framework registers it: the tests use the real service. */
final class RegisteredProvider {

    static final long WAIT_MILLIS = 10_000;

    /** Open for the life of the test framework, so DS keeps one instance. */
    private static final ServiceTracker<ConnectionProvider, ConnectionProvider> TRACKER = open();

    private RegisteredProvider() {
    }

    static BundleContext context() {
        return FrameworkUtil.getBundle(RegisteredProvider.class).getBundleContext();
    }

    private static ServiceTracker<ConnectionProvider, ConnectionProvider> open() {
        try {
            ServiceTracker<ConnectionProvider, ConnectionProvider> tracker = new ServiceTracker<>(context(),
                    context().createFilter("(&(objectClass=" + ConnectionProvider.class.getName() + ")(component.name="
                            + ManualSignalingProvider.class.getName() + "))"),
                    null);
            tracker.open();
            return tracker;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The registered manual exchange provider, once DS has registered it. */
    static ConnectionProvider manual() {
        try {
            ConnectionProvider provider = TRACKER.waitForService(WAIT_MILLIS);
            if (provider != null) {
                return provider;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("the manual exchange provider was not registered within " + WAIT_MILLIS + " ms");
    }

    /** The paste codec of a link the registered provider started, with shorthands for unsigned descriptions. */
    static Paste paste() {
        return new Paste(manual().start(new UnusedContext()).paste().orElseThrow());
    }

    /** The codec as the tests use it: most of them carry descriptions without proof. */
    record Paste(PasteCodec codec) {

        String encode(SignedDescription description, Form form) {
            return codec.encode(description, form);
        }

        String encode(SessionDescription description, Form form) {
            return codec.encode(SignedDescription.unsigned(description), form);
        }

        SignedDescription decodeSigned(String text, SessionDescription.Type expected) throws SignalingException {
            return codec.decode(text, expected);
        }

        SessionDescription decode(String text, SessionDescription.Type expected) throws SignalingException {
            return codec.decode(text, expected).description();
        }
    }

    /** The manual exchange needs nothing from its client: it has no identity, settings or callbacks to use. */
    private static final class UnusedContext implements ProviderContext {

        @Override
        public PublicIdentity self() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String displayName() {
            return "tester";
        }

        @Override
        public boolean listed() {
            return false;
        }

        @Override
        public List<URI> services() {
            return List.of();
        }

        @Override
        public SettingsSection settings() {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] sign(String context, byte[] message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ProviderCallback callback() {
            throw new UnsupportedOperationException();
        }
    }
}
