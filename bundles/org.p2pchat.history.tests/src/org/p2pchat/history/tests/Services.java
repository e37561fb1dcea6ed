package org.p2pchat.history.tests;

import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.history.HistoryService;

/** The history service as the framework registers it, and keys for tests. */
final class Services {

    private Services() {
    }

    static BundleContext context() {
        return FrameworkUtil.getBundle(Services.class).getBundleContext();
    }

    static <S> S await(Class<S> type) {
        ServiceTracker<S, S> tracker = new ServiceTracker<>(context(), type, null);
        tracker.open();
        try {
            S service = tracker.waitForService(20_000);
            if (service == null) {
                throw new AssertionError("No " + type.getSimpleName() + " service within 20 s");
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            tracker.close();
        }
    }

    static HistoryService histories() {
        return await(HistoryService.class);
    }

    /** Asks {@code value} until it has one (a state another thread changes), for at most 20 s. */
    static <T> Optional<T> eventually(Supplier<Optional<T>> value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Optional<T> now = value.get();
        while (now.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            now = value.get();
        }
        return now;
    }

    /** A 32-byte key made from {@code seed}. */
    static byte[] key(long seed) {
        byte[] key = new byte[32];
        new Random(seed).nextBytes(key);
        return key;
    }

    static String hex(byte[] key) {
        return HexFormat.of().formatHex(key);
    }
}
