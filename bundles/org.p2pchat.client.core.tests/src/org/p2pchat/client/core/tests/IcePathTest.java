package org.p2pchat.client.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.IceServer;
import org.p2pchat.core.settings.IceServerEntry;
import org.p2pchat.history.DeliveryState;
import org.p2pchat.testing.Coturn;
import org.p2pchat.testing.NetworkIsolation;

/**
 * Which path two real clients find through a real coturn, and what the client says about it:
 * relayed over UDP or TCP when nothing else gets through, a dead server named while the others
 * still connect, TURN added by the staged strategy, and an ICE restart through the connection
 * method when the path in use dies, with the conversation and its messages kept.
 */
class IcePathTest {

    static final long T = Events.TIMEOUT_SECONDS;
    /** ICE notices a dead path after seconds and gives up on a server after tens of seconds. */
    static final long LONG = 120;
    static final int TURN_PORT = 3478;

    private static Coturn coturn;

    @TempDir
    Path work;
    final PathFilter filter = new PathFilter(TURN_PORT);
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void startCoturn(@TempDir Path dir) throws Exception {
        NetworkIsolation.requireIsolatedNetwork();
        coturn = Coturn.start(dir.resolve("coturn"), NetworkIsolation.TEST_ADDRESS, TURN_PORT);
    }

    @AfterAll
    static void stopCoturn() {
        if (coturn != null) {
            coturn.close();
        }
    }

