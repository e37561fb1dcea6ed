package org.p2pchat.natlab.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInfo;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.NatLab;
import org.p2pchat.testing.NetworkIsolation;

/**
 * What the NAT lab tests share: the lab and the products, two command-line clients of the product
 * in the lab's peer hosts, what a chat between them does, and the path they report.
 */
final class LabPeers {

    /** First start of a product JVM on two loaded cores can take a while. */
    static final long START_SECONDS = 90;
    static final long STEP_SECONDS = 60;
    static final int FILE_BYTES = 8 << 20;

    private LabPeers() {
    }

    /** Skips (with the reason) where no lab can be made: not root, iptables or coturn missing, no namespaces. */
    static Path scriptOrSkip() throws IOException, InterruptedException {
        NetworkIsolation.requireIsolatedNetwork();
        Path script = NatLab.script();
        Optional<String> why = NatLab.unavailable(script);
        Assumptions.assumeTrue(why.isEmpty(), () -> "no NAT lab here: " + why.orElseThrow());
        return script;
    }

    static Path clientProduct() {
        return product("p2pchat.product.dir");
    }

    static Path relayProduct() {
        return product("p2pchat.relay.product.dir");
    }

    private static Path product(String property) {
        Path dir = Path.of(System.getProperty(property, "(" + property + " not set)"));
        assertTrue(Files.isDirectory(dir), "product missing at " + dir + " (build releng/org.p2pchat.repository first)");
        return dir;
    }

    /** An empty directory for the test: profiles, the lab's files, the file sent. */
    static Path work(TestInfo test) throws IOException {
        Path dir = Path.of(System.getProperty("p2pchat.test.work", "target/natlab"), test.getTestMethod().orElseThrow().getName());
        if (Files.exists(dir)) {
            try (var old = Files.walk(dir)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    /** The options that give a client the lab's STUN server and its TURN server over UDP and TCP. */
    static List<String> iceServers(NatLab lab, String password) {
        String user = lab.get("TURN_USER");
        return List.of("--ice", lab.get("STUN_URL"),
                "--ice", lab.get("TURN_URL"), "--ice-user", user, "--ice-credential", password,
                "--ice", lab.get("TURN_TCP_URL"), "--ice-user", user, "--ice-credential", password);
    }

    /** A command-line client in {@code node} of the lab. */
    static CliProcess client(NatLab lab, String node, String label, Path dir, List<String> args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--name", label));
        all.addAll(args);
        return CliProcess.start(label, lab.in(node), clientProduct(), dir.resolve(label), Map.of(),
                all.toArray(String[]::new));
    }

    /** The offer and the answer carried between the two, as two people pasting would; both connected after. */
    static void exchangeDescriptions(CliProcess offerer, CliProcess answerer) throws InterruptedException, IOException {
        answerer.send(offerer.await("offer", START_SECONDS).get("text").getAsString());
        offerer.send(answerer.await("answer", START_SECONDS).get("text").getAsString());
        offerer.awaitState("connected", STEP_SECONDS);
        answerer.awaitState("connected", STEP_SECONDS);
    }

    /**
     * The candidate pair a client reported selected: {@code summary (protocol local -> remote, type/type)}.
     * ICE may connect on one pair and move to a better one a moment later; the client reports each.
     */
    record SelectedPair(String summary, String protocol, String local, String remote, String localType, String remoteType) {

        private static final Pattern DETAIL = Pattern.compile("(\\S+) \\((\\w+) (\\S+) -> (\\S+), (\\w+)/(\\w+)\\)");
        /**
         * How long ICE may take to move to the best pair after connecting: checks through a NAT that
         * were lost are retried for a while (a CI run once saw the move take over 15 s).
         */
        private static final long SETTLE_SECONDS = 60;

        static SelectedPair of(JsonObject event) {
            Matcher m = DETAIL.matcher(event.get("detail").getAsString());
            assertTrue(m.matches(), "path event: " + event);
            return new SelectedPair(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6));
        }

        /** The pair the client reported last. */
        static SelectedPair latest(CliProcess client) throws InterruptedException {
            client.first("path", STEP_SECONDS);
            return of(client.seen("path").getLast());
        }

        /** Waits until the client reports a pair that {@code wanted} accepts; then the pair it reported last. */
        static SelectedPair settled(CliProcess client, Predicate<SelectedPair> wanted, String what)
                throws InterruptedException {
            client.first(e -> "path".equals(e.get("event").getAsString()) && wanted.test(of(e)), what, SETTLE_SECONDS);
            return latest(client);
        }

        String remoteIp() {
            return remote.substring(0, remote.lastIndexOf(':'));
        }

        boolean relayed() {
            return "relay".equals(localType) || "relay".equals(remoteType);
        }
    }

    /** What {@link #chatAndSendFile} saw: the bytes that crossed the server host's interface meanwhile. */
    record Exchange(long serverBytes) {
    }

    /**
     * Chat messages both ways and a file from {@code alice} to {@code bob} (who accepts files into
     * {@code inbox}), checked on arrival; how many bytes crossed the server host meanwhile.
     */
    static Exchange chatAndSendFile(NatLab lab, CliProcess alice, CliProcess bob, Path dir, Path inbox) throws Exception {
        Path file = dir.resolve("outbox").resolve("lab file.bin");
        String sha = writeRandomFile(file, FILE_BYTES);
        long serverBefore = lab.serverBytes();

        alice.send("hello from behind NAT A");
        assertEquals("hello from behind NAT A", nextChat(bob).get("content").getAsString());
        bob.send("hello from behind NAT B ✓");
        assertEquals("hello from behind NAT B ✓", nextChat(alice).get("content").getAsString());

        alice.send("/send \"" + file + "\"");
        bob.await("file-received", START_SECONDS);
        alice.await("file-sent", STEP_SECONDS);
        assertEquals(sha, sha256(inbox.resolve(file.getFileName().toString())), "the file arrived intact");
        return new Exchange(lab.serverBytes() - serverBefore);
    }

    /** Ends the chat from alice's side; both exit as they should. */
    static void quit(CliProcess alice, CliProcess bob) throws Exception {
        alice.send("/quit");
        assertEquals(0, alice.awaitExit(STEP_SECONDS), "alice ended the chat");
        assertEquals(3, bob.awaitExit(STEP_SECONDS), "bob: the peer ended the chat");
    }

    static JsonObject nextChat(CliProcess p) throws InterruptedException {
        return p.await(e -> "message".equals(e.get("event").getAsString())
                && !"system".equals(e.get("sender").getAsString()), "chat message", STEP_SECONDS);
    }

    static String writeRandomFile(Path file, int size) throws IOException {
        Files.createDirectories(file.getParent());
        SplittableRandom random = new SplittableRandom(size);
        byte[] block = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int done = 0; done < size; done += block.length) {
                random.nextBytes(block);
                out.write(block, 0, Math.min(block.length, size - done));
            }
        }
        return sha256(file);
    }

    static String sha256(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return java.util.HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
