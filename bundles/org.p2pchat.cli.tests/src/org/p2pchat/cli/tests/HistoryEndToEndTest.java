package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.RelayProcess;

/**
 * {@code p2pchat cli history} after the chat's processes exited: the list of conversations, one
 * conversation's messages oldest first with their delivery states, a search, an export; and the
 * delivery states the chat itself printed.
 */
class HistoryEndToEndTest {

    private static final long START_SECONDS = EndToEnd.START_SECONDS;
    private static final long STEP_SECONDS = EndToEnd.STEP_SECONDS;

    private static Path product;

    @BeforeAll
    static void productsAndNetwork() {
        product = EndToEnd.isolatedClientAndRelay();
    }

    /** Waits for an event that may already have gone by while the test read others. */
    private static void awaitSeen(CliProcess p, String name, Predicate<JsonObject> wanted, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
        while (p.seen(name).stream().noneMatch(wanted)) {
            assertTrue(System.nanoTime() < deadline, "no " + what + " within " + STEP_SECONDS + " s: " + p.output());
            Thread.sleep(50);
        }
    }

    @Test
    void aConversationIsPrintedSearchedAndExportedAfterARestart(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        try (RelayProcess relay = EndToEnd.startRelay(dir)) {
            String url = EndToEnd.url(relay);
            try (CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), "--no-ice", "--name", "bob",
                    "--rendezvous", url, "--accept", "listen");
                    CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), "--no-ice", "--name",
                            "alice", "--rendezvous", url, "connect", "bob")) {
                alice.awaitState("connected", START_SECONDS);
                bob.awaitState("connected", STEP_SECONDS);
                alice.send("hello bob");
                String firstId = alice.await("sent", STEP_SECONDS).get("id").getAsString();
                alice.send("a second line, about turnips");
                assertEquals("hello bob", EndToEnd.nextChat(bob).get("content").getAsString());
                assertEquals("a second line, about turnips", EndToEnd.nextChat(bob).get("content").getAsString());
                bob.send("hi alice");
                assertEquals("hi alice", EndToEnd.nextChat(alice).get("content").getAsString());
                // The chat reports how far each message got: delivered once bob's client acknowledged it.
                awaitSeen(alice, "delivery", e -> firstId.equals(e.get("id").getAsString())
                        && "delivered".equals(e.get("state").getAsString()), "'hello bob' delivered");
                alice.send("/pending");
                assertEquals(0, alice.await("pending", STEP_SECONDS).get("count").getAsInt(), alice.output());
                alice.send("/quit");
                assertEquals(0, alice.awaitExit(STEP_SECONDS));
                assertEquals(3, bob.awaitExit(STEP_SECONDS));
            }
        }

        // Bob's program is started again, on his profile: the list, then the conversation.
        CliProcess list = EndToEnd.history(dir.resolve("bob"), "bob-list");
        assertEquals(1, list.first("conversations", STEP_SECONDS).get("count").getAsInt(), list.output());
        JsonObject conversation = list.first("conversation", STEP_SECONDS);
        assertEquals("alice", conversation.get("name").getAsString(), conversation.toString());
        assertFalse(conversation.get("verified").getAsBoolean(), "nobody compared safety numbers: " + conversation);
        assertFalse(conversation.get("bestEffort").getAsBoolean(), conversation.toString());
        assertEquals("hi alice", conversation.get("lastText").getAsString(), conversation.toString());
        assertEquals(0, conversation.get("unread").getAsInt(), "bob's chat showed alice's messages: " + conversation);
        String id = conversation.get("id").getAsString();

        List<JsonObject> messages = EndToEnd.historyOf(dir.resolve("bob"), "bob-conversation", id).stream()
                .filter(m -> !"notice".equals(m.get("direction").getAsString())).toList();
        assertEquals(List.of("hello bob", "a second line, about turnips", "hi alice"),
                messages.stream().map(m -> m.get("content").getAsString()).toList(), "oldest first");
        assertEquals(List.of("incoming", "incoming", "outgoing"),
                messages.stream().map(m -> m.get("direction").getAsString()).toList());
        assertEquals("alice", messages.get(0).get("sender").getAsString());
        assertEquals("delivered", messages.get(2).get("state").getAsString(), "bob's answer was acknowledged");
        assertTrue(messages.get(0).get("timestamp").getAsLong() <= messages.get(2).get("timestamp").getAsLong());

        // Alice's side, by her peer's name: her two messages delivered.
        List<JsonObject> hers = EndToEnd.historyOf(dir.resolve("alice"), "alice-conversation", "bob").stream()
                .filter(m -> "outgoing".equals(m.get("direction").getAsString())).toList();
        assertEquals(List.of("delivered", "delivered"), hers.stream().map(m -> m.get("state").getAsString()).toList());

        CliProcess search = EndToEnd.history(dir.resolve("bob"), "bob-search", "--search", "TURNIPS");
        assertEquals(1, search.first("found", STEP_SECONDS).get("count").getAsInt(), search.output());
        assertEquals("a second line, about turnips", search.first("message", STEP_SECONDS).get("content").getAsString());

        Path file = dir.resolve("export").resolve("alice.txt");
        CliProcess export = EndToEnd.history(dir.resolve("bob"), "bob-export", "alice", "--export", file.toString());
        assertEquals(file.toAbsolutePath().toString(), export.first("exported", STEP_SECONDS).get("file").getAsString());
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.indexOf("hello bob") >= 0 && text.indexOf("hello bob") < text.indexOf("hi alice"), text);

        try (CliProcess unknown = CliProcess.start("bob-unknown", product, dir.resolve("bob"), "history", "carol")) {
            assertEquals(1, unknown.awaitExit(START_SECONDS), "an unknown conversation is an error");
            assertTrue(unknown.first("error", STEP_SECONDS).get("message").getAsString().contains("carol"),
                    unknown.output());
        }
    }
}
