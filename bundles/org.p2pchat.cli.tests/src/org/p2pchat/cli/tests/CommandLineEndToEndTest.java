package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.Coturn;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.testing.RelayProcess;

/**
 * What README.md promises of the command-line client that no other test checks, against the
 * materialized products: {@code --help}, {@code --ice}, {@code /status}, {@code /bench},
 * {@code /decline ID} and {@code /accept ID DIR} in one chat, and a name two listed peers share.
 * Every process runs with {@code --json}: {@link CliProcess} fails the test on any stdout line that
 * is not JSON and on anything on stderr the test did not expect.
 */
class CommandLineEndToEndTest {

    private static final long START_SECONDS = EndToEnd.START_SECONDS;
    private static final long STEP_SECONDS = EndToEnd.STEP_SECONDS;
    /** coturn's port inside the test namespace (nothing else of this bundle listens there). */
    private static final int TURN_PORT = 3478;

    private static Path product;

    @BeforeAll
    static void productsAndNetwork() {
        product = EndToEnd.isolatedClientAndRelay();
    }

    @Test
    void helpIsOneJsonLineNamingWhatTheReadmeListsAndAWrongCommandLineExitsWith2(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        String usage;
        try (CliProcess help = CliProcess.start("help", product, dir.resolve("profile"), "--help")) {
            assertEquals(0, help.awaitExit(START_SECONDS), "--help exit code");
            assertEquals(1, help.transcript().size(), "--help with --json prints one JSON line: " + help.transcript());
            usage = help.first("help", STEP_SECONDS).get("text").getAsString();
            // The README's list of modes, options and chat commands.
            for (String named : List.of("offer", "answer", "peers", "connect PEER", "listen", "--name NAME",
                    "--ice URL", "--ice-user USER", "--ice-credential PW", "--no-ice", "--form compact|json",
                    "--rendezvous URL", "--method ID", "--service URL", "methods", "--unlisted", "--accept ", "--accept-files DIR", "--json", "--verbose",
                    "/ping", "/bench MIB", "/status", "/send PATH", "/accept [ID] [DIR]", "/decline [ID]",
                    "/transfers", "/quit")) {
                assertTrue(usage.contains(named), "--help does not name " + named + ":\n" + usage);
            }
        }
        // On stderr: the reason and the usage (the part of --help's text about the options), nothing else.
        CliProcess wrongStart = CliProcess.start("wrong", product, dir.resolve("profile"), "--no-such-option", "offer")
                .allowStderr(Pattern.compile(Pattern.quote("p2pchat cli: unknown argument '--no-such-option'")))
                .allowStderr(Pattern.compile(""));
        usage.lines().forEach(line -> wrongStart.allowStderr(Pattern.compile(Pattern.quote(line))));
        try (CliProcess wrong = wrongStart) {
            assertEquals(2, wrong.awaitExit(START_SECONDS), "a wrong command line exits with 2");
            assertTrue(wrong.transcript().isEmpty(), "nothing on stdout: " + wrong.transcript());
            assertTrue(wrong.stderr().contains("p2pchat cli: unknown argument '--no-such-option'"), wrong.output());
        }
        // A service typed without its scheme is told how to type it (Java would say "Illegal character in scheme name").
        String schemeless = "p2pchat cli: --service 192.0.2.1:3479: type the address with http:// or https:// in front, "
                + "for example http://192.0.2.1:3479";
        CliProcess noSchemeStart = CliProcess.start("no-scheme", product, dir.resolve("profile"), "--service",
                "192.0.2.1:3479", "peers").allowStderr(Pattern.compile(Pattern.quote(schemeless)))
                .allowStderr(Pattern.compile(""));
        usage.lines().forEach(line -> noSchemeStart.allowStderr(Pattern.compile(Pattern.quote(line))));
        try (CliProcess noScheme = noSchemeStart) {
            assertEquals(2, noScheme.awaitExit(START_SECONDS), "a wrong command line exits with 2");
            assertTrue(noScheme.stderr().contains(schemeless), noScheme.output());
        }
    }

