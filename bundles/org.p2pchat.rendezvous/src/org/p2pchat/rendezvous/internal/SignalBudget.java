package org.p2pchat.rendezvous.internal;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.p2pchat.rendezvous.RendezvousLimits;

/**
 * The signals one API holds queued, counted and weighed, so that what the service keeps is bounded
 * in heap bytes and not only in number. Each API has its own budget, so that neither can fill the
 * other's; within it each client address (IPv6: its /64) holds at most a share, so that one address
 * cannot fill it for everyone else.
 *
 * <p>A signal is charged what the service really keeps of it ({@link #retained(String)} of its
 * strings plus {@link #OVERHEAD_BYTES}), not the size of the request it came in: a small body can
 * parse into a much larger structure, so payloads are kept as text and the text is weighed.
 */
final class SignalBudget {

    /** What a queued signal costs beyond its strings: the signal object, its queue slot, its share of the mailbox. */
    static final int OVERHEAD_BYTES = 96;
    /** A String's own object plus its array's header, with compressed references. */
    private static final int STRING_OVERHEAD_BYTES = 40;

    /**
     * The bytes queued by one client address. Changed only inside {@link ConcurrentHashMap#compute}
     * of its entry, and the entry is removed when nothing is queued, so a queued signal's account is
     * always the one in the map.
     */
    static final class Account {
        final String address;
        private long bytes;

        private Account(String address) {
            this.address = address;
        }
    }

    private final String api;
    private final int maxSignals;
    private final long maxBytes;
    private final long maxBytesPerAddress;
    private final AtomicLong signals = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();

    /** @param api the API's name in refusals ("legacy", "/v1") */
    SignalBudget(String api, RendezvousLimits limits) {
        this.api = api;
        this.maxSignals = limits.maxSignalsTotal();
        this.maxBytes = limits.maxQueuedSignalBytes();
        this.maxBytesPerAddress = limits.maxQueuedSignalBytesPerAddress();
    }

    /**
     * Heap bytes of a string: compact strings keep one byte per character when every character is
     * Latin-1, else two.
     */
    static int retained(String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) > 0xFF) {
                return STRING_OVERHEAD_BYTES + 2 * length;
            }
        }
        return STRING_OVERHEAD_BYTES + length;
    }

    /**
     * Reserves room for one signal of {@code charge} bytes sent from {@code from}; returns the
     * address's account, which {@link #release} needs back.
     *
     * @throws ApiException 429 if the address holds its share, 503 if the API's budget is full
     */
    Account reserve(InetAddress from, int charge) throws ApiException {
        String address = RateLimiter.addressKey(from);
        boolean[] overShare = new boolean[1];
        Account account = accounts.compute(address, (key, existing) -> {
            Account a = existing != null ? existing : new Account(key);
            if (a.bytes + charge > maxBytesPerAddress) {
                overShare[0] = true;
            } else {
                a.bytes += charge;
            }
            return a.bytes == 0 ? null : a;
        });
        if (overShare[0]) {
            throw new ApiException(429, "signals from this address hold their maximum of " + maxBytesPerAddress
                    + " bytes queued in the " + api + " API; retry after their recipients fetch them");
        }
        if (signals.incrementAndGet() > maxSignals) {
            signals.decrementAndGet();
            refund(account, charge);
            throw new ApiException(503, "the service holds its maximum of " + maxSignals + " queued " + api
                    + " signals; retry later");
        }
        if (bytes.addAndGet(charge) > maxBytes) {
            bytes.addAndGet(-charge);
            signals.decrementAndGet();
            refund(account, charge);
            throw new ApiException(503, "the service holds its maximum of " + maxBytes + " bytes of queued " + api
                    + " signals; retry later");
        }
        return account;
    }

    /** Gives back the room of one signal of {@code charge} bytes reserved for {@code account}. */
    void release(Account account, int charge) {
        signals.decrementAndGet();
        bytes.addAndGet(-charge);
        refund(account, charge);
    }

    private void refund(Account account, int charge) {
        accounts.computeIfPresent(account.address, (key, a) -> {
            a.bytes -= charge;
            return a.bytes <= 0 ? null : a;
        });
    }

    long signals() {
        return signals.get();
    }

    long bytes() {
        return bytes.get();
    }

    /** Client addresses with signals queued in this API. */
    int addresses() {
        return accounts.size();
    }
}
