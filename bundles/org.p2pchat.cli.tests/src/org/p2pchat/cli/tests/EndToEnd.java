package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.TestInfo;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.testing.RelayProcess;

/** What the end-to-end tests share: fresh work directories, a relay, reading chat events. */
final class EndToEnd {

    /** First start of a product JVM on two loaded cores can take a while. */
    static final long START_SECONDS = 90;
    static final long STEP_SECONDS = 30;

    private EndToEnd() {
    }

    /** An empty directory for the test's profiles: a kept profile would already know the peer's key. */
    static Path work(TestInfo test) throws IOException {
        Path dir = Path.of(System.getProperty("p2pchat.test.work", "target/e2e"), test.getTestMethod().orElseThrow().getName());
        if (Files.exists(dir)) {
            try (var old = Files.walk(dir)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    /** The materialized client product the tests run ({@code -Dp2pchat.product.dir}, set by the pom). */
    static Path clientProduct() {
        return product("p2pchat.product.dir", "client");
    }

    /**
     * A copy of the client product at {@code into} with one more plug-in, the bundle {@code jar}:
     * how a third party's plug-in is installed by hand. The copy's plugins/, features/ and p2/
     * are hard links to the product's files (no space taken; the start script and Equinox see an
     * ordinary installation at {@code into}), its start script and configuration/ are copies,
     * and its simpleconfigurator {@code bundles.info} gains a line naming the jar where it was
     * built, started at the default start level.
     */
    static Path clientProductWith(Path jar, Path into) throws IOException {
        Path product = clientProduct();
        try (var files = Files.walk(product)) {
            for (Path from : files.toList()) {
                Path to = into.resolve(product.relativize(from).toString());
                String top = product.relativize(from).getName(0).toString();
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else if (List.of("plugins", "features", "p2").contains(top)) {
                    Files.createLink(to, from);
                } else {
                    Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        String name;
        String version;
        try (JarFile bundle = new JarFile(jar.toFile())) {
            Attributes manifest = bundle.getManifest().getMainAttributes();
            name = manifest.getValue("Bundle-SymbolicName").split(";")[0].strip();
            version = manifest.getValue("Bundle-Version").strip();
        }
        Path bundles = into.resolve("configuration/org.eclipse.equinox.simpleconfigurator/bundles.info");
        String listed = Files.readString(bundles, StandardCharsets.UTF_8);
        Files.writeString(bundles, (listed.endsWith("\n") ? "" : "\n") + name + "," + version + "," + jar.toUri()
                + ",4,true\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return into;
    }

    /**
     * The jar of the test provider bundle {@code org.p2pchat.testing.provider} as this build made
     * it ({@code -Dp2pchat.test.provider.dir}, set by the pom).
     */
    static Path testProviderJar() throws IOException {
        Path dir = Path.of(System.getProperty("p2pchat.test.provider.dir", "(p2pchat.test.provider.dir not set)"));
        assertTrue(Files.isDirectory(dir), "test provider not built at " + dir);
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("org\\.p2pchat\\.testing\\.provider-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no org.p2pchat.testing.provider jar in " + dir));
        }
    }

    /** The materialized relay product ({@code -Dp2pchat.relay.product.dir}, set by the pom). */
    static Path relayProduct() {
        return product("p2pchat.relay.product.dir", "relay");
    }

    /** What the directory tests check first: the test's own network namespace and both products. @return the client product */
    static Path isolatedClientAndRelay() {
        NetworkIsolation.requireIsolatedNetwork();
        relayProduct();
        return clientProduct();
    }

    private static Path product(String property, String what) {
        Path dir = Path.of(System.getProperty(property, "(" + property + " not set)"));
        assertTrue(Files.isDirectory(dir), what + " product missing at " + dir);
        return dir;
    }

    /**
     * A relay of the materialized relay product on the test namespace's address and a free port,
     * its state under {@code dir/relay}. Close it; {@link #url} waits until it listens.
     */
    static RelayProcess startRelay(Path dir) throws IOException {
        return startRelay(dir, 0);
    }

    /** As {@link #startRelay(Path)}, on {@code port} (to start one again where clients knew it). */
    static RelayProcess startRelay(Path dir, int port) throws IOException {
        return RelayProcess.start(relayProduct(), dir.resolve("relay"), "--bind", NetworkIsolation.TEST_ADDRESS,
                "--port", Integer.toString(port));
    }

    /** The relay's address for {@code --rendezvous}, once it accepts connections. */
    static String url(RelayProcess relay) throws InterruptedException {
        return "http://" + NetworkIsolation.TEST_ADDRESS + ":" + relay.awaitListening(START_SECONDS).getPort();
    }

    /**
     * Runs {@code p2pchat cli history ARGS} on a profile no other process uses, to its end (exit
     * code 0); its events stay readable ({@link CliProcess#seen}).
     */
    static CliProcess history(Path profile, String label, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "history";
        System.arraycopy(args, 0, command, 1, args.length);
        try (CliProcess history = CliProcess.start(label, clientProduct(), profile, command)) {
            assertEquals(0, history.awaitExit(START_SECONDS), "cli history " + String.join(" ", args) + ": "
                    + history.output());
            return history;
        }
    }

    /** The messages of the conversation with {@code peer} (a name or id) in a profile's history, oldest first. */
    static List<JsonObject> historyOf(Path profile, String label, String peer) throws Exception {
        CliProcess history = history(profile, label, peer);
        List<JsonObject> messages = history.seen("message");
        assertEquals(history.first("messages", STEP_SECONDS).get("count").getAsInt(), messages.size(),
                history.output());
        return messages;
    }

    /** The next message event that is not a system notice. */
    static JsonObject nextChat(CliProcess p) throws InterruptedException {
        return p.await(e -> "message".equals(e.get("event").getAsString())
                && !"system".equals(e.get("sender").getAsString()), "chat message", STEP_SECONDS);
    }
}
