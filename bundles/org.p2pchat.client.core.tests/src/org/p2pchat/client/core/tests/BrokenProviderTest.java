package org.p2pchat.client.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.p2pchat.client.core.BrokenProvider;
import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.ChatClientFactory;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.ClientOptions;
import org.p2pchat.client.core.ConnectionMethod;
import org.p2pchat.core.signaling.PasteCodec;
import org.p2pchat.testing.BrokenProviderBundles;

/**
 * Deliberately broken provider plug-ins installed next to the others while the client runs (the
 * client layer of the framework, as the product has it): one that does not resolve, one whose
 * component throws in its activation, one whose component needs a service nobody registers. The
 * client names each with why, the other methods work, and once they are removed the client says
 * nothing is broken.
 */
class BrokenProviderTest {

    @TempDir
    Path work;
    private final List<Bundle> installed = new ArrayList<>();
    private ChatClient client;

    @AfterEach
    void removeFixtures() throws BundleException {
        for (Bundle b : installed) {
            if (b.getState() != Bundle.UNINSTALLED) {
                b.uninstall();
            }
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void brokenProviderPluginsAreNamedWithWhyAndTheOtherMethodsWork() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
        Peers.manual(); // the providers of the runtime are started (as the product starts them)
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals("org.p2pchat.lan")) {
                b.start(Bundle.START_ACTIVATION_POLICY);
            }
        }
        client = Peers.service(ChatClientFactory.class).open(ClientOptions.fromProfile());
        Events events = new Events("client");
        client.subscribe(Runnable::run, events);
        assertTrue(client.brokenProviders().isEmpty(), "nothing broken at first: " + client.brokenProviders());

        Bundle unresolved = install(context, BrokenProviderBundles.unresolved(work));
        assertThrows(BundleException.class, unresolved::start, "it cannot resolve");
        BrokenProvider notResolved = events.await(ClientEvent.ProvidersBroken.class,
                e -> named(e.providers(), BrokenProviderBundles.UNRESOLVED).isPresent()).providers().stream()
                .filter(p -> p.bundle().equals(BrokenProviderBundles.UNRESOLVED)).findFirst().orElseThrow();
        assertEquals(BrokenProvider.Problem.NOT_RESOLVED, notResolved.problem());
        assertEquals("test-unresolved", notResolved.methodId(), "the method's id, from the manifest");
        assertEquals(BrokenProviderBundles.VERSION, notResolved.version());
        assertTrue(notResolved.reason().contains("the package " + BrokenProviderBundles.MISSING_PACKAGE
                + " (version 1.0.0 or later, below 2.0.0), which no installed plug-in provides"), notResolved.reason());
        assertTrue(notResolved.text().startsWith("Broken test provider (does not resolve) ("
                + BrokenProviderBundles.UNRESOLVED + " 1.0.0) cannot be loaded: it needs the package"), notResolved.text());

        // Between its resolution and its start a bundle is briefly "resolved but not started", and may
        // be reported so: what counts is the state it settles in.
        Bundle failing = install(context, BrokenProviderBundles.failingActivation(work));
        failing.start(Bundle.START_ACTIVATION_POLICY);
        BrokenProvider failed = events.await(ClientEvent.ProvidersBroken.class,
                e -> named(e.providers(), BrokenProviderBundles.FAILING).filter(p -> p.problem() == BrokenProvider.Problem
                        .FAILED).isPresent()).providers().stream()
                .filter(p -> p.bundle().equals(BrokenProviderBundles.FAILING)).findFirst().orElseThrow();
        assertEquals(BrokenProvider.Problem.FAILED, failed.problem());
        assertEquals("test-failing", failed.methodId());
        assertEquals("its activation failed: " + BrokenProviderBundles.FAILURE + " (IllegalStateException)",
                failed.reason(), "SCR's failure in words");
        assertTrue(failed.text().startsWith("Broken test provider (fails to start) (" + BrokenProviderBundles.FAILING
                + " 1.0.0) could not start: its activation failed"), failed.text());

        Bundle unsatisfied = install(context, BrokenProviderBundles.missingReference(work));
        unsatisfied.start(Bundle.START_ACTIVATION_POLICY);
        BrokenProvider needs = events.await(ClientEvent.ProvidersBroken.class,
                e -> named(e.providers(), BrokenProviderBundles.UNSATISFIED).filter(p -> p.problem() == BrokenProvider
                        .Problem.FAILED).isPresent()).providers().stream()
                .filter(p -> p.bundle().equals(BrokenProviderBundles.UNSATISFIED)).findFirst().orElseThrow();
        assertEquals(BrokenProvider.Problem.FAILED, needs.problem());
        assertEquals("it needs a service that no installed plug-in provides: " + BrokenProviderBundles.MISSING_SERVICE,
                needs.reason());
        assertEquals(3, client.brokenProviders().size(), "all three named: " + client.brokenProviders());

        // The other methods are there and work.
        List<String> methods = client.methods().stream().map(ConnectionMethod::id).toList();
        assertTrue(methods.contains("manual"), "the manual exchange is still there: " + methods);
        String offer = client.paste().createOffer(PasteCodec.Form.COMPACT).get(Events.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertTrue(!offer.isBlank(), "a paste offer is made");

        unresolved.uninstall();
        failing.uninstall();
        unsatisfied.uninstall();
        events.await(ClientEvent.ProvidersBroken.class, e -> e.providers().isEmpty());
        assertEquals(List.of(), client.brokenProviders(), "removed, nothing is broken");
    }

    private Bundle install(BundleContext context, Path jar) throws BundleException {
        Bundle b = context.installBundle(jar.toUri().toString());
        installed.add(b);
        return b;
    }

    private static Optional<BrokenProvider> named(List<BrokenProvider> providers, String bundle) {
        return providers.stream().filter(p -> p.bundle().equals(bundle)).findFirst();
    }
}
