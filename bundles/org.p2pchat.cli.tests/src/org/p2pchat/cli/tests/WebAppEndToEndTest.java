package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.RelayProcess;
import org.p2pchat.testing.WebAppPeer;

/**
 * Command-line clients of the materialized product and a user of the web app (its stand-in, which
 * registers again under a new id when it accepts, as the web app does) find each other through
 * the relay product: on the web app's API only (the relay behind a proxy that hides {@code /v1},
 * as the original server is), and on our relay itself, where the client registers with
 * {@code /v1} and meets web app users on the relay's legacy side. Either side starts the chat.
 * Every run is in {@code --json} mode, whose stdout must carry JSON lines only, to the end.
 */
class WebAppEndToEndTest {

    private static final long START_SECONDS = EndToEnd.START_SECONDS;
    private static final long STEP_SECONDS = EndToEnd.STEP_SECONDS;

    private static Path product;

    @BeforeAll
    static void productsAndNetwork() {
        product = EndToEnd.isolatedClientAndRelay();
    }

    @Test
    void onTheWebAppsOwnApiTheCliConnectsToAWebAppUserWhoAnswersFromANewId(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        try (RelayProcess relay = startRelay(dir); WebAppOnlyService original = new WebAppOnlyService("192.0.2.1",
                relayUri(relay))) {
            cliConnectsToWebAppUser(dir, original.uri(), "legacy");
        }
    }

    @Test
    void onTheWebAppsOwnApiAWebAppUserConnectsToTheCli(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        try (RelayProcess relay = startRelay(dir); WebAppOnlyService original = new WebAppOnlyService("192.0.2.1",
                relayUri(relay))) {
            webAppUserConnectsToCli(dir, original.uri(), "legacy");
        }
    }

    @Test
    void onOurRelayTheCliOnV1ConnectsToAWebAppUserOnItsLegacySide(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        try (RelayProcess relay = startRelay(dir)) {
            cliConnectsToWebAppUser(dir, relayUri(relay), "authenticated");
        }
    }

    @Test
    void onOurRelayAWebAppUserConnectsToTheCliOnV1ThroughItsLegacySide(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        try (RelayProcess relay = startRelay(dir)) {
            webAppUserConnectsToCli(dir, relayUri(relay), "authenticated");
        }
    }

