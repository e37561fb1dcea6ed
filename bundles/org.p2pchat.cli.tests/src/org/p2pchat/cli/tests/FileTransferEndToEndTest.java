package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.RelayProcess;

/**
 * A large file between two command-line clients of the materialized product, who meet through a
 * relay process: the receiver is killed (SIGKILL) about halfway and started again on the same
 * profile; the sender's client reconnects through the relay by itself, and the transfer goes on
 * from the pieces already on disk and arrives intact.
 */
class FileTransferEndToEndTest {

    private static final long START_SECONDS = EndToEnd.START_SECONDS;
    private static final long STEP_SECONDS = EndToEnd.STEP_SECONDS;
    private static final long MIB = 1024 * 1024;
    private static final long SIZE = 256 * MIB;
    /** The sender's connection notices the killed peer only when ICE gives up (about 30 s), then reconnects. */
    private static final long RECONNECT_SECONDS = 120;

    private static Path product;

    @BeforeAll
    static void productsAndNetwork() {
        product = EndToEnd.isolatedClientAndRelay();
    }

    @Test
    void aReceiverKilledHalfwayResumesWithoutStartingOverAndTheFileArrivesIntact(TestInfo test, @TempDir Path files)
            throws Exception {
        Path dir = EndToEnd.work(test);
        Path source = files.resolve("outbox").resolve("random 256m.bin"); // a space: /send takes quoted paths
        Path inbox = files.resolve("inbox");
        String sha = writeRandomFile(source, SIZE, 20_240_601);
        Path received = inbox.resolve(source.getFileName().toString());
        Path part = inbox.resolve(source.getFileName() + ".part");

        try (RelayProcess relay = EndToEnd.startRelay(dir)) {
            String url = EndToEnd.url(relay);
            String[] bobArgs = { "--no-ice", "--name", "bob", "--rendezvous", url, "--accept", "--accept-files",
                    inbox.toString(), "listen" };
            try (CliProcess alice = CliProcess.start("alice", product, dir.resolve("alice"), "--no-ice", "--name", "alice",
                    "--rendezvous", url, "connect", "bob")) {
                String id;
                JsonObject halfway;
                long started;
                long killedNanos;
                try (CliProcess bob = CliProcess.start("bob", product, dir.resolve("bob"), bobArgs)) {
                    alice.awaitState("connected", START_SECONDS);
                    bob.awaitState("connected", STEP_SECONDS);

                    // A mistyped path is reported and the console goes on.
                    alice.send("/send \"" + files.resolve("no such file.bin") + "\"");
                    JsonObject missing = alice.await("error", STEP_SECONDS);
                    assertTrue(missing.get("message").getAsString().contains("No file at"), missing.toString());

                    started = System.nanoTime();
                    alice.send("/send \"" + source + "\"");
                    JsonObject offer = bob.await("file-offer", START_SECONDS);
                    id = offer.get("id").getAsString();
                    assertEquals(SIZE, offer.get("total").getAsLong(), offer.toString());
                    assertEquals(source.getFileName().toString(), offer.get("name").getAsString());
                    assertEquals("alice", offer.get("peer").getAsString(), "the sender goes by its --name");

                    // About halfway (progress lines come every tenth): the receiver dies on the spot.
                    halfway = bob.await(progress(id, 40), "40% received", START_SECONDS);
                    bob.kill(STEP_SECONDS);
                    killedNanos = System.nanoTime();
                    assertTrue(halfway.get("percent").getAsDouble() < 80, "killed too late to show a resume: " + halfway);
                    assertTrue(Files.exists(part), "the partial file stays after the kill: " + part);
                }

                double killedAt = halfway.get("percent").getAsDouble();
                // Started again on the same profile: the transfer list there names the unfinished one.
                try (CliProcess bobAgain = CliProcess.start("bob-again", product, dir.resolve("bob"), bobArgs)) {
                    JsonObject unfinished = bobAgain.await("file-unfinished", START_SECONDS);
                    assertEquals(id, unfinished.get("id").getAsString(), unfinished.toString());
                    // Alice's connection gives up on the dead peer and she asks the relay for bob again.
                    alice.await("reconnected", RECONNECT_SECONDS);
                    long reconnectedNanos = System.nanoTime();
                    bobAgain.awaitState("connected", STEP_SECONDS);

                    JsonObject resumed = bobAgain.await(e -> "file-resumed".equals(e.get("event").getAsString())
                            && id.equals(e.get("id").getAsString()), "the transfer resuming", START_SECONDS);
                    double resumedAt = resumed.get("percent").getAsDouble();
                    JsonObject done = bobAgain.await("file-received", START_SECONDS);
                    long doneNanos = System.nanoTime();
                    assertEquals(id, done.get("id").getAsString());
                    alice.await("file-sent", STEP_SECONDS);

                    assertEquals(sha, sha256(received), "SHA-256 of the received file");
                    assertFalse(Files.exists(part), "the .part file became the file");
                    System.out.printf("file transfer kill: killed at %.1f%% (%.1f s after /send, via %s), stored progress "
                            + "at restart %.1f%%, resumed at %.1f%%; reconnected %.1f s after the kill, done %.1f s after "
                            + "reconnecting, %.1f s in all; progress after the restart: %s%n",
                            killedAt, (killedNanos - started) / 1e9, halfway.get("path"),
                            unfinished.get("percent").getAsDouble(), resumedAt, (reconnectedNanos - killedNanos) / 1e9,
                            (doneNanos - reconnectedNanos) / 1e9, (doneNanos - started) / 1e9,
                            bobAgain.seen("file-progress").stream().map(e -> e.get("percent").getAsDouble() + "% "
                                    + e.get("bytesPerSecond").getAsLong() / 1_000_000 + " MB/s " + e.get("path")).toList());
                    // It went on from the pieces on disk: it did not start over.
                    assertTrue(resumedAt >= 35 && resumedAt >= killedAt - 10, "resumed at " + resumedAt
                            + "% after the kill at " + killedAt + "%: " + resumed);
                    for (JsonObject line : bobAgain.seen("file-progress")) {
                        assertTrue(line.get("percent").getAsDouble() >= resumedAt, "progress went back: " + line);
                    }

                    bobAgain.send("/transfers");
                    JsonObject row = bobAgain.await("transfer", STEP_SECONDS);
                    assertEquals("done", row.get("state").getAsString(), row.toString());

                    alice.send("/quit");
                    assertEquals(0, alice.awaitExit(STEP_SECONDS), "alice exit code");
                    bobAgain.awaitState("closed", STEP_SECONDS);
                    assertEquals(3, bobAgain.awaitExit(STEP_SECONDS), "bob exit code: the peer ended the chat");
                }
            }
        }
    }

    /** A progress line of transfer {@code id} at {@code percent} or more. */
    private static Predicate<JsonObject> progress(String id, double percent) {
        return e -> "file-progress".equals(e.get("event").getAsString()) && id.equals(e.get("id").getAsString())
                && e.get("percent").getAsDouble() >= percent;
    }

    /** Writes {@code size} pseudo-random bytes a mebibyte at a time; returns their SHA-256. */
    private static String writeRandomFile(Path file, long size, long seed) throws IOException, NoSuchAlgorithmException {
        Files.createDirectories(file.getParent());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[(int) MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                int n = (int) Math.min(chunk.length, size - written);
                out.write(chunk, 0, n);
                sha.update(chunk, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[(int) MIB];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
