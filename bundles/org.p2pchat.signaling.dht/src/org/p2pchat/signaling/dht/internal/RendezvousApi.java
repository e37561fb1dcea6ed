package org.p2pchat.signaling.dht.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;


/** One of the two HTTP APIs a rendezvous service speaks, as seen by one registered peer. */
sealed interface RendezvousApi permits LegacyApi, AuthenticatedApi {

    /** {@code "authenticated"} or {@code "legacy"}: which of the two, in the words status details use. */
    String name();

    boolean authenticated();

    /** Our address on the service. */
    String ourId();

    /** Registers or refreshes our registration; returns how soon to do it again. */
    Duration register() throws IOException, InterruptedException;

    /** Removes our registration where the API allows it. */
    void unregister() throws IOException, InterruptedException;

    /** The signals queued for us, waiting for some to arrive where the API can push. */
    List<Signal> fetch() throws IOException, InterruptedException;

    /** The pause between two fetches: none for a long poll, the poll interval for the legacy API. */
    Duration pauseAfterFetch();

    /** Whether the API carries this signal type (the legacy API knows no reject and no cancel). */
    boolean carries(String type);

    /** Queues a signal for a peer. */
    void send(String to, String type, String payload) throws IOException, InterruptedException;

    /** The peers the service lists now (ourselves included). */
    List<ServicePeer> peers() throws IOException, InterruptedException;

    /** A registered peer by id, listed or not; empty if the API cannot tell or it is not registered. */
    Optional<ServicePeer> peer(String id) throws IOException, InterruptedException;
}