    /**
     * "connect webby": the web app user accepts (registering a new id) and answers from it; they
     * chat; a file offered either way is refused and the web app user is told so in the chat;
     * the web app user hangs up, and the client exits with the code for that.
     */
    private static void cliConnectsToWebAppUser(Path dir, URI service, String api) throws Exception {
        try (WebAppPeer web = new WebAppPeer(service, "webby");
                CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), "--no-ice", "--name", "alice",
                        "--rendezvous", service.toString(), "connect", "webby")) {
            JsonObject registered = alice.await(e -> "service".equals(e.get("event").getAsString())
                    && "registered".equals(e.get("state").getAsString()), "registration", START_SECONDS);
            assertEquals(api, registered.get("api").getAsString(), registered.toString());
            String firstId = web.id();
            assertEquals(firstId, alice.await("connecting", START_SECONDS).get("id").getAsString());

            JsonObject request = web.awaitRequest();
            web.accept(request);
            assertNotEquals(firstId, web.id(), "the web app answers from a new id: " + web.ids());
            alice.awaitState("connected", STEP_SECONDS);
            JsonObject identity = alice.first("identity", STEP_SECONDS);
            assertFalse(identity.get("signed").getAsBoolean(), identity.toString());
            assertBestEffort(alice);
            web.awaitOpen();

            web.say("hi alice, from the browser");
            JsonObject heard = EndToEnd.nextChat(alice);
            assertEquals("hi alice, from the browser", heard.get("content").getAsString());
            assertEquals("webby", heard.get("sender").getAsString());
            alice.send("hi webby");
            assertEquals("hi webby", web.nextChat().get("content").getAsString());
            // Sent is as far as it gets: the web app acknowledges nothing, and nothing is pending for ever.
            // The web app shows a message a moment before our side has stored it as sent: ask until it has.
            JsonObject pending;
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(STEP_SECONDS);
            do {
                alice.send("/pending");
                pending = alice.await(e -> "pending".equals(e.get("event").getAsString()), "/pending's answer",
                        STEP_SECONDS);
            } while (pending.get("count").getAsInt() != 0 && System.nanoTime() < deadline && sleep(200));
            assertEquals(0, pending.get("count").getAsInt(), pending.toString());
            assertTrue(pending.get("bestEffort").getAsBoolean(), pending.toString());
            assertTrue(alice.seen("delivery").stream().noneMatch(e -> "delivered".equals(e.get("state").getAsString())),
                    "nothing is marked delivered to the web app: " + alice.seen("delivery"));

            // Files: the web app's WebTorrent offer cannot be taken, and it cannot take ours; its user is told.
            web.offerFile("notes.txt", 1234);
            String notice = alice.await("notice", STEP_SECONDS).get("text").getAsString();
            assertTrue(notice.contains("file from the web app"), notice);
            JsonObject told = web.awaitMessage(m -> m.has("content")
                    && m.get("content").getAsString().contains("\"notes.txt\" will not arrive"), "the refusal of its file");
            assertEquals("alice", told.get("sender").getAsString());
            Path file = Files.writeString(dir.resolve("for webby.txt"), "hello");
            alice.send("/send \"" + file + "\"");
            assertTrue(alice.await("error", STEP_SECONDS).get("message").getAsString().contains("web app"));
            web.awaitMessage(m -> m.has("content") && m.get("content").getAsString().contains("\"for webby.txt\"")
                    && m.get("content").getAsString().contains("cannot send files"), "the refusal of our file");

            // The web app user leaves: not the same as /quit.
            web.hangUp();
            alice.awaitState("closed", STEP_SECONDS);
            assertEquals(3, alice.awaitExit(STEP_SECONDS), "the exit code for a chat the peer ended");
            String log = Files.readString(dir.resolve("alice").resolve("logs").resolve("cli.log"));
            assertTrue(log.contains("answers from its new id " + web.id()), "the client's log is in the profile");
            // The history says so too.
            JsonObject kept = EndToEnd.history(dir.resolve("alice"), "alice-history").first("conversation", STEP_SECONDS);
            assertEquals("webby", kept.get("name").getAsString(), kept.toString());
            assertTrue(kept.get("bestEffort").getAsBoolean(), "the web app conversation is best effort: " + kept);
        }
    }

    /** "listen --accept": the web app user picks the client from its list and asks; they chat; the client quits. */
    private static void webAppUserConnectsToCli(Path dir, URI service, String api) throws Exception {
        try (WebAppPeer web = new WebAppPeer(service, "webby");
                CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), "--no-ice", "--name", "alice",
                        "--rendezvous", service.toString(), "--accept", "listen")) {
            JsonObject registered = alice.await(e -> "service".equals(e.get("event").getAsString())
                    && "registered".equals(e.get("state").getAsString()), "registration", START_SECONDS);
            assertEquals(api, registered.get("api").getAsString(), registered.toString());
            String aliceThere = awaitListed(web, "alice");
            assertTrue(aliceThere.matches("user-\\d+-alice"), aliceThere);

            web.connect(aliceThere);
            JsonObject request = alice.await("request", STEP_SECONDS);
            assertEquals(web.id(), request.get("id").getAsString());
            assertFalse(request.get("signed").getAsBoolean(), request.toString());
            alice.awaitState("connected", STEP_SECONDS);
            assertBestEffort(alice);
            web.awaitOpen();
            JsonObject answer = web.awaitSignal("answer");
            assertEquals(aliceThere, answer.get("from").getAsString());

            alice.send("hello webby");
            assertEquals("hello webby", web.nextChat().get("content").getAsString());
            web.say("hello alice");
            assertEquals("hello alice", EndToEnd.nextChat(alice).get("content").getAsString());

            alice.send("/quit");
            assertEquals(0, alice.awaitExit(STEP_SECONDS), "/quit ends with 0");
        }
    }

    /** The command line labels a conversation with the web app best effort, for scripts and for people. */
    private static void assertBestEffort(CliProcess alice) throws InterruptedException {
        alice.first("bestEffort", STEP_SECONDS);
    }

    private static String awaitListed(WebAppPeer web, String name) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(STEP_SECONDS);
        String id;
        while ((id = web.listedAs(name)) == null) {
            assertTrue(System.nanoTime() < deadline, name + " not in the web app's list within " + STEP_SECONDS + " s");
            Thread.sleep(100);
        }
        return id;
    }

    private static RelayProcess startRelay(Path dir) throws Exception {
        return EndToEnd.startRelay(dir);
    }

    private static URI relayUri(RelayProcess relay) throws InterruptedException {
        return URI.create(EndToEnd.url(relay));
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

}
