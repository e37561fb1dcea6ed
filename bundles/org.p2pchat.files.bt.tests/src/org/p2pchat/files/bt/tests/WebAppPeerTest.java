package org.p2pchat.files.bt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.RendezvousServer;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.testing.WebAppPeer;

/**
 * A user of the web app (the stand-in, its own webrtc-java connection) connected to our real
 * transport and file service through a real rendezvous service's web app API: it gets chat text
 * only (no binary frames, no pings, no file offers, no channels of ours), and when files cannot
 * pass, either way, its user is told in a chat line.
 */
class WebAppPeerTest {

    private static final long T = FilePeers.TIMEOUT_SECONDS;

    @TempDir
    Path temp;

    @BeforeAll
    static void isolated() throws Exception {
        NetworkIsolation.requireIsolatedNetwork();
        SettingsStore settings = FilePeers.service(SettingsStore.class);
        settings.save(settings.get().withUsername("alice"));
    }

    @Test
    void aWebAppPeerGetsChatTextOnlyAndIsToldWhenFilesCannotPass() throws Exception {
        FileTransferService files = FilePeers.service(FileTransferService.class);
        PeerSession alice = FilePeers.service(PeerTransport.class).createSession(SessionConfig.of(List.of(), "alice"));
        try (RendezvousServer server = RendezvousServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), RendezvousLimits.DEFAULTS);
                WebAppPeer web = new WebAppPeer(URI.create("http://127.0.0.1:" + server.address().getPort()), "wendy")) {
            files.attach(alice);
            connectThroughTheMailbox(alice, web, URI.create("http://127.0.0.1:" + server.address().getPort()));
            assertEquals("", alice.peerClient().get(T, TimeUnit.SECONDS), "the web app names no client");

            // A long line goes as one text frame, not in our binary framing.
            String longLine = "ü".repeat(100_000);
            alice.send(ChatMessage.create("alice", longLine)).get(T, TimeUnit.SECONDS);
            assertEquals(longLine, web.nextChat().get("content").getAsString());

            // No pings: the web app would not answer them.
            ExecutionException noPing = assertThrows(ExecutionException.class, () -> alice.ping().get(T, TimeUnit.SECONDS));
            assertInstanceOf(SessionException.class, noPing.getCause());
            assertEquals("The peer's app does not answer pings.", noPing.getCause().getMessage());

            // No file offers: ours is refused here, and the web app's user is told in a chat line.
            Path file = Files.writeString(temp.resolve("notes.txt"), "hello");
            assertFalse(files.supports(alice));
            IOException refused = assertThrows(IOException.class, () -> files.offer(alice, List.of(file)));
            assertTrue(refused.getMessage().contains("web app"), refused.getMessage());
            assertTrue(web.nextChat().get("content").getAsString().endsWith(
                    "I tried to send you \"notes.txt\", but my app cannot send files to the web app."));
            assertEquals(List.of(), files.transfers().stream().filter(s -> s.name().equals("notes.txt")).toList());

            // The web app's WebTorrent offer cannot be joined: its user is told instead of waiting at 0 %.
            web.offerFile("holiday.jpg", 1234);
            assertTrue(web.nextChat().get("content").getAsString().endsWith(
                    "My app cannot receive files from the web app: \"holiday.jpg\" will not arrive. "
                            + "Please send it another way."));

            // A last line: the chat channel is ordered, so everything sent before it has arrived.
            alice.send(ChatMessage.create("alice", "bye")).get(T, TimeUnit.SECONDS);
            assertEquals("bye", web.nextChat().get("content").getAsString());
            assertEquals(0, web.binaryFrames(), "binary frames reached the web app");
            assertEquals(List.of("chat"), web.channelsOpenedByPeer(), "only the chat channel reached the web app");
            for (JsonObject m : web.everyMessage()) {
                assertFalse(m.has("type"), "the web app got more than chat lines: " + m);
                assertTrue(m.has("id") && m.has("sender") && m.has("content") && m.has("timestamp"), m.toString());
            }
        } finally {
            alice.close();
        }
    }

    /**
     * Alice connects to the web app user as the web app's Connect does: registered under a
     * {@code user-...} id, her offer posted to its mailbox, its answer fetched from hers.
     */
    private static void connectThroughTheMailbox(PeerSession alice, WebAppPeer web, URI service) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            long now = System.currentTimeMillis();
            String id = "user-" + now + "-alice";
            JsonObject register = new JsonObject();
            register.addProperty("peerId", id);
            register.addProperty("name", "alice");
            register.addProperty("lastSeen", now);
            post(http, service.resolve("/register"), register);

            SessionDescription offer = alice.createOffer().get(T, TimeUnit.SECONDS);
            JsonObject description = new JsonObject();
            description.addProperty("type", "offer");
            description.addProperty("sdp", offer.sdp());
            JsonObject signal = new JsonObject();
            signal.addProperty("from", id);
            signal.addProperty("to", web.id());
            signal.addProperty("type", "offer");
            signal.addProperty("payload", description.toString());
            post(http, service.resolve("/signal"), signal);

            web.accept(web.awaitRequest());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(T);
            String answer = null;
            while (answer == null) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no answer from the web app user in " + T + " s");
                }
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(service.resolve("/signal/" + id)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                for (JsonElement e : JsonParser.parseString(r.body()).getAsJsonArray()) {
                    JsonObject s = e.getAsJsonObject();
                    if (s.get("type").getAsString().equals("answer")) {
                        answer = JsonParser.parseString(s.get("payload").getAsString()).getAsJsonObject()
                                .get("sdp").getAsString();
                    }
                }
                if (answer == null) {
                    Thread.sleep(200);
                }
            }
            alice.acceptAnswer(new SessionDescription(SessionDescription.Type.ANSWER, answer)).get(T, TimeUnit.SECONDS);
            web.awaitOpen();
        } finally {
            http.shutdownNow();
        }
    }

    private static void post(HttpClient http, URI uri, JsonObject body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), uri + ": " + r.body());
    }
}