    /**
     * Two offers show what {@code --ice} does (an offer holds every candidate; an answer is
     * written before gathering ends, so it cannot): Carol's profile names the TURN server and her
     * {@code --ice} a STUN server, and her offer has no relayed candidate; Alice's profile names
     * the STUN server and her {@code --ice} the TURN server with credentials, and her offer has one.
     * Then, in Alice's chat with Bob: {@code /status}, {@code /bench}, and two file offers waiting
     * at once, one declined and one accepted into a folder, each by its id.
     */
    @Test
    void iceServersFromTheCommandLineReplaceTheProfilesThenStatusBenchDeclineAndAcceptByIdWork(TestInfo test)
            throws Exception {
        Path dir = EndToEnd.work(test);
        Path outbox = Files.createDirectories(dir.resolve("outbox"));
        byte[] declinedBytes = randomBytes(200_000, 1);
        byte[] acceptedBytes = randomBytes(3_000_000, 2);
        Path declined = Files.write(outbox.resolve("declined.bin"), declinedBytes);
        Path accepted = Files.write(outbox.resolve("accepted file.bin"), acceptedBytes);
        Path into = dir.resolve("inbox of bob"); // spaces: /accept takes a quoted folder

        try (Coturn coturn = Coturn.start(dir.resolve("coturn"), NetworkIsolation.TEST_ADDRESS, TURN_PORT)) {
            writeIceSettings(dir.resolve("carol"), coturn.turnUrl(), Coturn.USER, Coturn.PASSWORD);
            writeIceSettings(dir.resolve("alice"), coturn.stunUrl(), "", "");
            try (CliProcess carol = CliProcess.start("carol", product, dir.resolve("carol"), "--ice", coturn.stunUrl(),
                    "--form", "json", "--name", "carol", "offer");
                    CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), "--ice", coturn.turnUrl(),
                            "--ice-user", Coturn.USER, "--ice-credential", Coturn.PASSWORD, "--form", "json", "--name",
                            "alice", "offer");
                    CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), "--no-ice", "--form", "json",
                            "--name", "bob", "answer")) {
                String carolsOffer = carol.await("offer", START_SECONDS).get("text").getAsString();
                assertFalse(relayed(carolsOffer), "carol's --ice STUN server did not replace her profile's TURN server: "
                        + carolsOffer);
                carol.closeInput();
                assertEquals(1, carol.awaitExit(STEP_SECONDS), "no chat came about");

                String offer = alice.await("offer", START_SECONDS).get("text").getAsString();
                assertTrue(relayed(offer), "alice's --ice TURN server gave her no relayed candidate: " + offer);
                bob.send(offer);
                alice.send(bob.await("answer", START_SECONDS).get("text").getAsString());
                alice.awaitState("connected", STEP_SECONDS);
                bob.awaitState("connected", STEP_SECONDS);

                // The path is reported a moment after "connected": ask once it is known.
                String path = alice.first("path", STEP_SECONDS).get("summary").getAsString();
                alice.send("/status");
                JsonObject status = alice.await("status", STEP_SECONDS);
                assertEquals("connected", status.get("state").getAsString(), status.toString());
                assertEquals(path, status.get("path").getAsString(), "/status names the path in use: " + status);

                alice.send("/bench 8");
                JsonObject sent = alice.await("bench-sent", STEP_SECONDS);
                JsonObject received = bob.await("bench-received", STEP_SECONDS);
                assertEquals(8L << 20, sent.get("bytes").getAsLong(), sent.toString());
                assertEquals(8L << 20, received.get("bytes").getAsLong(), "bob counts every byte: " + received);
                assertTrue(received.get("mbPerSec").getAsDouble() > 0, received.toString());

                // Two offers wait at once, so each answer has to find its offer by the id.
                alice.send("/send \"" + declined + "\"");
                String declinedId = offerOf(bob, declined.getFileName().toString());
                alice.send("/send \"" + accepted + "\"");
                String acceptedId = offerOf(bob, accepted.getFileName().toString());
                bob.send("/decline");
                assertTrue(bob.await("error", STEP_SECONDS).get("message").getAsString().contains("2 offers are waiting"),
                        "without an id, two waiting offers are named: " + bob.transcript());

                bob.send("/decline " + declinedId);
                JsonObject bobDeclined = bob.await("file-declined", STEP_SECONDS);
                assertEquals(declinedId, bobDeclined.get("id").getAsString(), bobDeclined.toString());
                JsonObject aliceDeclined = alice.await("file-declined", STEP_SECONDS);
                assertEquals(declined.getFileName().toString(), aliceDeclined.get("name").getAsString(),
                        "alice is told which offer bob declined: " + aliceDeclined);

                bob.send("/accept " + acceptedId + " \"" + into + "\"");
                JsonObject accepting = bob.await("file-accepted", STEP_SECONDS);
                assertEquals(acceptedId, accepting.get("id").getAsString(), accepting.toString());
                assertEquals(into.toString(), accepting.get("directory").getAsString(), accepting.toString());
                JsonObject done = bob.await("file-received", START_SECONDS);
                assertEquals(acceptedId, done.get("id").getAsString(), done.toString());
                alice.await("file-sent", STEP_SECONDS);
                assertArrayEquals(acceptedBytes, Files.readAllBytes(into.resolve(accepted.getFileName())),
                        "the accepted file arrived intact in the folder /accept named");
                assertFalse(Files.exists(into.resolve(declined.getFileName())), "the declined file did not arrive");

                alice.send("/quit");
                assertEquals(0, alice.awaitExit(STEP_SECONDS), "alice exit code");
                assertEquals(3, bob.awaitExit(STEP_SECONDS), "bob exit code: the peer ended the chat");
            }
        }
    }

    /**
     * Two listed peers are called bob: connecting to "bob" is refused with both ids, and
     * connecting by one id reaches that bob and not the other. The client's log goes to the
     * profile's logs/cli.log, not to stdout.
     */
    @Test
    void aNameTwoListedPeersShareIsRefusedWithTheirIdsAndAnIdReachesTheOneItNames(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        try (RelayProcess relay = EndToEnd.startRelay(dir)) {
            String url = EndToEnd.url(relay);
            try (CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), "--no-ice", "--name", "bob",
                    "--rendezvous", url, "--accept", "listen");
                    CliProcess otherBob = CliProcess.start("other-bob", product, dir.resolve("other-bob"), "--no-ice",
                            "--name", "bob", "--rendezvous", url, "--accept", "listen")) {
                String bobId = registeredId(bob);
                String otherBobId = registeredId(otherBob);

                try (CliProcess carol = CliProcess.start("carol", product, dir.resolve("carol"), "--no-ice", "--name",
                        "carol", "--rendezvous", url, "connect", "bob")) {
                    // Either it refuses, or it picked one of them and says whom it connects to.
                    JsonObject outcome = carol.await(e -> List.of("error", "connecting").contains(
                            e.get("event").getAsString()), "a refusal", START_SECONDS);
                    assertEquals("error", outcome.get("event").getAsString(), "carol picked one of them: " + outcome);
                    String refused = outcome.get("message").getAsString();
                    assertTrue(refused.contains("2 peers are called 'bob'") && refused.contains(bobId)
                            && refused.contains(otherBobId), refused);
                    assertEquals(1, carol.awaitExit(STEP_SECONDS), "no chat came about");
                }

                try (CliProcess carol = CliProcess.start("carol-by-id", product, dir.resolve("carol"), "--no-ice",
                        "--name", "carol", "--rendezvous", url, "connect", otherBobId)) {
                    assertEquals(otherBobId, carol.await("connecting", START_SECONDS).get("id").getAsString());
                    carol.awaitState("connected", STEP_SECONDS);
                    otherBob.awaitState("connected", STEP_SECONDS);
                    carol.send("hello, the other bob");
                    assertEquals("hello, the other bob", EndToEnd.nextChat(otherBob).get("content").getAsString());
                    carol.send("/quit");
                    assertEquals(0, carol.awaitExit(STEP_SECONDS));
                }
                assertTrue(bob.seen("request").isEmpty(), "the bob carol did not name got a request: "
                        + bob.transcript());
                String log = Files.readString(dir.resolve("bob").resolve("logs").resolve("cli.log"));
                assertTrue(log.contains("registered as " + bobId), "bob's log is in his profile's logs/cli.log:\n" + log);
            }
        }
    }

    /** A profile whose settings name one STUN or TURN server (and no rendezvous service). */
    private static void writeIceSettings(Path profile, String url, String user, String credential) throws IOException {
        JsonObject server = new JsonObject();
        server.addProperty("name", "from the profile");
        server.addProperty("url", url);
        server.addProperty("username", user);
        server.addProperty("credential", credential);
        server.addProperty("enabled", true);
        server.addProperty("builtIn", false);
        JsonArray servers = new JsonArray();
        servers.add(server);
        JsonObject settings = new JsonObject();
        settings.add("iceServers", servers);
        settings.add("rendezvousServices", new JsonArray());
        Files.createDirectories(profile);
        Files.writeString(profile.resolve("settings.json"), settings.toString(), StandardCharsets.UTF_8);
    }

    /** Whether a description (the web app's JSON form) offers a candidate relayed by the test's TURN server. */
    private static boolean relayed(String description) {
        String sdp = JsonParser.parseString(description).getAsJsonObject().get("sdp").getAsString();
        return sdp.lines().anyMatch(l -> l.startsWith("a=candidate:") && l.contains(" " + NetworkIsolation.TEST_ADDRESS
                + " ") && l.contains(" typ relay "));
    }

    /** The id of the next file offer {@code receiver} is shown, checking it is the file called {@code name}. */
    private static String offerOf(CliProcess receiver, String name) throws InterruptedException {
        JsonObject offer = receiver.await("file-offer", START_SECONDS);
        assertEquals(name, offer.get("name").getAsString(), offer.toString());
        return offer.get("id").getAsString();
    }

    /** Waits until {@code p} is registered; returns its identity key, the id it is listed by. */
    private static String registeredId(CliProcess p) throws InterruptedException {
        p.await(e -> "service".equals(e.get("event").getAsString())
                && "registered".equals(e.get("state").getAsString()), "registration", START_SECONDS);
        return p.first("self", STEP_SECONDS).get("id").getAsString();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
