package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.RelayProcess;

/**
 * The relay product and command-line clients: Alice and Bob chat verified through the relay's
 * authenticated API; Mallory posts signals on its web app API that nothing authenticates. A
 * reconnect offer "from" Bob's key must not take the chat over, and a request under Bob's name
 * that proves nothing must say that Bob proved his identity before.
 */
class HijackEndToEndTest {

    private static final long START_SECONDS = EndToEnd.START_SECONDS;
    private static final long STEP_SECONDS = EndToEnd.STEP_SECONDS;

    private static Path product;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void productsAndNetwork() {
        product = EndToEnd.isolatedClientAndRelay();
    }

    @Test
    void aForgedLegacyReconnectIsShownAsANewRequestAndTheVerifiedChatGoesOn(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        try (RelayProcess relay = EndToEnd.startRelay(dir)) {
            String url = EndToEnd.url(relay);
            try (CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), "--no-ice", "--name",
                    "alice", "--rendezvous", url, "--accept", "listen");
                    CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), "--no-ice", "--name", "bob",
                            "--rendezvous", url, "connect", "alice");
                    CliProcess mallory = CliProcess.start("mallory", product, dir.resolve("mallory"), "--no-ice",
                            "--name", "mallory", "--form", "json", "offer")) {
                String bobKey = bob.first("self", START_SECONDS).get("id").getAsString();
                alice.awaitState("connected", START_SECONDS);
                bob.awaitState("connected", STEP_SECONDS);
                assertEquals("new", alice.first("contact", STEP_SECONDS).get("status").getAsString(),
                        "alice remembers bob's key");

                // Mallory's real offer, stripped of its proof, as a reconnect "from" Bob's key to
                // Alice's id on the web app's API (where nothing checks a sender).
                JsonObject offer = JsonParser.parseString(mallory.first("offer", START_SECONDS).get("text")
                        .getAsString()).getAsJsonObject();
                offer.remove("p2pchatIdentity");
                String aliceThere = legacyIdOf(url, "alice");
                post(url, bobKey, aliceThere, "reconnect-offer", offer.toString());

                JsonObject shown = alice.await(e -> "request".equals(e.get("event").getAsString()),
                        "the forged reconnect shown as a request", STEP_SECONDS);
                assertEquals(bobKey, shown.get("id").getAsString());
                assertTrue(shown.get("reconnect").getAsBoolean(), shown.toString());
                assertFalse(shown.get("signed").getAsBoolean(), shown.toString());
                assertEquals("legacy", shown.get("api").getAsString(), shown.toString());
                assertTrue(shown.get("declined").getAsBoolean(), "one chat at a time: " + shown);

                // The chat with Bob was not touched.
                bob.send("still with you, alice");
                assertEquals("still with you, alice", EndToEnd.nextChat(alice).get("content").getAsString());
                alice.send("and I with you, bob");
                assertEquals("and I with you, bob", EndToEnd.nextChat(bob).get("content").getAsString());
                assertTrue(alice.seen("reconnected").isEmpty(), "alice took the forged offer: " + alice.transcript());

                // A request under Bob's name that proves no identity says so plainly.
                post(url, "user-1700000000000-bob", aliceThere, "offer", offer.toString());
                JsonObject impostor = alice.await(e -> "request".equals(e.get("event").getAsString()),
                        "the request under bob's name", STEP_SECONDS);
                assertEquals("bob", impostor.get("name").getAsString());
                String warning = impostor.get("warning").getAsString();
                assertTrue(warning.contains("bob is a contact who proved their identity before; this request proves "
                        + "none"), warning);

                alice.send("/quit");
                assertEquals(0, alice.awaitExit(STEP_SECONDS));
                bob.awaitState("closed", STEP_SECONDS);
                assertEquals(3, bob.awaitExit(STEP_SECONDS), "the peer ended the chat");
            }
        }
    }

    /** The id the relay's web app API lists for {@code name} (the twin of a listed client). */
    private String legacyIdOf(String url, String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(STEP_SECONDS).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/peers"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            for (JsonElement e : JsonParser.parseString(r.body()).getAsJsonArray()) {
                JsonObject p = e.getAsJsonObject();
                if (name.equals(p.get("name").getAsString())) {
                    return p.get("peerId").getAsString();
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " is not on the web app API's list");
    }

    /** A signal as anyone can post it on the web app's API: {@code from} is whatever the sender says. */
    private void post(String url, String from, String to, String type, String payload) throws Exception {
        JsonObject body = new JsonObject();
        body.addProperty("from", from);
        body.addProperty("to", to);
        body.addProperty("type", type);
        body.addProperty("payload", payload);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/signal"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
    }
}
