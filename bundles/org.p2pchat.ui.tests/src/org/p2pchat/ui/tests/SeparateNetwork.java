package org.p2pchat.ui.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.p2pchat.testing.NetworkCommands;

/**
 * A network of its own for the processes the test starts through it (a peer, a relay), joined to
 * the test's namespace by a veth pair: {@value #LOCAL_LINK} ({@value #LOCAL_ADDRESS}) here,
 * {@value #REMOTE_LINK} ({@value #REMOTE_ADDRESS}) in the other namespace, whose default route
 * leads back through us.
 * <p>
 * Why not testnet.sh's own pair: both its ends are in the test's namespace, and the kernel
 * delivers traffic between local addresses over loopback whatever their link does, so taking that
 * link down cuts nothing. Traffic between this namespace and the other one really crosses
 * {@value #LOCAL_LINK}, and {@link #down()} cuts it the way a lost Wi-Fi does. Runs inside
 * testnet.sh's namespace only (it makes a namespace and a link there).
 */
final class SeparateNetwork implements AutoCloseable {

    static final String LOCAL_LINK = "p2ptest2";
    static final String REMOTE_LINK = "p2ptest3";
    static final String LOCAL_ADDRESS = "192.0.2.9";
    static final String REMOTE_ADDRESS = "192.0.2.10";
    /** A /30 is more specific than testnet.sh's 192.0.2.0/24, so traffic to the other side takes this link. */
    private static final String PREFIX = "/30";

    private final Path directory;
    private final Process holder;
    private boolean linked;

    private SeparateNetwork(Path directory, Process holder) {
        this.directory = directory;
        this.holder = holder;
    }

    /** Makes the other namespace (held by a process that only waits) and the link to it. */
    static SeparateNetwork start(Path work) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve("separate-network"));
        Path pidFile = dir.resolve("namespace.pid");
        Files.deleteIfExists(pidFile);
        String setUp = String.join("\n",
                "set -e",
                "echo $$ > \"$0\"",
                "n=0",
                "until ip link show " + REMOTE_LINK + " >/dev/null 2>&1; do",
                "  n=$((n + 1)); [ $n -lt 1200 ] || { echo \"no link " + REMOTE_LINK + " came\" >&2; exit 1; }",
                "  sleep 0.05",
                "done",
                "ip link set lo up",
                "ip addr add " + REMOTE_ADDRESS + PREFIX + " dev " + REMOTE_LINK,
                "ip link set " + REMOTE_LINK + " up",
                "ip route add default via " + LOCAL_ADDRESS,
                "touch \"$0.ready\"",
                "exec sleep infinity");
        Files.deleteIfExists(Path.of(pidFile + ".ready"));
        Process holder = new ProcessBuilder("unshare", "--net", "--", "bash", "-c", setUp, pidFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("namespace.log").toFile()).start();
        SeparateNetwork network = new SeparateNetwork(dir, holder);
        try {
            String pid = waitForFile(pidFile, holder).strip();
            network.ip("link", "add", LOCAL_LINK, "type", "veth", "peer", "name", REMOTE_LINK, "netns", pid);
            network.linked = true;
            network.ip("addr", "add", LOCAL_ADDRESS + PREFIX, "dev", LOCAL_LINK);
            network.up();
            waitForFile(Path.of(pidFile + ".ready"), holder);
            return network;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            network.close();
            throw e;
        }
    }

    private static String waitForFile(Path file, Process holder) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(file)) {
            if (!holder.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the other namespace did not come up (" + file.getFileName() + "); see "
                        + file.resolveSibling("namespace.log"));
            }
            Thread.sleep(20);
        }
        return Files.readString(file);
    }

    /**
     * A directory holding a script called {@code script} that runs {@code product}'s script of
     * that name in the other namespace: pass it where a test driver wants the product's directory.
     */
    Path product(Path product, String script) throws IOException {
        Path dir = Files.createDirectories(directory.resolve("launch-" + script));
        Path launcher = dir.resolve(script);
        Files.writeString(launcher, String.join("\n",
                "#!/usr/bin/env bash",
                "# Made by the test (SeparateNetwork): runs the product in the other network namespace.",
                "exec nsenter --net=/proc/" + holder.pid() + "/ns/net -- \"" + product.resolve(script) + "\" \"$@\"",
                ""), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** The link goes down: nothing passes between the two namespaces until {@link #up()}. */
    void down() throws IOException, InterruptedException {
        ip("link", "set", LOCAL_LINK, "down");
    }

    void up() throws IOException, InterruptedException {
        ip("link", "set", LOCAL_LINK, "up");
    }

    /**
     * Removes the pair (both ends) and ends the holder; the other namespace ends with the last
     * process in it. Stop those first.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        if (linked) {
            linked = false;
            NetworkCommands.ip(false, "link", "del", LOCAL_LINK); // gone already if the namespace ended first
        }
        holder.destroyForcibly();
        holder.waitFor(10, TimeUnit.SECONDS);
    }

    private void ip(String... args) throws IOException, InterruptedException {
        NetworkCommands.ip(true, args);
    }
}
