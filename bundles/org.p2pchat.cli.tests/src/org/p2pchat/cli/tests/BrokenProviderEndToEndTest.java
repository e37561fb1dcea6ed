package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.p2pchat.testing.BrokenProviderBundles;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.NetworkIsolation;

/**
 * Two deliberately broken provider plug-ins installed next to the others in a copy of the client
 * product (one that does not resolve, one whose component throws in its activation): the client
 * starts, names each with why ({@code methods} and the notice at the start of a chat), and the
 * other methods work: two clients chat through the manual exchange.
 */
class BrokenProviderEndToEndTest {

    private static final long START_SECONDS = EndToEnd.START_SECONDS;
    private static final long STEP_SECONDS = EndToEnd.STEP_SECONDS;

    @Test
    void brokenProviderPluginsAreNamedWithWhyAndTheManualExchangeStillWorks(TestInfo test) throws Exception {
        NetworkIsolation.requireIsolatedNetwork();
        Path dir = EndToEnd.work(test);
        Path fixtures = dir.resolve("fixtures");
        Path product = EndToEnd.clientProductWith(BrokenProviderBundles.failingActivation(fixtures),
                dir.resolve("product"));
        Path unresolved = BrokenProviderBundles.unresolved(fixtures);
        // Installed by hand as the first one was: a line of its own in bundles.info, started.
        Files.writeString(product.resolve("configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"),
                BrokenProviderBundles.UNRESOLVED + "," + BrokenProviderBundles.VERSION + "," + unresolved.toUri()
                        + ",4,true\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (CliProcess methods = CliProcess.start("methods", product, dir.resolve("profile"), "methods")) {
            assertEquals(0, methods.awaitExit(START_SECONDS), "'methods' exit code: " + methods.transcript());
            List<String> ids = methods.seen("method").stream().map(m -> m.get("id").getAsString()).sorted().toList();
            assertEquals(List.of("dht", "manual"), ids, "the working methods are listed");
            Map<String, JsonObject> broken = methods.seen("broken").stream()
                    .collect(Collectors.toMap(b -> b.get("bundle").getAsString(), Function.identity()));
            assertEquals(2, broken.size(), "both broken plug-ins are named: " + methods.transcript());
            assertNamed(broken.get(BrokenProviderBundles.UNRESOLVED), "not resolved", "test-unresolved",
                    "the package " + BrokenProviderBundles.MISSING_PACKAGE);
            assertNamed(broken.get(BrokenProviderBundles.FAILING), "failed", "test-failing", BrokenProviderBundles.FAILURE);
            assertEquals(2, methods.first("methods", STEP_SECONDS).get("broken").getAsInt());
        }

        try (CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), "--no-ice", "--name", "alice", "offer");
                CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), "--no-ice", "--name", "bob", "answer")) {
            ManualExchangeEndToEndTest.connect(alice, bob);
            for (CliProcess p : List.of(alice, bob)) {
                List<String> named = p.seen("broken").stream().map(b -> b.get("bundle").getAsString()).sorted().toList();
                assertEquals(List.of(BrokenProviderBundles.FAILING, BrokenProviderBundles.UNRESOLVED), named,
                        "the notice at the start names both: " + p.transcript());
            }
            alice.send("hello bob");
            assertEquals("hello bob", EndToEnd.nextChat(bob).get("content").getAsString());
            bob.send("hello alice");
            assertEquals("hello alice", EndToEnd.nextChat(alice).get("content").getAsString());
            alice.send("/quit");
            assertEquals(0, alice.awaitExit(STEP_SECONDS), "alice exit code");
            assertEquals(3, bob.awaitExit(STEP_SECONDS), "bob exit code: the peer ended the chat");
        }
    }

    private static void assertNamed(JsonObject broken, String problem, String methodId, String why) {
        assertTrue(broken != null, "not named");
        assertEquals(problem, broken.get("problem").getAsString(), broken.toString());
        assertEquals(methodId, broken.get("id").getAsString(), broken.toString());
        assertEquals(BrokenProviderBundles.VERSION, broken.get("version").getAsString(), broken.toString());
        assertTrue(broken.get("reason").getAsString().contains(why), broken.toString());
        assertTrue(broken.get("text").getAsString().contains("(" + broken.get("bundle").getAsString() + " "
                + BrokenProviderBundles.VERSION + ")"), broken.toString());
    }
}
