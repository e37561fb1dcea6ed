package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.NetworkIsolation;

/**
 * The profile's passphrase through the command-line client of the materialized product: set with
 * {@code cli passphrase}, a wrong one refused with a clear error and nothing changed, the right
 * one from {@code --passphrase-file}, {@code P2PCHAT_PASSPHRASE} or {@code -Dp2pchat.passphrase.file}
 * opening the client with the same identity, and removed again (then no passphrase is asked for).
 */
class PassphraseEndToEndTest {

    private static final long START_SECONDS = EndToEnd.START_SECONDS;

    private static Path product;

    @BeforeAll
    static void productAndNetwork() {
        NetworkIsolation.requireIsolatedNetwork();
        product = EndToEnd.clientProduct();
    }

    @Test
    void aWrongPassphraseChangesNothingAndTheRightOneOpensTheClient(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        Path profile = dir.resolve("profile");
        Path right = write(dir.resolve("right.txt"), "correct horse battery staple\n");
        Path wrong = write(dir.resolve("wrong.txt"), "correct horse battery stapler\n");
        Path none = write(dir.resolve("none.txt"), "");

        String identity = offerAndIdentity("plain", profile);
        try (CliProcess set = CliProcess.start("set", product, profile, "passphrase", "--new-passphrase-file",
                right.toString())) {
            assertEquals("set", set.await("passphrase", START_SECONDS).get("state").getAsString());
            assertEquals(0, set.awaitExit(START_SECONDS));
        }
        Map<String, byte[]> before = files(profile);
        assertFalse(before.containsKey("identity.key"));

        Run refused = run(profile, Map.of(), "--passphrase-file", wrong.toString(), "--no-ice", "offer");
        assertEquals(1, refused.exit, refused.toString());
        assertTrue(refused.stderr.contains("Wrong passphrase"), refused.toString());
        assertFalse(refused.stdout.contains("p2pchat1:"), "no offer from a locked profile: " + refused);
        Run fromEnvironment = run(profile, Map.of("P2PCHAT_PASSPHRASE", "Correct horse battery staple"), "--no-ice",
                "offer");
        assertEquals(1, fromEnvironment.exit, fromEnvironment.toString());
        assertTrue(fromEnvironment.stderr.contains("Wrong passphrase"), fromEnvironment.toString());
        Run without = run(profile, Map.of(), "--no-ice", "offer");
        assertEquals(1, without.exit, without.toString());
        assertTrue(without.stderr.contains("protected by a passphrase") && without.stderr.contains("--passphrase-file"),
                "no terminal to ask on: says how to give it. " + without);
        Map<String, byte[]> after = files(profile);
        assertEquals(before.keySet(), after.keySet(), "files of the profile");
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name + " changed"));

        assertEquals(identity, offerAndIdentity("right", profile, "--passphrase-file", right.toString()));
        Run environment = run(profile, Map.of("P2PCHAT_PASSPHRASE", "correct horse battery staple"), "methods");
        assertEquals(0, environment.exit, "P2PCHAT_PASSPHRASE unlocks it: " + environment);
        Run property = run(profile, Map.of("P2PCHAT_VMARGS", "-Dp2pchat.passphrase.file=" + right), "methods");
        assertEquals(0, property.exit, "-Dp2pchat.passphrase.file unlocks it at start: " + property);

        try (CliProcess remove = CliProcess.start("remove", product, profile, "passphrase", "--passphrase-file",
                right.toString(), "--new-passphrase-file", none.toString())) {
            assertEquals("removed", remove.await("passphrase", START_SECONDS).get("state").getAsString());
            assertEquals(0, remove.awaitExit(START_SECONDS));
        }
        assertEquals(identity, offerAndIdentity("plain-again", profile));
    }

    /** Starts the client for an offer (so the client layer is up), returns the identity it printed. */
    private static String offerAndIdentity(String label, Path profile, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("--no-ice", "offer"));
        try (CliProcess cli = CliProcess.start(label, product, profile, args.toArray(String[]::new))) {
            String id = cli.await("self", START_SECONDS).get("id").getAsString();
            assertTrue(cli.await("offer", START_SECONDS).get("text").getAsString().length() > 20);
            return id;
        }
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    /** The product's CLI as a person runs it (no --json, no terminal), to its end. */
    private static Run run(Path profile, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(product.resolve("p2pchat").toString(), "--profile",
                profile.toString(), "cli"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(profile.getParent(), "out", ".txt");
        Path err = Files.createTempFile(profile.getParent(), "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().remove("P2PCHAT_PASSPHRASE");
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(START_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("p2pchat cli " + args + " did not end; stderr: " + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Every file of the profile but its log. */
    private static Map<String, byte[]> files(Path profile) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(profile)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                String name = profile.relativize(p).toString();
                if (!name.startsWith("logs")) {
                    files.put(name, Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    private static Path write(Path file, String text) throws IOException {
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
