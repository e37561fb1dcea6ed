package org.p2pchat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A real opentracker (BitTorrent tracker, UDP and HTTP) for tests, started on a test-namespace
 * address and stopped on close. Debian's build serves only whitelisted torrents, so the caller
 * names their info hashes; start returns once it serves them. Needs Debian's opentracker package
 * (the test command installs it).
 */
public final class OpenTracker implements AutoCloseable {

    private final Process process;
    private final String address;
    private final int port;
    private final Path workDir;

    private OpenTracker(Process process, String address, int port, Path workDir) {
        this.process = process;
        this.address = address;
        this.port = port;
        this.workDir = workDir;
    }

    /**
     * Starts opentracker on {@code address:port} (UDP and TCP) for the torrents with these info
     * hashes (hex); waits until it accepts connections.
     */
    public static OpenTracker start(Path workDir, String address, int port, Collection<String> infoHashes)
            throws IOException, InterruptedException {
        Path opentracker = Path.of("/usr/bin/opentracker");
        if (!Files.isExecutable(opentracker)) {
            throw new IllegalStateException("opentracker is not installed (apt-get install opentracker); "
                    + "./run-tests.sh installs it");
        }
        Files.createDirectories(workDir);
        Path whitelist = workDir.resolve("whitelist.txt");
        Files.writeString(whitelist, String.join("\n", infoHashes) + "\n");
        // -A: our address may read the stats page. -d: it chroots there and reads the whitelist after that.
        Process p = new ProcessBuilder(opentracker.toString(), "-i", address, "-p", Integer.toString(port), "-P",
                Integer.toString(port), "-A", address, "-d", workDir.toString(), "-w", "/" + whitelist.getFileName())
                .directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("opentracker.out").toFile()).start();
        OpenTracker tracker = new OpenTracker(p, address, port, workDir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("opentracker exited with " + p.exitValue() + "; see " + workDir);
            }
            // It reads the whitelist on a thread of its own; until then it refuses every torrent.
            if (tracker.servesAll(infoHashes)) {
                return tracker;
            }
            Thread.sleep(50);
        }
        tracker.close();
        throw new IllegalStateException("opentracker did not start serving on " + address + ":" + port + "; see "
                + workDir);
    }

    /**
     * Whether the tracker answers a UDP announce (BEP 15) for each torrent as one it serves; a
     * second announce ("stopped") takes the probe's peer out again.
     */
    private boolean servesAll(Collection<String> infoHashes) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(200);
            s.connect(new InetSocketAddress(address, port));
            ByteBuffer connect = ByteBuffer.allocate(16).putLong(0x41727101980L).putInt(0).putInt(1);
            ByteBuffer reply = exchange(s, connect.array(), 16);
            if (reply == null || reply.getInt(0) != 0) {
                return false;
            }
            long connection = reply.getLong(8);
            for (String hash : infoHashes) {
                // A torrent it refuses gets an announce answer of 8 bytes, without interval and counts.
                reply = exchange(s, announce(connection, hash, STARTED), 20);
                if (reply == null || reply.getInt(0) != 1) {
                    return false;
                }
                exchange(s, announce(connection, hash, STOPPED), 8);
            }
            return true;
        } catch (SocketTimeoutException | PortUnreachableException notYet) {
            return false;
        }
    }

    private static final int STARTED = 2;
    private static final int STOPPED = 3;

    private static byte[] announce(long connection, String infoHash, int event) {
        return ByteBuffer.allocate(98).putLong(connection).putInt(1).putInt(event)
                .put(HexFormat.of().parseHex(infoHash))
                .put("-P2PTEST-readiness00".getBytes(StandardCharsets.US_ASCII))
                .putLong(0).putLong(0).putLong(0).putInt(event).putInt(0).putInt(0).putInt(1).putShort((short) 1)
                .array();
    }

    private static ByteBuffer exchange(DatagramSocket s, byte[] request, int minimumReply) throws IOException {
        s.send(new DatagramPacket(request, request.length));
        DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
        s.receive(reply);
        return reply.getLength() < minimumReply ? null : ByteBuffer.wrap(reply.getData(), 0, reply.getLength());
    }

    /** The URL BitTorrent clients announce to over UDP. */
    public String udpUrl() {
        return "udp://" + address + ":" + port + "/announce";
    }

    /** Peers the tracker knows, over all torrents, and how many of them are seeds. */
    public record Swarm(long peers, long seeds) {
    }

    /** Asks the stats page (its "peer" mode answers the peer and seed counts, one a line). */
    public Swarm swarm() throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://" + address + ":" + port + "/stats?mode=peer")
                .toURL().openConnection(Proxy.NO_PROXY);
        c.setConnectTimeout(2000);
        c.setReadTimeout(2000);
        try (InputStream in = c.getInputStream()) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n");
            try {
                return new Swarm(Long.parseLong(lines[0].strip()), Long.parseLong(lines[1].strip()));
            } catch (RuntimeException e) {
                throw new IOException("unexpected stats from opentracker: " + String.join("|", lines)
                        + "; see " + workDir);
            }
        } finally {
            c.disconnect();
        }
    }

    @Override
    public void close() {
        ServerProcesses.stop(process);
    }
}
