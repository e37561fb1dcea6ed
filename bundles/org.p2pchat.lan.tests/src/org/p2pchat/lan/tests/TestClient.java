package org.p2pchat.lan.tests;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.settings.SettingsSection;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.ProviderCallback;
import org.p2pchat.core.signaling.ProviderContext;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.lan.LanSettings;

/**
 * One client as the client layer starts a provider for it: a key pair of its own (signing as the
 * identity service does), a name, the provider's settings section and a recording callback.
 */
final class TestClient implements ProviderContext, ProviderCallback, SettingsSection {

    final KeyPair keys;
    final PublicIdentity self;
    final String name;
    final LanSettings settings;
    final CompletableFuture<ProviderStatus> online = new CompletableFuture<>();
    /** The first report that the network cannot be used. */
    final CompletableFuture<ProviderStatus> unreachable = new CompletableFuture<>();
    final BlockingQueue<InboundOffer> offers = new LinkedBlockingQueue<>();
    final BlockingQueue<InboundOffer> withdrawn = new LinkedBlockingQueue<>();
    private int peerChanges;

    TestClient(String name, LanSettings settings) throws GeneralSecurityException {
        this.keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        this.self = PublicIdentity.of(keys.getPublic());
        this.name = name;
        this.settings = settings;
    }

    /** Signs {@code context + "\n" + message}, as {@code IdentityService#sign} does. */
    static byte[] sign(KeyPair keys, String context, byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(keys.getPrivate());
            s.update((context + "\n").getBytes(StandardCharsets.UTF_8));
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
        return sign(keys, context, message);
    }

    @Override
    public ProviderCallback callback() {
        return this;
    }

    @Override
    public void offered(InboundOffer offer) {
        offers.add(offer);
    }

    @Override
    public void withdrawn(InboundOffer offer) {
        withdrawn.add(offer);
    }

    @Override
    public void statusChanged(List<ProviderStatus> status) {
        if (status.get(0).state() == ProviderStatus.State.ONLINE) {
            online.complete(status.get(0));
        }
        if (status.get(0).state() == ProviderStatus.State.UNREACHABLE) {
            unreachable.complete(status.get(0));
        }
    }

    @Override
    public synchronized void peersChanged() {
        peerChanges++;
        notifyAll();
    }

    /** Waits until {@code condition} holds, re-checking it whenever the provider says the peers changed. */
    synchronized void awaitPeers(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.get()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(name + " never saw " + what);
            }
            wait(Math.min(left / 1_000_000 + 1, 1000)); // also polls: a condition may hold without a change
        }
    }

    @Override
    public String id() {
        return LanSettings.SECTION;
    }

    @Override
    public <T> T read(Class<T> type, Supplier<T> defaults) {
        return type.cast(settings);
    }

    @Override
    public void write(Object value) {
        throw new UnsupportedOperationException();
    }
}
