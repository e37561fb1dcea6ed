package org.p2pchat.relay.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.p2pchat.testing.NetworkIsolation;
import org.p2pchat.testing.RelayProcess;
import org.p2pchat.testing.TurnAllocation;

/**
 * The scripts of stunturn/: start-coturn.sh writes the same coturn config as the relay for the
 * same settings (one template, one set of rules), refuses bad input with a message, and runs a
 * coturn whose long-term users from add-turn-user.sh allocate with their password only.
 */
class StunturnScriptsTest {

    private static final String SECRET = "one-secret-for-script-and-relay";

    @Test
    void theScriptAndTheRelayWriteTheSameConfig() throws Exception {
        Path dir = Relays.work("stunturn-same-config");
        Path script = dir.resolve("script");
        Path relayDir = dir.resolve("relay");
        Run written = run(Map.of("P2PCHAT_TURN_SECRET", SECRET), "start-coturn.sh", "--listen-ip", "192.0.2.1",
                "--port", "3478", "--relay-ports", "49400-49500", "--allowed-peer-ip", "192.0.2.0-192.0.2.255",
                "--dir", script.toString(), "--write-only");
        assertEquals(0, written.exit(), written.output());
        assertFalse(written.output().contains(SECRET), "the secret is not shown: " + written.output());
        Path scriptConfig = script.resolve("turnserver.conf");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(scriptConfig)));

        // The relay writes its config and then fails to start coturn: a program that is not coturn.
        Path notCoturn = Files.writeString(dir.resolve("not-coturn"), "#!/bin/sh\nexit 3\n");
        notCoturn.toFile().setExecutable(true);
        try (RelayProcess relay = Relays.start(Map.of("P2PCHAT_TURN_SECRET", SECRET), "--bind", "127.0.0.1",
                "--port", "0", "--turn", "supervise", "--turn-listen-ip", "192.0.2.1", "--turn-port", "3478",
                "--turn-relay-ports", "49400-49500", "--turn-allowed-peer-ip", "192.0.2.0-192.0.2.255",
                "--turn-work-dir", relayDir.toString(), "--turn-binary", notCoturn.toString())) {
            relay.awaitLine(java.util.regex.Pattern.compile("TURN: coturn started"), Relays.START_SECONDS);
            relay.signal("TERM");
            relay.awaitExit(Relays.STOP_SECONDS);
        }
        assertEquals(withoutPaths(Files.readString(scriptConfig), script),
                withoutPaths(Files.readString(relayDir.resolve("turnserver.conf")), relayDir));
    }

    @Test
    void badInputIsRefusedWithAClearMessage() throws Exception {
        Path dir = Relays.work("stunturn-bad-input");
        Run port = run(Map.of(), "start-coturn.sh", "--external-ip", "203.0.113.10", "--port", "99999", "--dir",
                dir.toString());
        assertEquals(2, port.exit(), port.output());
        assertTrue(port.output().contains("--port must be a port number"), port.output());
        Run injection = run(Map.of(), "start-coturn.sh", "--external-ip", "203.0.113.10\nlt-cred-mech", "--dir",
                dir.toString());
        assertEquals(2, injection.exit(), injection.output());
        assertTrue(injection.output().contains("--external-ip must be"), injection.output());
        Run weak = run(Map.of("P2PCHAT_TURN_SECRET", "short secret"), "start-coturn.sh", "--external-ip",
                "203.0.113.10", "--dir", dir.toString());
        assertEquals(2, weak.exit(), weak.output());
        assertTrue(weak.output().contains("not shown") && !weak.output().contains("short secret"), weak.output());
        Run noSecret = run(Map.of(), "start-coturn.sh", "--external-ip", "203.0.113.10", "--dir", dir.toString());
        assertEquals(2, noSecret.exit(), noSecret.output());
        assertTrue(noSecret.output().contains("no secret"), noSecret.output());
        Run user = run(Map.of(), "add-turn-user.sh", "--userdb", dir.resolve("turndb").toString(), "bad user",
                "password1");
        assertEquals(2, user.exit(), user.output());
        assertTrue(user.output().contains("USER must be"), user.output());
        assertFalse(Files.exists(dir.resolve("turnserver.conf")), "nothing written after a refusal");
    }

    @Test
    void longTermUsersOfAddTurnUserAllocate() throws Exception {
        NetworkIsolation.requireIsolatedNetwork();
        Path dir = Relays.work("stunturn-long-term");
        String userdb = dir.resolve("turndb").toString();
        Run added = run(Map.of(), "add-turn-user.sh", "--userdb", userdb, "alice", "wonderland1");
        assertEquals(0, added.exit(), added.output());
        Run fromStdin = runWithInput("s3cret-pass\n", "add-turn-user.sh", "--userdb", userdb, "bob");
        assertEquals(0, fromStdin.exit(), fromStdin.output());
        Run list = run(Map.of(), "add-turn-user.sh", "--userdb", userdb, "--list");
        assertTrue(list.output().contains("alice") && list.output().contains("bob"), list.output());

        String host = NetworkIsolation.TEST_ADDRESS;
        Process coturn = new ProcessBuilder("bash", script("start-coturn.sh").toString(), "--long-term",
                "--listen-ip", host, "--port", "3480", "--relay-ports", "49600-49700", "--userdb", userdb, "--dir",
                dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("coturn.out").toFile()).start();
        try {
            awaitListening(coturn, host, 3480, dir);
            assertTrue(TurnAllocation.allocate(host, 3480, false, "alice", "wonderland1").allocated());
            assertTrue(TurnAllocation.allocate(host, 3480, true, "bob", "s3cret-pass").allocated());
            assertEquals(401, TurnAllocation.allocate(host, 3480, false, "alice", "wrong-password").errorCode());
            Run deleted = run(Map.of(), "add-turn-user.sh", "--userdb", userdb, "--delete", "bob");
            assertEquals(0, deleted.exit(), deleted.output());
            assertEquals(401, TurnAllocation.allocate(host, 3480, false, "bob", "s3cret-pass").errorCode(),
                    "a removed user");
        } finally {
            coturn.descendants().forEach(ProcessHandle::destroy);
            coturn.destroy();
            if (!coturn.waitFor(10, TimeUnit.SECONDS)) {
                coturn.descendants().forEach(ProcessHandle::destroyForcibly);
                coturn.destroyForcibly();
            }
        }
    }

    private record Run(int exit, String output) {
    }

    /** stunturn/ of the checkout the tests run in. */
    private static Path script(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("stunturn").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("no stunturn/" + name + " above " + Path.of("").toAbsolutePath());
    }

    private static Run run(Map<String, String> environment, String name, String... args) throws Exception {
        return execute(environment, null, name, args);
    }

    private static Run runWithInput(String input, String name, String... args) throws Exception {
        return execute(Map.of(), input, name, args);
    }

    private static Run execute(Map<String, String> environment, String input, String name, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", script(name).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("P2PCHAT_TURN_SECRET");
        builder.environment().putAll(environment);
        Process p = builder.start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not end: " + output);
        }
        return new Run(p.exitValue(), output);
    }

    /** The config with its directory's paths (pid and log file) made neutral. */
    private static String withoutPaths(String config, Path dir) {
        return config.replace(dir.toString(), "DIR");
    }

    private static void awaitListening(Process coturn, String host, int port, Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!coturn.isAlive()) {
                throw new AssertionError("coturn exited with " + coturn.exitValue() + ": "
                        + Files.readString(dir.resolve("coturn.out")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("coturn did not listen on " + host + ":" + port);
    }
}