    @AfterEach
    void stop() throws Exception {
        System.clearProperty("p2pchat.client.iceStrategy");
        filter.close();
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private Peers.Pair pair(IceServerEntry... servers) throws Exception {
        Peers.Pair pair = Peers.Pair.inAFolder(work);
        open.add(pair.alice());
        open.add(pair.bob());
        for (Peers.Person p : List.of(pair.alice(), pair.bob())) {
            p.settings().save(p.settings().get().withIceServers(List.of(servers)));
        }
        return pair;
    }

    private static IceServerEntry turn(String url) {
        return new IceServerEntry("test TURN", url, Coturn.USER, Coturn.PASSWORD, true, false);
    }

    private static IceServerEntry stun(String url) {
        return new IceServerEntry("test STUN", url, "", "", true, false);
    }

    private static CandidatePath path(Peers.Person person, java.util.function.Predicate<CandidatePath> wanted)
            throws InterruptedException {
        return person.events().await(ClientEvent.PathSelected.class, e -> wanted.test(e.path()), LONG).path();
    }

    /** A message each way arrives and is acknowledged. */
    private static void chat(Peers.Pair pair, Conversation[] c, String text) throws Exception {
        ChatMessage a = c[0].send(text + " from alice").get(T, TimeUnit.SECONDS);
        ChatMessage b = c[1].send(text + " from bob").get(T, TimeUnit.SECONDS);
        DeliveryTest.awaitState(pair.alice(), a.id(), DeliveryState.DELIVERED);
        DeliveryTest.awaitState(pair.bob(), b.id(), DeliveryState.DELIVERED);
    }

    @Test
    void aSessionOfferedOnlyTurnConnectsThroughTheRelayOverUdp() throws Exception {
        Peers.Pair pair = pair(turn(coturn.turnUrl()));
        filter.relayOnly();
        Conversation[] c = DeliveryTest.connect(pair.alice(), pair.bob());

        CandidatePath path = path(pair.alice(), p -> true);
        assertEquals("relay", path.summary(), path.toString());
        assertEquals("udp", path.protocol(), path.toString());
        assertEquals("Relay (TURN), UDP", path.description());
        assertEquals("relay", path(pair.bob(), p -> true).summary());
        assertEquals(path, c[0].path().orElseThrow());
        chat(pair, c, "relayed");
    }

    @Test
    void turnServersOfTheConnectionMethodReachTheSessions() throws Exception {
        Peers.Pair pair = pair(); // nothing in the settings
        pair.mailbox().iceServers = List.of(new IceServer(coturn.turnUrl(), Coturn.USER, Coturn.PASSWORD));
        filter.relayOnly();
        Conversation[] c = DeliveryTest.connect(pair.alice(), pair.bob());

        assertEquals("relay", path(pair.alice(), p -> true).summary());
        chat(pair, c, "through the method's relay");
    }

    @Test
    void turnOverTcpOnlyReportsRelayOverTcp() throws Exception {
        Peers.Pair pair = pair(turn(coturn.turnUrl() + "?transport=tcp"));
        filter.noUdp();
        Conversation[] c = DeliveryTest.connect(pair.alice(), pair.bob());

        CandidatePath path = path(pair.alice(), p -> true);
        assertEquals("relay", path.summary(), path.toString());
        assertEquals("tcp", path.protocol(), path.toString());
        assertEquals("TCP", path.transport());
        chat(pair, c, "over tcp");
    }

    @Test
    void deadServersFirstStillConnectAndAreNamed() throws Exception {
        String deadStun = "stun:" + NetworkIsolation.TEST_PEER_ADDRESS + ":3999";
        String deadTurn = "turn:" + NetworkIsolation.TEST_PEER_ADDRESS + ":3998";
        Peers.Pair pair = pair(stun(deadStun), turn(deadTurn), turn(coturn.turnUrl()));
        filter.relayOnly();
        Conversation[] c = DeliveryTest.connect(pair.alice(), pair.bob());

        assertEquals("relay", path(pair.alice(), p -> true).summary());
        chat(pair, c, "despite dead servers");
        ClientEvent.Notice named = pair.alice().events().await(ClientEvent.Notice.class,
                n -> n.text().contains(NetworkIsolation.TEST_PEER_ADDRESS + ":399"), LONG);
        assertTrue(named.text().contains("did not answer") || named.text().contains("failed"), named.text());
    }

    @Test
    void theStagedStrategyAddsTurnWhenStunAloneFindsNoPath() throws Exception {
        System.setProperty("p2pchat.client.iceStrategy", "staged");
        Peers.Pair pair = pair(stun(coturn.stunUrl()), turn(coturn.turnUrl()));
        filter.relayOnly();
        Conversation[] c = DeliveryTest.connect(pair.alice(), pair.bob());

        assertEquals("relay", path(pair.alice(), p -> true).summary());
        chat(pair, c, "staged");
        assertEquals(List.of(), pair.alice().events().of(ClientEvent.Reconnected.class),
                "TURN came by an ICE restart of the same session");
    }

    @Test
    void anIceRestartAfterTheSelectedPathDiesKeepsTheConversationAndItsMessages() throws Exception {
        // Staged: the session starts without TURN, so only a restart that adds it can find the relay.
        System.setProperty("p2pchat.client.iceStrategy", "staged");
        Peers.Pair pair = pair(stun(coturn.stunUrl()), turn(coturn.turnUrl()));
        // Bob's answers: to the first offer, and to each ICE restart, all from the one session he has.
        List<List<String>> bobsSessions = new java.util.concurrent.CopyOnWriteArrayList<>();
        pair.mailbox().tamper = ProofRulesTest.answers(d -> {
            bobsSessions.add(org.p2pchat.core.identity.DtlsFingerprints.of(d.description().sdp()));
            return d;
        });
        Conversation[] c = DeliveryTest.connect(pair.alice(), pair.bob());
        CandidatePath direct = path(pair.alice(), p -> true);
        assertEquals("direct", direct.summary(), direct.toString());
        chat(pair, c, "before");

        filter.relayOnly(); // the direct path dies; only the relay is left
        List<ChatMessage> during = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            during.add(c[0].send("during " + i).get(T, TimeUnit.SECONDS));
        }

        CandidatePath relayed = path(pair.alice(), p -> p.summary().equals("relay"));
        assertEquals("udp", relayed.protocol());
        path(pair.bob(), p -> p.summary().equals("relay"));
        for (ChatMessage m : during) {
            DeliveryTest.awaitState(pair.alice(), m.id(), DeliveryState.DELIVERED);
        }
        chat(pair, c, "after");
        List<String> bobSaw = pair.bob().events().of(ClientEvent.MessageReceived.class).stream()
                .map(r -> r.message().content()).filter(t -> t.contains("from alice") || t.startsWith("during"))
                .toList();
        assertEquals(List.of("before from alice", "during 1", "during 2", "during 3", "during 4", "during 5",
                "after from alice"), bobSaw, "each once, in order");
        assertEquals(List.of(c[0]), pair.alice().client().conversations(), "the same conversation goes on");
        assertTrue(bobsSessions.size() >= 2, "an ICE restart was answered: " + bobsSessions.size());
        assertEquals(1, bobsSessions.stream().distinct().count(), "the same session: restarted, not made again");
    }
}
