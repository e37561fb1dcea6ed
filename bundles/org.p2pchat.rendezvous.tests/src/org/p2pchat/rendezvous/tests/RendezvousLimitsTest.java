package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.p2pchat.rendezvous.RendezvousLimits;

/** The limits record: defaults, the builder, and refusal of out-of-range values by name. */
class RendezvousLimitsTest {

    @Test
    void theBuilderStartsFromTheDefaultsAndChangesWhatItIsTold() {
        assertEquals(RendezvousLimits.DEFAULTS, RendezvousLimits.builder().build());
        RendezvousLimits changed = RendezvousLimits.builder().maxWaitingFetches(7).v1SignalTtlMillis(1234).build();
        assertEquals(7, changed.maxWaitingFetches());
        assertEquals(1234, changed.v1SignalTtlMillis());
        assertEquals(RendezvousLimits.DEFAULTS, changed.toBuilder().maxWaitingFetches(5_000).v1SignalTtlMillis(60_000)
                .build());
    }

    @Test
    void theLegacyConstructorKeepsTheDefaultsOfTheOtherLimits() {
        RendezvousLimits d = RendezvousLimits.DEFAULTS;
        RendezvousLimits legacy = new RendezvousLimits(d.maxBodyBytes(), d.maxIdLength(), d.maxPeers(),
                d.maxSignalsPerPeer(), d.maxSignalsTotal(), d.peerTtlMillis(), d.signalTtlMillis(),
                d.requestsPerSecond(), d.requestBurst(), d.maxTrackedAddresses(), d.peerListMaxAgeMillis());
        assertEquals(d, legacy);
    }

    @Test
    void theLegacyPeerListHolds1000PeersByDefaultAndZeroMeansNoCap() {
        assertEquals(1000, RendezvousLimits.DEFAULTS.legacyPeerListMax());
        assertEquals(0, RendezvousLimits.builder().legacyPeerListMax(0).build().legacyPeerListMax());
        var e = assertThrows(IllegalArgumentException.class, () -> RendezvousLimits.builder().legacyPeerListMax(-1).build());
        assertTrue(e.getMessage().contains("legacyPeerListMax"), e.getMessage());
    }

    @Test
    void withoutRateLimitTurnsOffBothRates() {
        RendezvousLimits open = RendezvousLimits.DEFAULTS.withoutRateLimit();
        assertEquals(0, open.requestsPerSecond());
        assertEquals(0, open.requestsPerKeyPerSecond());
    }

    @Test
    void anOutOfRangeLimitIsRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> RendezvousLimits.builder().maxRememberedNonces(0).build());
        assertTrue(e.getMessage().contains("maxRememberedNonces"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RendezvousLimits.builder().requestsPerKeyPerSecond(-1).build());
        assertThrows(IllegalArgumentException.class,
                () -> RendezvousLimits.builder().requestsPerSecond(Double.NaN).build());
    }
}
