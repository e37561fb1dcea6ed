package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.RelayProcess;

/**
 * A relay process of the materialized relay product and command-line clients of the client
 * product: they find each other through the relay's authenticated API, verify each other and
 * chat peer to peer; the relay is killed and restarted while they chat, and they register again
 * by themselves.
 */
class DirectoryEndToEndTest {

    private static final long START_SECONDS = EndToEnd.START_SECONDS;
    private static final long STEP_SECONDS = EndToEnd.STEP_SECONDS;
    /** ICE gives up on a dead peer after about 30 s; an attempt may wait for an answer a while. */
    private static final long RECONNECT_SECONDS = 150;

    private static Path product;

    @BeforeAll
    static void productsAndNetwork() {
        product = EndToEnd.isolatedClientAndRelay();
    }

    @Test
    void twoClientsMeetThroughTheRelayChatAndRegisterAgainAfterItRestarts(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        RelayProcess relay = EndToEnd.startRelay(dir);
        try {
            String url = EndToEnd.url(relay);
            int port = relay.awaitListening(START_SECONDS).getPort();
            // Alice starts first: she waits for bob to appear in the list rather than giving up.
            try (CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), "--no-ice", "--name",
                    "alice", "--rendezvous", url, "connect", "bob");
                    CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), "--no-ice", "--name", "bob",
                            "--rendezvous", url, "--accept", "listen")) {
                JsonObject bobService = bob.await(registered(), "registration", START_SECONDS);
                assertEquals("authenticated", bobService.get("api").getAsString(), bobService.toString());
                String bobKey = bob.first("self", STEP_SECONDS).get("id").getAsString();
                assertEquals(bobKey, bobService.get("id").getAsString(), "the id on the service is the identity key");

                JsonObject connecting = alice.await("connecting", START_SECONDS);
                assertEquals(bobKey, connecting.get("id").getAsString());
                bob.await("request", STEP_SECONDS);
                JsonObject aliceConnected = alice.awaitState("connected", STEP_SECONDS);
                bob.awaitState("connected", STEP_SECONDS);
                System.out.printf("directory connect: negotiated %d ms, connected %d ms after alice started%n",
                        alice.first("negotiated", STEP_SECONDS).get("sinceStartMs").getAsLong(),
                        aliceConnected.get("sinceStartMs").getAsLong());

                // Each verified the other; both show the same safety number.
                assertEquals(bob.first("self", STEP_SECONDS).get("fingerprint").getAsString(),
                        alice.first("identity", STEP_SECONDS).get("fingerprint").getAsString());
                assertEquals(alice.first("self", STEP_SECONDS).get("fingerprint").getAsString(),
                        bob.first("identity", STEP_SECONDS).get("fingerprint").getAsString());
                assertEquals(alice.first("safety", STEP_SECONDS).get("number").getAsString(),
                        bob.first("safety", STEP_SECONDS).get("number").getAsString());

                alice.send("hello bob, via the relay");
                assertEquals("hello bob, via the relay", EndToEnd.nextChat(bob).get("content").getAsString());

                // The relay dies mid-session: the chat is peer to peer and goes on.
                relay.signal("KILL");
                relay.awaitExit(STEP_SECONDS);
                bob.send("still here without the relay");
                assertEquals("still here without the relay", EndToEnd.nextChat(alice).get("content").getAsString());
                awaitSeen(alice, state("unreachable"), "the relay reported unreachable");

                // A new relay on the same address: both register again by themselves.
                relay = EndToEnd.startRelay(dir, port);
                EndToEnd.url(relay);
                alice.await(registered(), "alice registered again", START_SECONDS);
                bob.await(registered(), "bob registered again", START_SECONDS);
                try (CliProcess carol = CliProcess.start("carol", product, dir.resolve("carol"), "--no-ice", "--name",
                        "carol", "--rendezvous", url, "peers")) {
                    assertEquals(0, carol.awaitExit(START_SECONDS), "carol's peer listing");
                    assertEquals(2, carol.first("peers", STEP_SECONDS).get("count").getAsInt(),
                            "alice and bob are listed again: " + carol.seen("peer"));
                }

                alice.send("/quit");
                assertEquals(0, alice.awaitExit(STEP_SECONDS));
                bob.awaitState("closed", STEP_SECONDS);
                assertEquals(3, bob.awaitExit(STEP_SECONDS), "the peer ended the chat");
                // The services' Java logging is in the profile's log; none of it reached stderr (awaitExit checks).
                assertTrue(alice.log().stream().anyMatch(l -> l.contains("registered as")), "alice's log: " + alice.log());
            }
        } finally {
            relay.close();
        }
    }

    @Test
    void anUnlistedPeerIsReachableByIdOnlyAndARejectedRequestIsReported(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        try (RelayProcess relay = EndToEnd.startRelay(dir)) {
            String url = EndToEnd.url(relay);
            try (CliProcess dora = CliProcess.start("dora", product, dir.resolve("dora"), "--no-ice", "--name", "dora",
                    "--rendezvous", url, "--unlisted", "listen")) {
                String doraKey = dora.await(registered(), "registration", START_SECONDS).get("id").getAsString();
                try (CliProcess lister = CliProcess.start("lister", product, dir.resolve("lister"), "--no-ice",
                        "--rendezvous", url, "peers")) {
                    assertEquals(0, lister.awaitExit(START_SECONDS));
                    assertEquals(0, lister.first("peers", STEP_SECONDS).get("count").getAsInt(), "dora is unlisted");
                }
                try (CliProcess eve = CliProcess.start("eve", product, dir.resolve("eve"), "--no-ice", "--name", "eve",
                        "--rendezvous", url, "connect", doraKey)) {
                    JsonObject request = dora.await("request", START_SECONDS);
                    assertTrue(request.get("signed").getAsBoolean(), request.toString());
                    dora.send("/reject");
                    JsonObject error = eve.await("error", STEP_SECONDS);
                    assertTrue(error.get("message").getAsString().contains("declined"), error.toString());
                    assertEquals(1, eve.awaitExit(STEP_SECONDS), "a refused connection ends with exit code 1");
                }
            }
        }
    }

    /**
     * The peer is gone for longer than one reconnect attempt: Bob's process is killed, and started
     * again on his profile only once Alice's first attempt to reconnect has failed. She keeps
     * trying (the client layer's policy: several attempts with growing pauses; the command line
     * used to give up after one) and the chat goes on with Bob's new process.
     */
    @Test
    void aLostConnectionIsTriedAgainAfterAFailedAttemptUntilThePeerIsBack(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        try (RelayProcess relay = EndToEnd.startRelay(dir)) {
            String url = EndToEnd.url(relay);
            String[] bobArgs = { "--no-ice", "--name", "bob", "--rendezvous", url, "--accept", "listen" };
            try (CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), "--no-ice", "--name",
                    "alice", "--rendezvous", url, "connect", "bob")) {
                try (CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), bobArgs)) {
                    alice.awaitState("connected", START_SECONDS);
                    bob.awaitState("connected", STEP_SECONDS);
                    bob.kill(STEP_SECONDS);
                }
                // The connection notices the dead peer when ICE gives up (about 30 s); the first attempt finds nobody.
                JsonObject failed = alice.await(e -> "error".equals(e.get("event").getAsString())
                        && e.get("message").getAsString().startsWith("Reconnect attempt 1 failed"),
                        "a failed first reconnect attempt", RECONNECT_SECONDS);
                try (CliProcess bobAgain = CliProcess.start("bob-again", product, dir.resolve("bob"), bobArgs)) {
                    JsonObject reconnected = alice.await("reconnected", RECONNECT_SECONDS);
                    assertTrue(reconnected.get("attempt").getAsInt() > 1, "reconnected by a later attempt: "
                            + reconnected + " after " + failed);
                    bobAgain.awaitState("connected", STEP_SECONDS);
                    alice.send("still there, bob?");
                    assertEquals("still there, bob?", EndToEnd.nextChat(bobAgain).get("content").getAsString());
                    alice.send("/quit");
                    assertEquals(0, alice.awaitExit(STEP_SECONDS));
                    assertEquals(3, bobAgain.awaitExit(STEP_SECONDS), "the peer ended the chat");
                }
            }
        }
    }

    /**
     * The command line says whom it waits for, in the client layer's words (the desktop shows the
     * same), and an attempt nobody answers ends by itself, saying so (the client's wait is
     * shortened here).
     */
    @Test
    void connectSaysWhomItWaitsForAndEndsByItselfWhenNobodyAnswers(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        try (RelayProcess relay = EndToEnd.startRelay(dir)) {
            String url = EndToEnd.url(relay);
            try (CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), "--no-ice", "--name", "bob",
                    "--rendezvous", url, "listen")) {
                bob.await(registered(), "registration", START_SECONDS);
                try (CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"),
                        java.util.Map.of("P2PCHAT_VMARGS", "-Dp2pchat.client.answerWaitSeconds=5"), "--no-ice", "--name",
                        "alice", "--rendezvous", url, "connect", "bob")) {
                    alice.await(e -> "progress".equals(e.get("event").getAsString())
                            && "Waiting for bob to accept\u2026".equals(e.get("text").getAsString()),
                            "alice says whom she waits for", START_SECONDS);
                    bob.await("request", STEP_SECONDS);
                    JsonObject error = alice.await("error", STEP_SECONDS);
                    assertTrue(error.get("message").getAsString().startsWith(
                            "Could not connect: bob did not answer within 5 s"), error.toString());
                    assertEquals(1, alice.awaitExit(STEP_SECONDS), "no chat came about");
                }
            }
        }
    }

    /** Waits for an event that may already have gone by while the test read others. */
    private static void awaitSeen(CliProcess p, Predicate<JsonObject> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
        while (p.seen("service").stream().noneMatch(wanted)) {
            assertTrue(System.nanoTime() < deadline, "no " + what + " within " + STEP_SECONDS + " s: " + p.transcript());
            Thread.sleep(50);
        }
    }

    private static Predicate<JsonObject> registered() {
        return state("registered");
    }

    private static Predicate<JsonObject> state(String state) {
        return e -> "service".equals(e.get("event").getAsString()) && state.equals(e.get("state").getAsString());
    }

}
