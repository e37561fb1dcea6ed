package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.cli.tests.SiteInstall.installOverHttp;
import static org.p2pchat.cli.tests.SiteInstall.jarsOf;
import static org.p2pchat.cli.tests.SiteInstall.materializeFromSite;
import static org.p2pchat.cli.tests.SiteInstall.methodEvents;
import static org.p2pchat.cli.tests.SiteInstall.methods;
import static org.p2pchat.cli.tests.SiteInstall.p2pchat;
import static org.p2pchat.cli.tests.SiteInstall.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.NetworkIsolation;

/**
 * The local network provider as a user gets it: the client product is materialized from the update
 * site this build made, the feature {@code org.p2pchat.lan.feature} (category "providers") is
 * installed with {@code p2pchat install} from the site served over HTTP on loopback, and
 * {@code p2pchat list} names it. Two command-line clients of that installation (two profiles, real
 * processes) then find each other on the test namespace's network with no server (method
 * {@code lan}): {@code peers} lists Bob by his name and key as soon as Alice's client is online;
 * Alice connects to Bob by the identity fingerprint Bob's client shows, the
 * connection proves the keys both ways, and they chat both ways. Uninstalled, the method is gone;
 * the feature's bundles dropped into {@code dropins/} bring it back, and a chat works again.
 * <p>
 * Both profiles name the test namespace's address 192.0.2.1 in the provider's own settings section
 * ({@code lan.interfaces}), so announcements never leave the namespace's veth; both clients on it
 * hear each other through multicast loopback there, as the provider's own tests do.
 */
class LanInstallEndToEndTest {

    private static final String FEATURE = "org.p2pchat.lan.feature";
    private static final String METHOD = "lan";
    private static final List<String> BUNDLES = List.of("org.p2pchat.lan", "org.p2pchat.lan.ui");
    private static final long START_SECONDS = EndToEnd.START_SECONDS;
    private static final long STEP_SECONDS = EndToEnd.STEP_SECONDS;

    @BeforeAll
    static void network() {
        NetworkIsolation.requireIsolatedNetwork();
    }

    @Test
    void theLanProviderIsInstalledFromTheSiteChatsWithoutAServerIsUninstalledAndDroppedIn(TestInfo test)
            throws Exception {
        Path dir = EndToEnd.work(test);
        Path product = materializeFromSite(dir.resolve("installed"), dir);
        writeLanSettings(dir.resolve("alice"));
        writeLanSettings(dir.resolve("bob"));
        assertFalse(methods(product, dir.resolve("alice")).contains(METHOD), "not in the client as the site installs it");

        installOverHttp(product, dir, FEATURE);
        assertTrue(p2pchat(product, dir, "list").contains(FEATURE + " "), "listed once installed");
        for (String bundle : BUNDLES) {
            assertEquals(1, jarsOf(product.resolve("plugins"), bundle), bundle + " is in plugins/");
        }
        JsonObject lan = methodEvents(product, dir.resolve("alice")).stream()
                .filter(m -> METHOD.equals(m.get("id").getAsString())).findFirst()
                .orElseThrow(() -> new AssertionError("'methods' does not list " + METHOD + " once installed"));
        String capabilities = lan.get("capabilities").getAsString();
        for (String can : List.of("peer list", "connect", "incoming", "serverless")) {
            assertTrue(capabilities.contains(can), "the LAN method can " + can + ": " + lan);
        }

        chat(product, dir, "installed");

        p2pchat(product, dir, "uninstall", FEATURE);
        assertFalse(p2pchat(product, dir, "list").contains(FEATURE), "not listed once uninstalled");
        assertFalse(methods(product, dir.resolve("alice")).contains(METHOD), "the method is gone at the next start");
        for (String bundle : BUNDLES) {
            assertEquals(0, jarsOf(product.resolve("plugins"), bundle), bundle + " is gone from plugins/");
        }

        Path dropins = Files.createDirectories(product.resolve("dropins"));
        for (String bundle : BUNDLES) {
            Path jar = siteJar(bundle);
            Files.copy(jar, dropins.resolve(jar.getFileName()));
        }
        String listed = p2pchat(product, dir, "list");
        for (String bundle : BUNDLES) {
            assertTrue(listed.contains("dropins/" + siteJar(bundle).getFileName()), "list names dropins/: " + listed);
        }
        assertTrue(methods(product, dir.resolve("alice")).contains(METHOD), "the dropped-in provider runs");
        chat(product, dir, "dropins");
    }

