package org.p2pchat.testing.provider.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.IdentityProof;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.settings.SettingsSection;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.PeerAnswer;
import org.p2pchat.core.signaling.ProviderCallback;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.core.signaling.ProviderContext;
import org.p2pchat.core.signaling.ProviderLink;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.testing.provider.FolderMailboxProvider;

/** The test provider as a client layer meets it: through the SPI, two clients in one folder. */
class FolderMailboxProviderTest {

    private static final long WAIT_SECONDS = 10;
    private static final SessionDescription OFFER = new SessionDescription(SessionDescription.Type.OFFER,
            "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\na=fingerprint:sha-256 AB:CD\r\n");
    private static final SessionDescription ANSWER = new SessionDescription(SessionDescription.Type.ANSWER,
            "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\na=fingerprint:sha-256 EF:01\r\n");

    @TempDir
    Path folder;

    private Client alice;
    private Client bob;

    @AfterEach
    void close() {
        for (Client c : new Client[] { alice, bob }) {
            if (c != null) {
                c.link.close();
            }
        }
    }

    @Test
    void registeredByDeclarativeServicesWithWhatItCanDo() throws Exception {
        ConnectionProvider provider = provider();
        assertEquals("test-folder", provider.id());
        assertEquals("Test folder", provider.displayName());
        assertEquals(Set.of(ProviderCapability.PEER_LIST, ProviderCapability.CONNECT, ProviderCapability.INCOMING),
                provider.capabilities());
    }

    @Test
    void twoClientsListEachOtherAndCarryAnOfferAndItsAnswerWithTheirProofs() throws Exception {
        alice = new Client("alice", folder);
        bob = new Client("bob", folder);
        alice.online.get(WAIT_SECONDS, TimeUnit.SECONDS);
        bob.online.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(folder.toString(), alice.link.status().get(0).scope());
        assertEquals(alice.self.key(), alice.link.status().get(0).ourId());

        PeerAddress bobSeen = alice.link.peers().get().stream().filter(p -> p.id().equals(bob.self.key())).findFirst()
                .orElseThrow();
        assertEquals("bob", bobSeen.name());
        assertEquals(bob.self, bobSeen.identity().orElseThrow());
        assertEquals(1, alice.link.peers().get().size(), "ourselves excluded");
        assertEquals(bobSeen.id(), alice.link.address(" " + bob.self.key() + "\n").orElseThrow().id());
        assertTrue(alice.link.address("../etc").isEmpty());

        SignedDescription offer = new SignedDescription(OFFER, new IdentityProof(alice.self, "n1", "s1"));
        CompletableFuture<PeerAnswer> answer = alice.link.send(bobSeen, offer, true).answer();
        InboundOffer received = bob.offers.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(alice.self.key(), received.from().id());
        assertEquals("alice", received.from().name());
        assertEquals(offer, received.offer());
        assertTrue(received.reconnect());

        SignedDescription reply = new SignedDescription(ANSWER, new IdentityProof(bob.self, "n2", "s2"));
        received.answer(reply).get(WAIT_SECONDS, TimeUnit.SECONDS);
        PeerAnswer got = answer.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(reply, got.answer());
        assertEquals(bob.self.key(), got.from().id());
    }

    @Test
    void aRefusalReachesTheRequesterWithItsReason() throws Exception {
        alice = new Client("alice", folder);
        bob = new Client("bob", folder);
        bob.online.get(WAIT_SECONDS, TimeUnit.SECONDS);
        PeerAddress to = alice.link.address(bob.self.key()).orElseThrow();
        CompletableFuture<PeerAnswer> answer = alice.link.send(to, SignedDescription.unsigned(OFFER), false).answer();
        InboundOffer received = bob.offers.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNull(received.offer().proof());
        received.reject("the proof did not verify");
        ExecutionException e = assertThrows(ExecutionException.class, () -> answer.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(SignalingException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("bob declined: the proof did not verify"), e.getCause().getMessage());
    }

    @Test
    void aClosedClientLeavesTheListAndAnUnknownOneIsAClearError() throws Exception {
        alice = new Client("alice", folder);
        bob = new Client("bob", folder);
        bob.online.get(WAIT_SECONDS, TimeUnit.SECONDS);
        PeerAddress to = alice.link.address(bob.self.key()).orElseThrow();
        bob.link.close();
        assertEquals(ProviderStatus.State.CLOSED, bob.link.status().get(0).state());
        assertTrue(alice.link.peers().get().isEmpty());

        PeerAddress stranger = new PeerAddress("test-folder", Client.newIdentity().key(), "carol", folder.toString(),
                Optional.empty(), null);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> alice.link.send(stranger, SignedDescription.unsigned(OFFER), false).answer().get());
        assertTrue(e.getCause().getMessage().contains("carol has never been in"), e.getCause().getMessage());
        assertFalse(alice.link.send(to, SignedDescription.unsigned(OFFER), false).answer().isCompletedExceptionally(),
                "bob's mailbox stays: an unlisted or absent client can still be written to");
    }

    private static ConnectionProvider provider() throws InterruptedException, InvalidSyntaxException {
        BundleContext context = FrameworkUtil.getBundle(FolderMailboxProviderTest.class).getBundleContext();
        ServiceTracker<ConnectionProvider, ConnectionProvider> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + ConnectionProvider.class.getName() + ")(component.name="
                        + FolderMailboxProvider.class.getName() + "))"),
                null);
        tracker.open();
        try {
            ConnectionProvider provider = tracker.waitForService(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            if (provider == null) {
                throw new AssertionError("the test provider was not registered");
            }
            return provider;
        } finally {
            tracker.close();
        }
    }

    /** One client as the client layer would start it: its own key, name, settings section and callback. */
    private static final class Client implements ProviderContext, ProviderCallback, SettingsSection {
        final PublicIdentity self;
        final String name;
        final Path folder;
        final CompletableFuture<Void> online = new CompletableFuture<>();
        final CompletableFuture<InboundOffer> offers = new CompletableFuture<>();
        final ProviderLink link;

        Client(String name, Path folder) throws Exception {
            this.self = newIdentity();
            this.name = name;
            this.folder = folder;
            this.link = provider().start(this);
        }

        static PublicIdentity newIdentity() throws GeneralSecurityException {
            return PublicIdentity.of(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
        }

        @Override
        public PublicIdentity self() {
            return self;
        }

        @Override
        public String displayName() {
            return name;
        }

        @Override
        public boolean listed() {
            return true;
        }

        @Override
        public List<URI> services() {
            return List.of();
        }

        @Override
        public SettingsSection settings() {
            return this;
        }

        @Override
        public byte[] sign(String context, byte[] message) {
            throw new UnsupportedOperationException("the test provider signs nothing");
        }

        @Override
        public ProviderCallback callback() {
            return this;
        }

        @Override
        public void offered(InboundOffer offer) {
            offers.complete(offer);
        }

        @Override
        public void withdrawn(InboundOffer offer) {
        }

        @Override
        public void statusChanged(List<ProviderStatus> status) {
            if (status.get(0).state() == ProviderStatus.State.ONLINE) {
                online.complete(null);
            }
        }

        @Override
        public String id() {
            return "test-folder";
        }

        @Override
        public <T> T read(Class<T> type, Supplier<T> defaults) {
            return type.cast(new FolderMailboxProvider.Settings(folder.toString()));
        }

        @Override
        public void write(Object value) {
            throw new UnsupportedOperationException();
        }
    }
}
