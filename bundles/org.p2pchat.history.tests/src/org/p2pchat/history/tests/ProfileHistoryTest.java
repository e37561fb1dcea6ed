package org.p2pchat.history.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.p2pchat.core.profile.ProfileVault;
import org.p2pchat.history.HistoryException;
import org.p2pchat.history.HistoryService;
import org.p2pchat.history.MessageHistory;
import org.p2pchat.history.internal.H2Histories;

/**
 * The running profile's history: registered as a service once the profile's vault is, encrypted
 * with the vault's {@code history} secret; not registered, with the reason in
 * {@link HistoryService#problem()}, when it cannot be opened.
 */
class ProfileHistoryTest {

    @TempDir
    Path otherProfile;

    @Test
    void theRunningProfilesHistoryIsAServiceEncryptedWithTheVaultsKey() throws Exception {
        MessageHistory history = Services.await(MessageHistory.class);
        ProfileVault vault = Services.await(ProfileVault.class);
        assertEquals(Optional.empty(), Services.histories().problem());
        ServiceReference<MessageHistory> ref = Services.context().getServiceReference(MessageHistory.class);
        assertEquals(vault.directory().toString(), ref.getProperty("profile.directory"));
        assertTrue(Files.exists(H2Histories.file(vault.directory())));
        String id = history.conversationWith("profile-test-key", "Tester").id();
        assertEquals("Tester", history.conversation(id).orElseThrow().peerName());

        HistoryException open = assertThrows(HistoryException.class,
                () -> Services.histories().open(vault.directory(), Optional.of(vault.secret("history", 32))));
        assertTrue(open.getMessage().contains("open in another P2P Chat program"), open.getMessage());
    }

    @Test
    void aHistoryThatCannotBeOpenedIsNotRegisteredAndTheProblemSaysWhy() throws Exception {
        Services.await(MessageHistory.class);
        // The other profile's history was made with another key than its vault's.
        Services.histories().open(otherProfile, Optional.of(Services.key(9))).close();
        Dictionary<String, Object> ranking = new Hashtable<>();
        ranking.put(Constants.SERVICE_RANKING, 100);
        ServiceRegistration<ProfileVault> registration = Services.context().registerService(ProfileVault.class,
                new FixedVault(otherProfile, Services.key(10)), ranking);
        try {
            // The history opens on a thread of its own: the problem is reported once it was tried.
            Optional<String> problem = Services.eventually(() -> Services.histories().problem());
            assertTrue(problem.isPresent(), "no problem reported");
            assertEquals("The history in " + otherProfile.toRealPath()
                    + " could not be opened: the key or passphrase is wrong; nothing was changed", problem.get());
            assertEquals(null, Services.context().getServiceReference(MessageHistory.class));
        } finally {
            registration.unregister();
        }
        MessageHistory back = Services.await(MessageHistory.class);
        assertEquals(Optional.empty(), Services.histories().problem());
        back.conversations();
    }

    /**
     * Opening the database is not done by the thread that hands over the vault: at start that is
     * the framework starting its bundles, and the whole program would wait for H2.
     */
    @Test
    void theHistoryIsOpenedAndRegisteredOffTheThreadThatGaveTheVault() throws Exception {
        Services.await(MessageHistory.class);
        CompletableFuture<String> registeredBy = new CompletableFuture<>();
        ServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.REGISTERED
                    && otherProfile.toString().equals(event.getServiceReference().getProperty("profile.directory"))) {
                registeredBy.complete(Thread.currentThread().getName());
            }
        };
        Services.context().addServiceListener(listener, "(objectClass=" + MessageHistory.class.getName() + ")");
        Dictionary<String, Object> ranking = new Hashtable<>();
        ranking.put(Constants.SERVICE_RANKING, 100);
        ServiceRegistration<ProfileVault> registration = Services.context().registerService(ProfileVault.class,
                new FixedVault(otherProfile, Services.key(11)), ranking);
        try {
            String thread = registeredBy.get(20, TimeUnit.SECONDS);
            assertNotEquals(Thread.currentThread().getName(), thread);
            assertEquals("p2pchat-history", thread);
            assertEquals(Optional.empty(), Services.histories().problem());
        } finally {
            Services.context().removeServiceListener(listener);
            registration.unregister();
        }
        Services.await(MessageHistory.class).conversations();
    }

    /** A vault whose {@code history} secret is a key the test chose. */
    private record FixedVault(Path directory, byte[] key) implements ProfileVault {

        @Override
        public boolean hasPassphrase() {
            return false;
        }

        @Override
        public byte[] secret(String name, int length) {
            return key.clone();
        }

        @Override
        public Optional<byte[]> read(String name) {
            return Optional.empty();
        }

        @Override
        public void write(String name, byte[] secret) throws IOException {
            throw new IOException("read-only");
        }
    }
}