    /**
     * Bob listens on the LAN method (accepting the first request); Alice's {@code peers} lists him;
     * Alice, told only Bob's identity
     * fingerprint as his client shows it, finds him there and connects; both see the other's key,
     * and a line goes each way; Alice ends the chat.
     */
    private static void chat(Path product, Path dir, String round) throws Exception {
        try (CliProcess bob = CliProcess.start("bob-" + round, product, dir.resolve("bob"), "--no-ice", "--name", "bob",
                "--method", METHOD, "--accept", "listen")) {
            String bobKey = bob.first("self", START_SECONDS).get("fingerprint").getAsString();
            bob.await(e -> "service".equals(e.get("event").getAsString())
                    && "registered".equals(e.get("state").getAsString()), "online on the local network", START_SECONDS);
            String bobId = bob.first("self", STEP_SECONDS).get("id").getAsString();
            try (CliProcess peers = CliProcess.start("peers-" + round, product, dir.resolve("alice"), "--no-ice",
                    "--name", "alice", "--method", METHOD, "peers")) {
                assertEquals(0, peers.awaitExit(START_SECONDS), "'peers' exit code: " + peers.transcript());
                JsonObject listed = peers.seen("peer").stream().filter(p -> bobId.equals(p.get("id").getAsString()))
                        .findFirst().orElseThrow(() -> new AssertionError("'peers' does not list bob: "
                                + peers.transcript()));
                assertEquals("bob", listed.get("name").getAsString());
                assertTrue(listed.get("authenticated").getAsBoolean(), "listed with the key it proved: " + listed);
                assertEquals(bobKey, listed.get("fingerprint").getAsString(), "listed by the fingerprint Bob shows: " + listed);
            }
            try (CliProcess alice = CliProcess.start("alice-" + round, product, dir.resolve("alice"), "--no-ice",
                    "--name", "alice", "--method", METHOD, "connect", bobKey)) {
                String aliceKey = alice.first("self", START_SECONDS).get("fingerprint").getAsString();
                JsonObject connecting = alice.first("connecting", START_SECONDS);
                assertEquals("bob", connecting.get("name").getAsString(), "listed by the name Bob announced");
                alice.awaitState("connected", START_SECONDS);
                bob.awaitState("connected", STEP_SECONDS);
                assertEquals(bobKey, alice.first("identity", STEP_SECONDS).get("fingerprint").getAsString(),
                        "Alice's client shows the fingerprint Bob's client shows for itself");
                assertEquals(aliceKey, bob.first("identity", STEP_SECONDS).get("fingerprint").getAsString(),
                        "Bob's client shows the fingerprint Alice's client shows for itself");

                alice.send("hello bob, over the local network (" + round + ")");
                assertEquals("hello bob, over the local network (" + round + ")",
                        EndToEnd.nextChat(bob).get("content").getAsString());
                bob.send("hello alice, no server in between (" + round + ")");
                assertEquals("hello alice, no server in between (" + round + ")",
                        EndToEnd.nextChat(alice).get("content").getAsString());

                alice.send("/quit");
                assertEquals(0, alice.awaitExit(STEP_SECONDS), "alice exit code");
                assertEquals(3, bob.awaitExit(STEP_SECONDS), "bob exit code: the peer ended the chat");
            }
        }
    }

    /** A profile whose LAN settings section names the test namespace's address (and nothing else). */
    private static void writeLanSettings(Path profile) throws IOException {
        JsonArray interfaces = new JsonArray();
        interfaces.add(NetworkIsolation.TEST_ADDRESS);
        JsonObject lan = new JsonObject();
        lan.add("interfaces", interfaces);
        JsonObject sections = new JsonObject();
        sections.add(METHOD, lan);
        JsonObject settings = new JsonObject();
        settings.add("sections", sections);
        Files.createDirectories(profile);
        Files.writeString(profile.resolve("settings.json"), settings.toString(), StandardCharsets.UTF_8);
    }

    /** The jar of {@code bundle} in the update site, as a user would take it for dropins/. */
    private static Path siteJar(String bundle) throws IOException {
        try (var files = Files.list(site().resolve("plugins"))) {
            return files.filter(f -> f.getFileName().toString().startsWith(bundle + "_")).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + bundle + " in the update site"));
        }
    }
}
