package org.p2pchat.relay.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2pchat.testing.RelayProcess;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;

/**
 * The relay product under the availability attacks of issue 10 (finding 1), with its default
 * limits: one address opening thousands of connections with unfinished requests, unfinished
 * oversized headers, a {@code Content-Length} above the limit with no body. Meanwhile an honest
 * client from another address registers, signals and receives its signal within 2 s, and the
 * relay's resident memory stays under {@link #RSS_BOUND_KIB}. Inside {@code testnet.sh}: the
 * attacker speaks from 192.0.2.1, the honest client from 192.0.2.2, the relay listens on both.
 */
class RelayUnderAttackTest {

    private static final InetAddress ATTACKER = address(192, 0, 2, 1);
    private static final InetAddress HONEST = address(192, 0, 2, 2);
    /** The relay's resident memory after the attacks (its heap is bounded at 512 MB, but the attacks need far less). */
    private static final long RSS_BOUND_KIB = 450 * 1024;
    /** The default request-timeout-ms, and how long closing late connections may take beyond it. */
    private static final long REQUEST_TIMEOUT_MILLIS = 10_000;
    private static final long CLOSE_SLACK_MILLIS = 5_000;

    private static RelayProcess relay;
    private static InetSocketAddress service;
    private static HttpClient honest;

