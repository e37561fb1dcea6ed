package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.RelayProcess;

/**
 * Reliable delivery between two command-line clients of the product, with real processes killed
 * with SIGKILL mid-burst: Alice connects to Bob through the relay and types 1,000 messages as fast
 * as her input takes them; one of them is killed while the messages are on their way and started
 * again on the same profile. After the reconnection every message Alice's history holds (what she
 * was shown as sent) is in Bob's history exactly once, in her order, and marked delivered in hers.
 * The histories are read afterwards with {@code p2pchat cli history}, each process having exited.
 */
class DeliveryEndToEndTest {

    private static final long START_SECONDS = EndToEnd.START_SECONDS;
    private static final long STEP_SECONDS = EndToEnd.STEP_SECONDS;
    /** ICE gives up on a dead peer after about 30 s; then the reconnect attempts and their pauses. */
    private static final long RECONNECT_SECONDS = 180;
    private static final int BURST = 1000;
    /** Bob has shown this many when one of them is killed: the rest is still on its way. */
    private static final int KILL_AFTER = 50;

    private static Path product;

    @BeforeAll
    static void productsAndNetwork() {
        product = EndToEnd.isolatedClientAndRelay();
    }

    /**
     * The sender dies: Alice's process is killed mid-burst and started again with the same
     * {@code connect bob}; Bob takes her new request as the chat going on (same key), and Alice's
     * client sends what Bob had not acknowledged.
     */
    @Test
    void theSenderKilledMidBurstAndRestartedDeliversEveryStoredMessageOnceInOrder(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        try (RelayProcess relay = EndToEnd.startRelay(dir)) {
            String url = EndToEnd.url(relay);
            String[] aliceArgs = { "--no-ice", "--name", "alice", "--rendezvous", url, "connect", "bob" };
            try (CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), "--no-ice", "--name", "bob",
                    "--rendezvous", url, "--accept", "listen")) {
                int shownBeforeKill;
                try (CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), aliceArgs)) {
                    alice.awaitState("connected", START_SECONDS);
                    bob.awaitState("connected", STEP_SECONDS);
                    burst(alice);
                    awaitChats(bob, KILL_AFTER);
                    alice.kill(STEP_SECONDS);
                    shownBeforeKill = chats(bob).size();
                }
                try (CliProcess aliceAgain = CliProcess.start("alice-again", product, dir.resolve("alice"), aliceArgs)) {
                    withPeer(bob, () -> continueAfterRestart(bob, aliceAgain));
                }
                assertEquals(3, bob.awaitExit(STEP_SECONDS), "alice ended the chat");
                List<String> sent = assertDeliveredOnceInOrder(dir);
                System.out.printf("sender killed mid-burst: bob had shown %d of %d typed when alice was killed; "
                        + "alice had stored %d; all delivered once, in order, after the restart%n", shownBeforeKill,
                        BURST, sent.size());
            }
        }
    }

    private static void continueAfterRestart(CliProcess bob, CliProcess aliceAgain) throws Exception {
        JsonObject continued = bob.await(e -> "request".equals(e.get("event").getAsString())
                && e.has("continues"), "alice's new request taken as the chat going on", START_SECONDS);
        assertTrue(continued.get("signed").getAsBoolean(), continued.toString());
        aliceAgain.awaitState("connected", STEP_SECONDS);
        awaitNothingPending(aliceAgain, STEP_SECONDS * 4);
        aliceAgain.send("/quit");
        assertEquals(0, aliceAgain.awaitExit(STEP_SECONDS));
    }

    /** A step that fails says what the peer printed too. */
    private static void withPeer(CliProcess peer, Step step) throws Exception {
        try {
            step.run();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nThe peer's " + peer.output(), e);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * The receiver dies: Bob's process is killed mid-burst and started again listening; Alice's
     * client reconnects by itself (she connected) and sends what Bob had not acknowledged, and what
     * she typed meanwhile: all 1,000 arrive once, in order.
     */
    @Test
    void theReceiverKilledMidBurstAndRestartedGetsAllMessagesOnceInOrder(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        try (RelayProcess relay = EndToEnd.startRelay(dir)) {
            String url = EndToEnd.url(relay);
            String[] bobArgs = { "--no-ice", "--name", "bob", "--rendezvous", url, "--accept", "listen" };
            try (CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), "--no-ice", "--name",
                    "alice", "--rendezvous", url, "connect", "bob")) {
                int shownBeforeKill;
                try (CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), bobArgs)) {
                    alice.awaitState("connected", START_SECONDS);
                    bob.awaitState("connected", STEP_SECONDS);
                    burst(alice);
                    awaitChats(bob, KILL_AFTER);
                    bob.kill(STEP_SECONDS);
                    shownBeforeKill = chats(bob).size();
                }
                try (CliProcess bobAgain = CliProcess.start("bob-again", product, dir.resolve("bob"), bobArgs)) {
                    alice.await("reconnected", RECONNECT_SECONDS);
                    bobAgain.awaitState("connected", STEP_SECONDS);
                    awaitNothingPending(alice, STEP_SECONDS * 4);
                    alice.send("/quit");
                    assertEquals(0, alice.awaitExit(STEP_SECONDS));
                    assertEquals(3, bobAgain.awaitExit(STEP_SECONDS), "alice ended the chat");
                }
                List<String> sent = assertDeliveredOnceInOrder(dir);
                assertEquals(BURST, sent.size(), "alice lived: every line she was given is stored");
                System.out.printf("receiver killed mid-burst: bob had shown %d of %d when he was killed; all %d "
                        + "delivered once, in order, after the restart%n", shownBeforeKill, BURST, sent.size());
            }
        }
    }

    /**
     * After both exited: Alice's history holds m0001..mN (what she was shown as sent, in the order
     * typed), each delivered; Bob's holds exactly those from her, once each, in that order.
     *
     * @return the texts Alice stored
     */
    private static List<String> assertDeliveredOnceInOrder(Path dir) throws Exception {
        List<JsonObject> aliceSide = EndToEnd.historyOf(dir.resolve("alice"), "alice-history", "bob");
        List<String> sent = new ArrayList<>();
        for (JsonObject m : aliceSide) {
            if ("outgoing".equals(m.get("direction").getAsString())) {
                sent.add(m.get("content").getAsString());
                assertEquals("delivered", m.get("state").getAsString(), "alice's message " + m);
            }
        }
        assertFalse(sent.isEmpty(), "alice stored messages: " + aliceSide);
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(line(i + 1), sent.get(i), "alice stored what she typed, in order");
        }
        List<String> received = EndToEnd.historyOf(dir.resolve("bob"), "bob-history", "alice").stream()
                .filter(m -> "incoming".equals(m.get("direction").getAsString()))
                .map(m -> m.get("content").getAsString()).toList();
        assertEquals(sent.size(), received.size(), "bob has each of alice's messages once (no loss, no double)");
        assertEquals(sent, received, "bob has alice's messages in her order");
        return sent;
    }

    /** Types the burst into the process at once (its input buffers what it has not read yet). */
    private static void burst(CliProcess p) throws IOException {
        for (int i = 1; i <= BURST; i++) {
            p.send(line(i));
        }
    }

    private static String line(int i) {
        return String.format("m%04d", i);
    }

    private static List<JsonObject> chats(CliProcess p) {
        return p.seen("message").stream().filter(e -> !"system".equals(e.get("sender").getAsString())).toList();
    }

    private static void awaitChats(CliProcess p, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            EndToEnd.nextChat(p);
        }
    }

    /** Asks with {@code /pending} until none of the process's messages waits for its acknowledgement. */
    private static void awaitNothingPending(CliProcess p, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            p.send("/pending");
            // Answered with the count, or with an error while the peer is not identified yet.
            last = p.await(e -> List.of("pending", "error").contains(e.get("event").getAsString()), "/pending's answer",
                    STEP_SECONDS);
            if (last.has("count") && last.get("count").getAsInt() == 0) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("messages still not delivered after " + seconds + " s: " + last + " " + p.output());
    }
}
