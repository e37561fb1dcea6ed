package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.NetworkIsolation;

/**
 * Command-line clients of the materialized product, each run a new process on the same profiles:
 * the safety number is the same on both sides and on every connection; a stranger is "not
 * verified" until {@code /verify}, which is kept across restarts; someone else under a known
 * name shows "key changed" and the mark is gone.
 */
class SafetyNumberEndToEndTest {

    private static final long STEP_SECONDS = EndToEnd.STEP_SECONDS;

    private static Path product;

    @BeforeAll
    static void productAndNetwork() {
        NetworkIsolation.requireIsolatedNetwork();
        product = EndToEnd.clientProduct();
    }

    @Test
    void theNumberIsStableAndVerifyIsKeptUntilTheKeyChanges(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        String number;
        try (CliProcess alice = alice(dir); CliProcess bob = peer("bob", dir.resolve("bob"))) {
            ManualExchangeEndToEndTest.connect(alice, bob);
            number = alice.first("safety", STEP_SECONDS).get("number").getAsString();
            assertTrue(number.matches("\\d{5}( \\d{5}){11}"), number);
            assertEquals(number, bob.first("safety", STEP_SECONDS).get("number").getAsString());
            assertEquals("not_verified", verification(alice).get("state").getAsString(), "a stranger");
            assertEquals("not_verified", verification(bob).get("state").getAsString(), "a stranger");

            alice.send("/verify");
            JsonObject marked = alice.await(e -> "verification".equals(e.get("event").getAsString())
                    && "verified".equals(e.get("state").getAsString()), "marked verified", STEP_SECONDS);
            assertEquals(number, marked.get("number").getAsString());
            alice.send("/quit");
            assertEquals(0, alice.awaitExit(STEP_SECONDS));
            bob.awaitExit(STEP_SECONDS);
        }

        // Both start again (new processes): the same number, Alice's mark is kept, Bob never marked.
        try (CliProcess alice = alice(dir); CliProcess bob = peer("bob", dir.resolve("bob"))) {
            ManualExchangeEndToEndTest.connect(alice, bob);
            assertEquals(number, alice.first("safety", STEP_SECONDS).get("number").getAsString());
            assertEquals(number, bob.first("safety", STEP_SECONDS).get("number").getAsString());
            assertEquals("verified", verification(alice).get("state").getAsString());
            assertEquals("not_verified", verification(bob).get("state").getAsString());
            alice.send("/safety");
            JsonObject asked = alice.await(e -> "safety".equals(e.get("event").getAsString())
                    && e.has("verification") && "verified".equals(e.get("verification").getAsString()),
                    "/safety says verified", STEP_SECONDS);
            assertEquals(number, asked.get("number").getAsString());
            alice.send("/quit");
            assertEquals(0, alice.awaitExit(STEP_SECONDS));
            bob.awaitExit(STEP_SECONDS);
        }

        // Someone else comes as "bob" (another profile, another key): loud, and the mark is gone.
        try (CliProcess alice = alice(dir); CliProcess other = peer("bob", dir.resolve("other"))) {
            ManualExchangeEndToEndTest.connect(alice, other);
            JsonObject changed = alice.first(e -> "verification".equals(e.get("event").getAsString())
                    && "key_changed".equals(e.get("state").getAsString()), "key changed", STEP_SECONDS);
            assertTrue(changed.get("text").getAsString().startsWith("Your safety number with bob has changed"),
                    changed.toString());
            assertNotEquals(number, changed.get("number").getAsString());
            alice.send("/quit");
            assertEquals(0, alice.awaitExit(STEP_SECONDS));
        }
        CliProcess list = EndToEnd.history(dir.resolve("alice"), "alice-list");
        assertEquals(2, list.first("conversations", STEP_SECONDS).get("count").getAsInt(), list.output());
        assertTrue(list.seen("conversation").stream().noneMatch(c -> c.get("verified").getAsBoolean()),
                "no conversation is marked verified any more: " + list.output());
    }

    private static JsonObject verification(CliProcess who) throws InterruptedException {
        return who.first("verification", STEP_SECONDS);
    }

    private static CliProcess alice(Path dir) throws Exception {
        return CliProcess.start("alice", product, dir.resolve("alice"), "--no-ice", "--name", "alice", "offer");
    }

    private static CliProcess peer(String name, Path profile) throws Exception {
        return CliProcess.start(name, product, profile, "--no-ice", "--name", name, "answer");
    }
}