    @BeforeAll
    static void startRelay() throws Exception {
        relay = Relays.start("--bind", "0.0.0.0", "--port", "0");
        int port = relay.awaitListening(Relays.START_SECONDS).getPort();
        service = new InetSocketAddress(HONEST, port);
        honest = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).localAddress(HONEST)
                .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void thousandsOfUnfinishedRequestsFromOneAddressAreClosedAndOthersAreServedMeanwhile() throws Exception {
        byte[] partial = ("POST /register HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        List<SocketChannel> attack = openFrom(ATTACKER, 3000, partial);
        try {
            long started = System.nanoTime();
            String id = "honest-" + System.nanoTime();
            assertEquals(201, post("/register", "{\"peerId\":\"" + id + "\",\"name\":\"honest\"}").statusCode());
            assertEquals(201, post("/signal", "{\"from\":\"friend\",\"to\":\"" + id
                    + "\",\"type\":\"offer\",\"payload\":\"{}\"}").statusCode());
            HttpResponse<String> signals = get("/signal/" + id);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            JsonArray received = JsonParser.parseString(signals.body()).getAsJsonArray();
            assertEquals(1, received.size(), signals.body());
            assertTrue(tookMillis < 2000, "register, signal and fetch under attack took " + tookMillis + " ms");

            long closedWithin = REQUEST_TIMEOUT_MILLIS + CLOSE_SLACK_MILLIS;
            int open = awaitClosed(attack, closedWithin);
            assertEquals(0, open, open + " of " + attack.size() + " unfinished requests from one address were still"
                    + " open after " + closedWithin + " ms");
        } finally {
            closeAll(attack);
        }
        assertEquals(200, get("/health").statusCode());
        assertRssBounded();
    }

    @Test
    void unfinishedOversizedHeadersAreRefusedAndTheRelayAnswersAfterwards() throws Exception {
        byte[] header = new byte[64 * 1024];
        Arrays.fill(header, (byte) 'a');
        byte[] start = "GET /health HTTP/1.1\r\nHost: relay\r\nX-Padding: ".getBytes(StandardCharsets.US_ASCII);
        byte[] partial = new byte[start.length + header.length];
        System.arraycopy(start, 0, partial, 0, start.length);
        System.arraycopy(header, 0, partial, start.length, header.length);
        // Fewer than the cap per address, so each one meets the header limit rather than the cap.
        for (int round = 0; round < 5; round++) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    Socket socket = new Socket();
                    sockets.add(socket);
                    socket.bind(new InetSocketAddress(ATTACKER, 0));
                    socket.connect(service, 5000);
                    socket.setSoTimeout(5000);
                    try {
                        socket.getOutputStream().write(partial);
                    } catch (IOException e) {
                        // Refused while still sending: what we want.
                    }
                }
                for (Socket socket : sockets) {
                    String answer = readAnswerOrClose(socket);
                    assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 431"),
                            "an unfinished 64 KiB header got: " + answer);
                }
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
        assertEquals(200, get("/health").statusCode());
        assertRssBounded();
    }

    @Test
    void aContentLengthAboveTheLimitWithNoBodyIs413AtOnce() throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(ATTACKER, 0));
            socket.connect(service, 5000);
            socket.setSoTimeout(2000);
            long started = System.nanoTime();
            socket.getOutputStream().write(("POST /register HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer;
            try {
                answer = readAnswerOrClose(socket);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer within 2 s to a Content-Length above the limit", e);
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("{\"error\":\"request body exceeds 65536 bytes\"}"), answer);
            assertTrue(tookMillis < 2000, "the 413 took " + tookMillis + " ms");
        }
        assertEquals(200, get("/health").statusCode());
    }

    @Test
    void theStartScriptBoundsTheHeapAndExitsOnOutOfMemory() throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(relay.pid()), "cmdline"));
        List<String> args = Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
        assertTrue(args.getFirst().endsWith("/java"), "the script execs the JVM itself: " + args);
        assertTrue(args.contains("-XX:+ExitOnOutOfMemoryError"), args.toString());
        assertTrue(args.contains("-Xmx512m"), args.toString());
        assertTrue(args.contains("-XX:G1PeriodicGCInterval=60000"), args.toString());
    }

    private void assertRssBounded() throws IOException {
        long rss = relay.residentKib();
        assertTrue(rss < RSS_BOUND_KIB, "the relay's RSS is " + rss / 1024 + " MB, over " + RSS_BOUND_KIB / 1024
                + " MB");
    }

    /** {@code count} connections from {@code from}, each sent {@code partial} (as far as the relay takes it). */
    private static List<SocketChannel> openFrom(InetAddress from, int count, byte[] partial) throws IOException {
        List<SocketChannel> channels = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open();
                channels.add(channel);
                channel.bind(new InetSocketAddress(from, 0));
                channel.connect(service);
                try {
                    channel.write(ByteBuffer.wrap(partial));
                } catch (IOException e) {
                    // Already closed by the relay.
                }
            }
        } catch (IOException e) {
            closeAll(channels);
            throw new IOException("cannot open attack connections from " + from.getHostAddress()
                    + " (run inside releng/scripts/testnet.sh)", e);
        }
        return channels;
    }

    /** Waits up to {@code millis} for the relay to close every channel; returns how many stay open. */
    private static int awaitClosed(List<SocketChannel> channels, long millis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        int open = channels.size();
        ByteBuffer sink = ByteBuffer.allocate(4096);
        try (Selector selector = Selector.open()) {
            for (SocketChannel channel : channels) {
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ);
            }
            while (open > 0 && System.nanoTime() < deadline) {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    int n;
                    try {
                        sink.clear();
                        n = channel.read(sink);
                    } catch (IOException e) {
                        n = -1; // reset
                    }
                    if (n < 0) {
                        key.cancel();
                        open--;
                    }
                }
                selector.selectedKeys().clear();
            }
        }
        return open;
    }

    /** What the relay answers before it closes the connection; "" if it closed without a word. */
    private static String readAnswerOrClose(Socket socket) throws IOException {
        StringBuilder answer = new StringBuilder();
        byte[] buffer = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            for (int n; (n = in.read(buffer)) > 0;) {
                answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                if (answer.indexOf("\r\n\r\n") >= 0 && answer.indexOf("}") > 0) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            if (answer.isEmpty()) {
                throw e;
            }
        } catch (IOException e) {
            // Reset: closed.
        }
        return answer.toString();
    }

    private static void closeAll(List<SocketChannel> channels) {
        for (SocketChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return honest.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return honest.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://" + service.getAddress().getHostAddress() + ":" + service.getPort() + path);
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
