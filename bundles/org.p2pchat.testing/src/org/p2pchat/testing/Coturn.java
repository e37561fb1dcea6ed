package org.p2pchat.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real coturn STUN/TURN server for tests, started on a test-namespace address with long-term
 * credentials ({@link #start}) or time-limited ones from a shared secret ({@link #startWithSecret}),
 * and stopped on close. Needs Debian's coturn package (the test command installs it).
 */
public final class Coturn implements AutoCloseable {

    public static final String REALM = "p2pchat.test";
    public static final String USER = "tester";
    public static final String PASSWORD = "correct-horse";

    private final Process process;
    private final String address;
    private final int port;

    private Coturn(Process process, String address, int port) {
        this.process = process;
        this.address = address;
        this.port = port;
    }

    /** Starts coturn listening on {@code address:port} (UDP and TCP); waits until it accepts connections. */
    public static Coturn start(Path workDir, String address, int port) throws IOException, InterruptedException {
        return start(workDir, address, port, List.of("lt-cred-mech", "user=" + USER + ":" + PASSWORD));
    }

    /**
     * Starts coturn with time-limited credentials (the TURN REST scheme, {@code use-auth-secret}):
     * it accepts user names {@code <expiry, Unix seconds>:<anything>} whose password is
     * base64(HMAC-SHA1({@code secret}, user name)), until the expiry.
     */
    public static Coturn startWithSecret(Path workDir, String address, int port, String secret)
            throws IOException, InterruptedException {
        return start(workDir, address, port, List.of("use-auth-secret", "static-auth-secret=" + secret));
    }

    private static Coturn start(Path workDir, String address, int port, List<String> authentication)
            throws IOException, InterruptedException {
        Path turnserver = Path.of("/usr/bin/turnserver");
        if (!Files.isExecutable(turnserver)) {
            throw new IllegalStateException("coturn is not installed (apt-get install coturn); ./run-tests.sh installs it");
        }
        Files.createDirectories(workDir);
        Path config = workDir.resolve("turnserver.conf");
        Files.writeString(config, String.join("\n",
                "listening-ip=" + address,
                "relay-ip=" + address,
                "listening-port=" + port,
                "min-port=49152",
                "max-port=49200",
                "realm=" + REALM,
                String.join("\n", authentication),
                "fingerprint",
                "no-tls",
                "no-dtls",
                "no-cli",
                "no-multicast-peers",
                // The test network is a private range: allow it explicitly, as a lab must.
                "allowed-peer-ip=192.0.2.0-192.0.2.255",
                "pidfile=" + workDir.resolve("turnserver.pid"),
                "log-file=" + workDir.resolve("turnserver.log"),
                "simple-log",
                ""));
        Process p = new ProcessBuilder(turnserver.toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("turnserver.out").toFile()).start();
        Coturn coturn = new Coturn(p, address, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("coturn exited with " + p.exitValue() + "; see " + workDir);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 200);
                return coturn;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        coturn.close();
        throw new IllegalStateException("coturn did not start listening on " + address + ":" + port + "; see " + workDir);
    }

    public String stunUrl() {
        return "stun:" + address + ":" + port;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public String turnUrl() {
        return "turn:" + address + ":" + port;
    }

    @Override
    public void close() {
        ServerProcesses.stop(process);
    }
}
