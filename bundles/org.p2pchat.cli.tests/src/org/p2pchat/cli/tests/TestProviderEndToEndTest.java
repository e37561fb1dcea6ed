package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.NetworkIsolation;

/**
 * A connection provider the command line has never heard of plugs in unchanged: the test provider
 * (bundle {@code org.p2pchat.testing.provider}, method {@code test-folder}: peers meet in a shared
 * folder), which no product contains, is added to a copy of the client product
 * ({@link EndToEnd#clientProductWith}: one more line in the copy's simpleconfigurator
 * {@code bundles.info}, naming the jar this build made). {@code p2pchat cli methods} lists it, and
 * two command-line processes connect through it with {@code --method test-folder} and chat both
 * ways. Each profile's settings name the folder in the provider's settings section.
 */
class TestProviderEndToEndTest {

    private static final long START_SECONDS = EndToEnd.START_SECONDS;
    private static final long STEP_SECONDS = EndToEnd.STEP_SECONDS;
    private static final String METHOD = "test-folder";

    @BeforeAll
    static void network() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @Test
    void theTestProviderIsListedAsAMethodAndTwoClientsChatThroughIt(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        Path product = EndToEnd.clientProductWith(EndToEnd.testProviderJar(), dir.resolve("product"));
        Path mailbox = Files.createDirectories(dir.resolve("mailbox"));
        writeFolderSettings(dir.resolve("alice"), mailbox);
        writeFolderSettings(dir.resolve("bob"), mailbox);

        try (CliProcess methods = CliProcess.start("methods", product, dir.resolve("alice"), "methods")) {
            assertEquals(0, methods.awaitExit(START_SECONDS), "'methods' exit code");
            JsonObject listed = methods.seen("method").stream()
                    .filter(m -> METHOD.equals(m.get("id").getAsString())).findFirst()
                    .orElseThrow(() -> new AssertionError("'methods' does not list " + METHOD + ": " + methods.transcript()));
            String capabilities = listed.get("capabilities").getAsString();
            assertTrue(capabilities.contains("connect") && capabilities.contains("incoming"), listed.toString());
            assertTrue(methods.seen("method").size() >= 2, "the product's own methods are listed too: "
                    + methods.transcript());
        }

        try (CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), "--no-ice", "--name", "bob",
                "--method", METHOD, "--accept", "listen");
                CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), "--no-ice", "--name", "alice",
                        "--method", METHOD, "connect", "bob")) {
            alice.awaitState("connected", START_SECONDS);
            bob.awaitState("connected", STEP_SECONDS);
            // Both proved their keys through a provider that knows nothing of proofs.
            assertEquals(bob.first("self", STEP_SECONDS).get("fingerprint").getAsString(),
                    alice.first("identity", STEP_SECONDS).get("fingerprint").getAsString());
            assertEquals(alice.first("safety", STEP_SECONDS).get("number").getAsString(),
                    bob.first("safety", STEP_SECONDS).get("number").getAsString());

            alice.send("hello bob, through a folder");
            assertEquals("hello bob, through a folder", EndToEnd.nextChat(bob).get("content").getAsString());
            bob.send("hello alice, through the same folder");
            assertEquals("hello alice, through the same folder", EndToEnd.nextChat(alice).get("content").getAsString());

            alice.send("/quit");
            assertEquals(0, alice.awaitExit(STEP_SECONDS), "alice exit code");
            assertEquals(3, bob.awaitExit(STEP_SECONDS), "bob exit code: the peer ended the chat");
        }
    }

    /** A profile whose settings name the folder in the test provider's section (and nothing else). */
    private static void writeFolderSettings(Path profile, Path mailbox) throws IOException {
        JsonObject folder = new JsonObject();
        folder.addProperty("folder", mailbox.toString());
        JsonObject sections = new JsonObject();
        sections.add(METHOD, folder);
        JsonObject settings = new JsonObject();
        settings.add("sections", sections);
        Files.createDirectories(profile);
        Files.writeString(profile.resolve("settings.json"), settings.toString(), StandardCharsets.UTF_8);
    }
}
