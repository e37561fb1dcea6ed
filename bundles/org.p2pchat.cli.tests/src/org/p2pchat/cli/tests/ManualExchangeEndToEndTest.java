package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.testing.TestData;

/**
 * Two command-line clients of the materialized product connect by manual exchange, as two people
 * pasting into each other's terminal would, and chat.
 */
class ManualExchangeEndToEndTest {

    /** First start of a product JVM on two loaded cores can take a while. */
    private static final long START_SECONDS = EndToEnd.START_SECONDS;
    private static final long STEP_SECONDS = EndToEnd.STEP_SECONDS;

    private static Path product;

    @BeforeAll
    static void productAndNetwork() {
        NetworkIsolation.requireIsolatedNetwork();
        product = EndToEnd.clientProduct();
    }

    @Test
    void twoClientsExchangeCompactDescriptionsAndChatBothWaysIncludingAMessageOverOneMebibyte(TestInfo test)
            throws Exception {
        Path dir = EndToEnd.work(test);
        try (CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), "--no-ice", "--name", "alice", "offer");
                CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), "--no-ice", "--name", "bob", "answer")) {
            connect(alice, bob);
            String note = alice.first("offer", STEP_SECONDS).get("note").getAsString();
            assertTrue(note.contains("web app") && note.contains("--form json"), note);

            // Each checked the other's signed key, and both show the same safety number.
            String aliceKey = alice.first("self", STEP_SECONDS).get("fingerprint").getAsString();
            String bobKey = bob.first("self", STEP_SECONDS).get("fingerprint").getAsString();
            assertEquals(bobKey, alice.first("identity", STEP_SECONDS).get("fingerprint").getAsString());
            assertEquals(aliceKey, bob.first("identity", STEP_SECONDS).get("fingerprint").getAsString());
            String number = alice.first("safety", STEP_SECONDS).get("number").getAsString();
            assertTrue(number.matches("\\d{5}( \\d{5}){11}"), number);
            assertEquals(number, bob.first("safety", STEP_SECONDS).get("number").getAsString());
            assertEquals("new", alice.first("contact", STEP_SECONDS).get("status").getAsString());

            alice.send("hello bob ✓");
            assertEquals("hello bob ✓", EndToEnd.nextChat(bob).get("content").getAsString());
            bob.send("hello alice");
            JsonObject reply = EndToEnd.nextChat(alice);
            assertEquals("hello alice", reply.get("content").getAsString());
            assertEquals("bob", reply.get("sender").getAsString());

            String big = randomText((1 << 20) + 300_000);
            alice.send(big);
            JsonObject received = EndToEnd.nextChat(bob);
            assertEquals(big.length(), received.get("content").getAsString().length());
            assertEquals(big, received.get("content").getAsString());
            bob.send(big.substring(0, 1_100_000));
            assertEquals(big.substring(0, 1_100_000), EndToEnd.nextChat(alice).get("content").getAsString());

            alice.send("/ping 5");
            JsonObject ping = alice.await("ping", STEP_SECONDS);
            assertTrue(ping.get("p50Micros").getAsLong() > 0, ping.toString());

            alice.send("/quit");
            assertEquals(0, alice.awaitExit(STEP_SECONDS), "alice exit code");
            bob.awaitState("closed", STEP_SECONDS);
            assertEquals(3, bob.awaitExit(STEP_SECONDS), "bob exit code: the peer ended the chat");
        }
    }

    /**
     * A chat ended by closing one side's terminal (SIGTERM), which ends the other side's too: nothing
     * reaches stderr, and the logs hold no native thread failing to call into the ending JVM
     * ({@link CliProcess#awaitExit} checks both; the other tests check it after /quit and end of input).
     */
    @Test
    void endingAChatByClosingTheTerminalPrintsNothingOnStderr(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        try (CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), "--no-ice", "--name", "alice", "offer");
                CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), "--no-ice", "--name", "bob", "answer")) {
            connect(alice, bob);
            alice.send("hello bob");
            assertEquals("hello bob", EndToEnd.nextChat(bob).get("content").getAsString());
            bob.terminate(); // bob's terminal closes in the middle of the chat
            int bobExit = bob.awaitExit(STEP_SECONDS);
            assertTrue(bobExit == 0 || bobExit == 143, "bob ended by SIGTERM: " + bobExit);
            // A manual exchange cannot be made again: alice's chat ends with the lost connection.
            assertEquals(3, alice.awaitExit(START_SECONDS), "alice exit code: the chat ended from the peer's side");
            assertEquals(java.util.List.of(), alice.stderr());
            assertEquals(java.util.List.of(), bob.stderr());
        }
    }

    @Test
    void theBrowserJsonFormWorksAndBadPastesAreRefusedWithoutLosingTheSession(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        try (CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), "--no-ice", "--form", "json", "--name", "alice", "offer");
                CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), "--no-ice", "--form", "json", "--name", "bob", "answer")) {
            String offer = alice.await("offer", START_SECONDS).get("text").getAsString();
            assertTrue(offer.startsWith("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n"), offer);
            assertTrue(alice.first("offer", STEP_SECONDS).get("note").isJsonNull(), "no note for the web app's form");

            bob.send("this is not an offer");
            assertTrue(bob.await("error", STEP_SECONDS).get("message").getAsString().length() > 10);
            bob.send(offer.substring(0, offer.length() / 2) + "}");
            bob.send(""); // an empty line ends a paste that looks unfinished
            bob.await("error", STEP_SECONDS);
            // A paste cut off and then Enter: told at once, without another empty line.
            bob.send(offer.substring(0, offer.length() / 2));
            String incomplete = bob.await("error", STEP_SECONDS).get("message").getAsString();
            assertTrue(incomplete.contains("looks incomplete"), incomplete);
            bob.send(offer);
            String answer = bob.await("answer", STEP_SECONDS).get("text").getAsString();
            assertTrue(answer.startsWith("{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n"), answer);

            alice.send(offer); // the wrong kind: an offer where the answer belongs
            String wrongType = alice.await("error", STEP_SECONDS).get("message").getAsString();
            assertTrue(wrongType.toLowerCase().contains("offer"), wrongType);
            alice.send(answer);
            alice.awaitState("connected", STEP_SECONDS);
            bob.awaitState("connected", STEP_SECONDS);

            bob.send("json works");
            assertEquals("json works", EndToEnd.nextChat(alice).get("content").getAsString());
            alice.closeInput();
            assertEquals(0, alice.awaitExit(STEP_SECONDS), "end of input ends the chat with 0");
            assertEquals(3, bob.awaitExit(STEP_SECONDS), "the peer ended the chat");
        }
    }

    @Test
    void aTamperedOfferIsRefusedAndAnUnsignedOneConnectsAsUnverified(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        try (CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), "--no-ice", "--form", "json", "--name", "alice", "offer");
                CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), "--no-ice", "--name", "bob", "answer")) {
            String offer = alice.await("offer", START_SECONDS).get("text").getAsString();
            // A man in the middle puts its own DTLS fingerprint in: the identity signature no longer matches.
            Matcher fingerprint = Pattern.compile("a=fingerprint:sha-256 ([0-9A-F]{2})").matcher(offer);
            assertTrue(fingerprint.find(), offer);
            String tampered = offer.substring(0, fingerprint.start(1)) + (fingerprint.group(1).equals("00") ? "FF" : "00")
                    + offer.substring(fingerprint.end(1));
            bob.send(tampered);
            String refused = bob.await("error", STEP_SECONDS).get("message").getAsString();
            assertTrue(refused.contains("man in the middle"), refused);
            // What the web app sends: the same description without our identity member.
            bob.send(offer.replaceFirst(",\"p2pchatIdentity\":\\{[^}]*}", ""));
            JsonObject fromWebApp = bob.first("identity", STEP_SECONDS);
            assertEquals(false, fromWebApp.get("signed").getAsBoolean());
            assertTrue(fromWebApp.get("webApp").getAsBoolean(), fromWebApp.toString());
            // The web app reads only its JSON form: the answer to its offer is in it, although bob said compact.
            String answer = bob.await("answer", STEP_SECONDS).get("text").getAsString();
            assertTrue(answer.startsWith("{\"type\":\"answer\",\"sdp\":"), answer);
            // And the web app's answer (ours without the identity member) is told apart as well.
            alice.send(answer.replaceFirst(",\"p2pchatIdentity\":\\{[^}]*}", ""));
            JsonObject answerFromWebApp = alice.first("identity", STEP_SECONDS);
            assertTrue(answerFromWebApp.get("webApp").getAsBoolean(), answerFromWebApp.toString());
            alice.awaitState("connected", STEP_SECONDS);
            bob.awaitState("connected", STEP_SECONDS);
            assertTrue(bob.seen("safety").isEmpty(), "no safety number without a verified identity");
            alice.send("/quit");
            assertEquals(0, alice.awaitExit(STEP_SECONDS));
        }
    }

    static void connect(CliProcess offerer, CliProcess answerer) throws Exception {
        String offer = offerer.await("offer", START_SECONDS).get("text").getAsString();
        answerer.send(offer);
        String answer = answerer.await("answer", START_SECONDS).get("text").getAsString();
        offerer.send(answer);
        offerer.awaitState("connected", STEP_SECONDS);
        answerer.awaitState("connected", STEP_SECONDS);
        JsonObject path = offerer.first("path", STEP_SECONDS);
        assertEquals("direct", path.get("summary").getAsString(), path.toString());
    }

    private static String randomText(int length) {
        return TestData.randomText(length, length, TestData.ONE_LINE_TEXT);
    }
}
