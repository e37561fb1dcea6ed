package org.p2pchat.client.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.Conversation;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.history.DeliveryState;
import org.p2pchat.history.Direction;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.RendezvousServer;
import org.p2pchat.signaling.dht.DhtSettings;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.testing.WebAppPeer;

/**
 * Delivery toward a peer that is not our client, over a real rendezvous service: a web app user
 * (best effort, labelled so, its messages stored), and a peer speaking our clients' protocol by hand,
 * which shows the wire: the resume point, the acknowledgements, a repeated message dropped.
 */
class WebAppDeliveryTest {

    static final long T = Events.TIMEOUT_SECONDS;

    @TempDir
    Path work;
    RendezvousServer server;
    Peers.Person bob;
    WebAppPeer web;

    @BeforeAll
    static void isolated() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @BeforeEach
    void start() throws Exception {
        server = RendezvousServer.start(new InetSocketAddress(NetworkIsolation.TEST_ADDRESS, 0), RendezvousLimits.DEFAULTS);
        URI service = URI.create("http://" + NetworkIsolation.TEST_ADDRESS + ":" + server.address().getPort());
        bob = Peers.person("bob", work.resolve("bob"), null, Peers.provider(DhtSettings.SECTION));
        bob.settings().section(DhtSettings.SECTION)
                .write(new DhtSettings(List.of(new ServiceEntry("Test rendezvous", service.toString(), true, false))));
        bob.client().goOnline(DhtSettings.SECTION);
        web = new WebAppPeer(service, "wendy");
    }

    @AfterEach
    void stop() throws Exception {
        if (web != null) {
            web.close();
        }
        if (bob != null) {
            bob.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** The web app user asks Bob, who accepts; the chat channel is open. */
    private Conversation connect() throws Exception {
        String bobThere = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(T);
        while (bobThere == null && System.nanoTime() < deadline) {
            bobThere = web.listedAs("bob");
            if (bobThere == null) {
                Thread.sleep(200);
            }
        }
        assertTrue(bobThere != null, "bob is listed for the web app");
        web.connect(bobThere);
        Conversation accepted = bob.client().accept(bob.events().await(ClientEvent.RequestReceived.class).request());
        accepted.connected().get(T, TimeUnit.SECONDS);
        web.awaitOpen();
        return accepted;
    }

    @Test
    void aWebAppPeerGetsBestEffortDeliveryAndTheConversationSaysSo() throws Exception {
        Conversation c = connect();
        bob.events().await(ClientEvent.Notice.class, n -> n.text().contains("best effort"));

        ChatMessage hi = c.send("hi wendy").get(T, TimeUnit.SECONDS);
        JsonObject got = web.nextChat();
        web.say("hello bob");
        bob.events().await(ClientEvent.MessageReceived.class, r -> r.message().content().equals("hello bob"));
        bob.events().await(ClientEvent.DeliveryChanged.class,
                d -> d.messageId().equals(hi.id()) && d.state() == DeliveryState.SENT);
        ChatMessage again = c.send("still best effort").get(T, TimeUnit.SECONDS);
        web.nextChat();

        assertTrue(c.bestEffort(), "labelled best effort");
        assertTrue(c.peerIsWebApp());
        assertEquals("hi wendy", got.get("content").getAsString());
        assertFalse(got.has("seq"), "no sequence number for the web app: " + got);
        assertEquals(0, hi.seq());
        assertTrue(web.everyMessage().stream().noneMatch(m -> m.has("type")), "no acknowledgements reach the web app");
        assertEquals(1, bob.events().of(ClientEvent.Notice.class).stream()
                .filter(n -> n.text().contains("best effort")).count(), "said once");
        assertEquals(List.of(DeliveryState.SENDING, DeliveryState.SENT), DeliveryTest.states(bob, hi.id()),
                "a message to the web app stays sent: nothing confirms it");
        assertEquals(List.of("hi wendy", "still best effort"), DeliveryTest.texts(bob, c, Direction.OUTGOING));
        assertEquals(List.of("hello bob"), DeliveryTest.texts(bob, c, Direction.INCOMING), "its messages are stored");
        assertEquals(again.id(), DeliveryTest.stored(bob, c, Direction.OUTGOING).get(1).messageId());
        assertTrue(bob.history().conversation(c.historyId().orElseThrow()).orElseThrow().peerKey().isEmpty());
    }

    @Test
    void ourProtocolOnTheWireResumesAcknowledgesAndDropsARepeat() throws Exception {
        web.introduceAs("p2pchat-test/1");
        Conversation c = connect();

        // Right after the channel opens Bob's client says what it has: nothing yet.
        JsonObject resume = web.awaitMessage(m -> m.has("type") && m.get("type").getAsString().equals("ack"), "resume");
        assertEquals(0, resume.get("seq").getAsLong());

        web.sendRaw(sequenced("m1", "first", 1));
        web.sendRaw(sequenced("m2", "second", 2));
        web.sendRaw(sequenced("m2", "second", 2)); // its acknowledgement was lost: sent again
        web.sendRaw(sequenced("m2-other-id", "second, other id", 2)); // a repeat whatever its id
        web.sendRaw(sequenced("m3", "third", 3));
        web.sendRaw(sequenced("m5", "fifth", 5)); // 4 is missing: taking 5 would acknowledge 4
        web.sendRaw(sequenced("m4", "fourth", 4));
        web.sendRaw(sequenced("m5", "fifth", 5));
        for (long seq : new long[] { 1, 2, 2, 2, 3, 4, 5 }) {
            JsonObject ack = web.awaitMessage(m -> m.has("type") && m.get("type").getAsString().equals("ack"), "ack");
            assertEquals(seq, ack.get("seq").getAsLong(), "acknowledged in order, repeats again");
        }
        bob.events().await(ClientEvent.MessageReceived.class, r -> r.message().content().equals("fifth"));
        List<String> once = List.of("first", "second", "third", "fourth", "fifth");
        assertEquals(once, DeliveryTest.shown(bob), "the repeats are not shown, the gap is not taken");
        assertEquals(once, DeliveryTest.texts(bob, c, Direction.INCOMING));
        assertEquals(5, bob.history().receivedSeq(c.historyId().orElseThrow()));

        // Bob's messages wait for the peer's resume point, then carry numbers; an ack makes them delivered.
        ChatMessage reply = c.send("got them").get(T, TimeUnit.SECONDS);
        assertFalse(c.bestEffort());
        JsonObject ackFromUs = new JsonObject();
        ackFromUs.addProperty("type", "ack");
        ackFromUs.addProperty("seq", 0);
        web.sendRaw(ackFromUs);
        JsonObject got = web.nextChat();
        assertEquals("got them", got.get("content").getAsString());
        assertEquals(1, got.get("seq").getAsLong());
        ackFromUs.addProperty("seq", 1);
        web.sendRaw(ackFromUs);
        bob.events().await(ClientEvent.DeliveryChanged.class,
                d -> d.messageId().equals(reply.id()) && d.state() == DeliveryState.DELIVERED);
        assertEquals(List.of(DeliveryState.SENDING, DeliveryState.SENT, DeliveryState.DELIVERED),
                DeliveryTest.states(bob, reply.id()));
    }

    private static JsonObject sequenced(String id, String text, long seq) {
        JsonObject m = new JsonObject();
        m.addProperty("id", id);
        m.addProperty("sender", "wendy");
        m.addProperty("content", text);
        m.addProperty("timestamp", System.currentTimeMillis());
        m.addProperty("seq", seq);
        return m;
    }
}
