import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.rendezvous.auth.SessionRequest;
import org.p2pchat.rendezvous.auth.SignedRequest;

/**
 * Drives releng/benchmarks/rendezvous.sh: for each server build to compare (a "front": its class
 * path and JVM options), starts RendezvousBenchServer in its own JVM on 127.0.0.1, fills it with
 * peers, measures its heap, runs wrk against each route, holds waiting fetches, reads its resident
 * memory, and stops it; then prints one table with the fronts' rows side by side. Everything goes
 * to loopback only.
 *
 * <p>Arguments: java, benchmark directory, wrk, seconds per run, peers per API, waiting fetches,
 * then per front: label, server class path, JVM options (space-separated, may be empty).
 */
public final class RendezvousBenchmark {

    private static final int CONCURRENCY = 64;
    /** Idle time after the runs before the resident memory is read again (G1's periodic GC runs each minute). */
    private static final long IDLE_MILLIS = Long.getLong("bench.idleSeconds", 70) * 1000;
    /** Peers per GET /v1/peers page measured (the service's default). */
    private static final int PAGE = 200;
    private static final String CANDIDATE = "{\\\"candidate\\\":\\\"candidate:842163049 1 udp 1677729535 192.0.2.10"
            + " 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag abcd network-cost 999\\\",\\\"sdpMid\\\":"
            + "\\\"0\\\",\\\"sdpMLineIndex\\\":0}";
    private static final Pattern RESULT = Pattern.compile("RESULT requests=(\\d+) duration_us=(\\d+) p50_us=(\\d+)"
            + " p99_us=(\\d+) non2xx=(\\d+) socket_errors=(\\d+) bytes=(\\d+) exhausted=(\\d+)");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SERVICE_ID = Pattern.compile("\"service\":\"([A-Za-z0-9_-]+)\"");
    private static final Pattern SESSION = Pattern.compile("\"session\":\\{\"id\":\"([A-Za-z0-9_-]{22})\","
            + "\"serverKey\":\"([A-Za-z0-9_-]{43})\"\\}");
    private static final byte[] X25519_X509_HEADER = HexFormat.of().parseHex("302a300506032b656e032100");
    /** X25519 keys the "new session" pool's registrations send in turn (the service's work is the same for each). */
    private static final int SESSION_KEYS = 1000;

    private record Row(String scenario, String requestsPerSecond, String p50, String p99, String non2xx, String note) {
    }

    /** A server build to measure: its class path and the JVM options it runs with. */
    private record Front(String label, String classPath, List<String> jvmOptions) {
    }

    private final String java;
    private final List<Front> fronts = new ArrayList<>();
    private final Path directory;
    private final String wrk;
    private final int seconds;
    private final int peers;
    private final int waiting;
    private final java.util.Map<String, List<Row>> rowsByFront = new java.util.LinkedHashMap<>();
    private final java.util.Map<String, List<String>> memoryByFront = new java.util.LinkedHashMap<>();
    private List<Row> rows;
    private List<String> memory;
    private HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private Process server;
    private BufferedReader serverOut;
    private PrintWriter serverIn;
    private URI base;
    private int port;
    private KeyPair[] keys;
    private long heapUsed;
    private String[] ids;
    /** Each v1 peer's session from its registration: id and MAC key. */
    private String[] sessionIds;
    /** The service's id from GET /v1/info: every request is signed (or MAC'd) for it. */
    private String serviceId;
    private byte[][] macKeys;

    private RendezvousBenchmark(String[] args) {
        java = args[0];
        directory = Path.of(args[1]);
        wrk = args[2];
        seconds = Integer.parseInt(args[3]);
        peers = Integer.parseInt(args[4]);
        waiting = Integer.parseInt(args[5]);
        for (int i = 6; i + 2 < args.length; i += 3) {
            List<String> options = args[i + 2].isBlank() ? List.of() : List.of(args[i + 2].trim().split("\\s+"));
            fronts.add(new Front(args[i], args[i + 1], options));
        }
    }

    public static void main(String[] args) throws Exception {
        new RendezvousBenchmark(args).run();
    }

    private void run() throws Exception {
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        Exception failure = null;
        for (Front front : fronts) {
            rows = rowsByFront.computeIfAbsent(front.label(), l -> new ArrayList<>());
            memory = memoryByFront.computeIfAbsent(front.label(), l -> new ArrayList<>());
            progress("front " + front.label() + " " + front.jvmOptions());
            failure = measure(front);
            if (failure != null) {
                break;
            }
        }
        client.close();
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
        print(loadBefore, loadAfter);
        if (failure != null) {
            throw failure;
        }
    }

    /** Measures one front from its start to its stop; returns the failure that ended it early, if any. */
    private Exception measure(Front front) throws Exception {
        startServer(front);
        Exception failure = null;
        try {
            Path pools = Files.createTempDirectory("rendezvous-bench");
            try {
                measure(pools);
            } catch (Exception e) {
                failure = e; // print what was measured first
            } finally {
                try (var files = Files.list(pools)) {
                    for (Path file : files.toList()) {
                        Files.delete(file);
                    }
                }
                Files.delete(pools);
            }
        } finally {
            if (server.isAlive()) {
                memory.add(String.format("resident memory (VmRSS) of the server JVM after the runs: %.0f MB",
                        residentKib(server.pid()) / 1024.0));
                // Idle a while (the peers stay registered): what a JVM that returns memory gives back.
                Thread.sleep(IDLE_MILLIS);
                memory.add(String.format("... and after %d s idle: %.0f MB", IDLE_MILLIS / 1000,
                        residentKib(server.pid()) / 1024.0));
            }
            serverIn.println("quit");
            serverIn.flush();
            server.waitFor();
        }
        return failure;
    }

    private static long residentKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private void measure(Path pools) throws Exception {
        client.close();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        progress("warming up");
        // As many connections as the registrations below use, so that the baseline holds them too.
        parallel(5000, i -> get("/health"));
        long empty = heap();
        memory.add(String.format("empty server: %.1f MB (heap in use %.1f MB)", mb(empty), mb(heapUsed)));

        progress("registering " + peers + " legacy peers");
        parallel(peers, i -> post("/register", "{\"peerId\":\"bench-" + i + "\",\"name\":\"peer bench-" + i + "\"}",
                null, 201));
        int legacyListBytes = get("/peers").length;
        int legacyListed = countOf(get("/peers"), "\"peerId\"");
        long legacy = heap();
        memory.add(String.format("+%,d legacy peers (and their cached GET /peers answer, %.1f MB): %.1f MB"
                + " (heap in use %.1f MB), %,d bytes per peer [%s]", peers, mb(legacyListBytes), mb(legacy),
                mb(heapUsed), (legacy - empty) / peers, stats()));

        Matcher info = SERVICE_ID.matcher(new String(get("/v1/info"), StandardCharsets.UTF_8));
        // A baseline built before requests were bound to a service publishes no id: sign unbound for it.
        serviceId = info.find() ? info.group(1) : null;
        progress("making " + peers + " Ed25519 keys");
        keys = new KeyPair[peers];
        ids = new String[peers];
        IntStream.range(0, peers).parallel().forEach(i -> {
            keys[i] = newKeyPair();
            ids[i] = PublicIdentity.of(keys[i].getPublic()).key();
        });
        progress("registering " + peers + " v1 peers (listed, each opening a session)");
        sessionIds = new String[peers];
        macKeys = new byte[peers][];
        long started = System.nanoTime();
        parallel(peers, i -> {
            KeyPair sessionKeys = x25519();
            String sessionKey = rawKey(sessionKeys.getPublic());
            String body = "{\"name\":\"peer " + i + "\",\"listed\":true,\"sessionKey\":\"" + sessionKey + "\"}";
            Matcher session = SESSION.matcher(post("/v1/register", body, signature(i, "POST", "/v1/register", body),
                    200));
            if (!session.find()) {
                throw new AssertionError("no session opened for peer " + i);
            }
            sessionIds[i] = session.group(1);
            macKeys[i] = SessionRequest.macKey(agree(sessionKeys, session.group(2)), ids[i], session.group(1),
                    sessionKey, session.group(2));
        });
        double signedRate = peers / ((System.nanoTime() - started) / 1e9);
        // Paged: nothing is cached for /v1/peers, a page is read from the sorted listing per request.
        String[] sortedIds = ids.clone();
        Arrays.sort(sortedIds);
        String firstPage = "/v1/peers?limit=" + PAGE;
        String deepPage = "/v1/peers?limit=" + PAGE + "&after=" + sortedIds[peers / 2];
        int pageBytes = get(deepPage).length;
        long both = heap();
        memory.add(String.format("+%,d v1 peers (listed, their sessions and the nonces of their registrations): %.1f MB"
                + " (heap in use"
                + " %.1f MB), %,d bytes per peer [%s]; a GET /v1/peers page of %d is %,d bytes", peers, mb(both),
                mb(heapUsed), (both - legacy) / peers, stats(), PAGE, pageBytes));
        progress(String.format("v1 registration ran at %.0f requests/s (signing and X25519 included)", signedRate));

        wrk("GET /health", "/health", "get", null, "");
        wrk("legacy POST /register", "/", "legacy-register", null, "re-registering " + peers + " ids in turn");
        wrk("legacy POST /signal", "/", "legacy-signal", null, "to " + peers + " recipients in turn");
        wrk("GET /peers", "/peers", "get", null, String.format("%,d peers, %,d of them in the answer"
                + " (legacyPeerListMax)", peers, legacyListed));

        // The registration above (signing included) runs far slower than the server serves.
        int poolSize = (int) Math.max(20_000, Math.min(600_000, signedRate * seconds * 12));
        // Session requests cost the driver an HMAC each: pools large enough for the service's fastest.
        int sessionPoolSize = Math.max(100_000, Math.min(1_200_000, 40_000 * seconds));
        wrk("v1 POST /v1/signal", "/", "pool", pool(pools, "signal", poolSize, i -> {
            int from = i % peers;
            int to = (int) ((i * 7L + 1) % peers);
            return line(from, "POST", "/v1/signal", signalBody(to));
        }), "signed, ICE candidate to " + peers + " recipients in turn");
        wrk("v1 GET /v1/signals?wait=0", "/", "pool", pool(pools, "fetch", poolSize, i -> {
            int peer = (int) ((i * 7L + 1) % peers);
            return line(peer, "GET", "/v1/signals?wait=0", "");
        }), "signed; takes the signals queued by the run above");
        wrk("session POST /v1/register", "/", "pool", pool(pools, "session-renew", sessionPoolSize, i -> {
            int peer = i % peers;
            return sessionLine(peer, "POST", "/v1/register", "{\"name\":\"peer " + peer + "\",\"listed\":true}");
        }), "renewals under the session (HMAC), " + peers + " peers in turn");
        wrk("session POST /v1/signal", "/", "pool", pool(pools, "session-signal", sessionPoolSize, i -> {
            int from = i % peers;
            int to = (int) ((i * 7L + 1) % peers);
            return sessionLine(from, "POST", "/v1/signal", signalBody(to));
        }), "under the session, ICE candidate to " + peers + " recipients in turn");
        wrk("session GET /v1/signals", "/", "pool", pool(pools, "session-fetch", sessionPoolSize, i -> {
            int peer = (int) ((i * 7L + 1) % peers);
            return sessionLine(peer, "GET", "/v1/signals?wait=0", "");
        }), "under the session, wait=0; takes the signals queued by the run above");
        // Last of the runs that need the sessions above: each of these registrations replaces one.
        String[] sessionKeys = IntStream.range(0, SESSION_KEYS).parallel()
                .mapToObj(i -> rawKey(x25519().getPublic())).toArray(String[]::new);
        wrk("v1 POST /v1/register", "/", "pool", pool(pools, "register", poolSize, i -> {
            int peer = i % peers;
            String body = "{\"name\":\"peer " + peer + "\",\"listed\":true,\"sessionKey\":\""
                    + sessionKeys[i % SESSION_KEYS] + "\"}";
            return line(peer, "POST", "/v1/register", body);
        }), "signed with a sessionKey: a new registration (Ed25519 + X25519), " + peers + " keys in turn");
        wrk("GET /v1/peers?limit=" + PAGE, firstPage, "get", null, String.format("first page of %,d listed peers",
                peers));
        wrk("GET /v1/peers?after=", deepPage, "get", null, String.format("a page of %d from the middle of %,d listed"
                + " peers (limit=%d&after=<id>)", PAGE, peers, PAGE));

        if (waiting > 0) {
            waitingFetches();
        }
    }

    private void waitingFetches() throws Exception {
        int count = Math.min(waiting, peers);
        progress("holding " + count + " waiting fetches");
        String path = "/v1/signals?wait=30";
        byte[][] requests = IntStream.range(0, count).parallel().mapToObj(i -> ("GET " + path + " HTTP/1.1\r\nHost: "
                + "127.0.0.1:" + port + "\r\nAuthorization: " + signature(i, "GET", path, "") + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
        long before = heap();
        long rssBefore = residentKib(server.pid());
        List<Socket> sockets = new ArrayList<>();
        try {
            long opened = System.nanoTime();
            for (byte[] request : requests) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                socket.getOutputStream().write(request);
                sockets.add(socket);
            }
            // Each waits 30 s: measure while all of them (or as many as the server took in 20 s) wait.
            String stats = stats();
            while (!stats.contains("waitingFetches=" + count + ",")
                    && System.nanoTime() - opened < Duration.ofSeconds(20).toNanos()) {
                Thread.sleep(50);
                stats = stats();
            }
            int held = Integer.parseInt(stats.replaceAll(".*waitingFetches=(\\d+).*", "$1"));
            double openSeconds = (System.nanoTime() - opened) / 1e9;
            long holding = heap();
            String pushed = "pushed-" + RANDOM.nextInt(1_000_000);
            int last = count - 1;
            String body = "{\"to\":\"" + ids[last] + "\",\"type\":\"offer\",\"payload\":\"" + pushed + "\"}";
            long sent = System.nanoTime();
            post("/v1/signal", body, signature(0, "POST", "/v1/signal", body), 201);
            String answer = readAnswer(sockets.get(last));
            double pushMillis = (System.nanoTime() - sent) / 1e6;
            long rssHolding = residentKib(server.pid());
            memory.add(String.format("%,d waiting fetches (of %,d opened, taken in %.1f s): +%.1f MB of live heap,"
                    + " %,d bytes each; RSS %.0f MB, +%.0f MB (%,d bytes each) from before opening them; a signal"
                    + " posted to one of them %s (%.1f ms from posting to its answer read)", held, count, openSeconds,
                    mb(holding - before), (holding - before) / Math.max(1, held), rssHolding / 1024.0,
                    (rssHolding - rssBefore) / 1024.0, (rssHolding - rssBefore) * 1024 / Math.max(1, held), answer.startsWith("HTTP/1.1 200") && answer.contains(pushed)
                            ? "was pushed to it" : "FAILED: " + answer.replaceAll("\\s+", " "), pushMillis));
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private static String readAnswer(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        StringBuilder answer = new StringBuilder();
        for (int n; (n = in.read(buffer)) > 0;) {
            answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            int headerEnd = answer.indexOf("\r\n\r\n");
            Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(answer);
            if (headerEnd > 0 && length.find() && answer.length() >= headerEnd + 4 + Integer.parseInt(length.group(1))) {
                break;
            }
        }
        return answer.toString();
    }

    /** Runs wrk once and adds its row. */
    private void wrk(String scenario, String path, String mode, Path pool, String note) throws Exception {
        progress("wrk: " + scenario);
        ProcessBuilder run = new ProcessBuilder(wrk, "-t2", "-c50", "-d" + seconds + "s", "--latency", "-s",
                directory.resolve("rendezvous.lua").toString(), base.resolve(path).toString());
        run.environment().put("BENCH_MODE", mode);
        run.environment().put("BENCH_PEERS", Integer.toString(peers));
        run.environment().put("BENCH_THREADS", "2");
        if (pool != null) {
            run.environment().put("BENCH_POOL", pool.toString());
        }
        run.redirectErrorStream(true);
        Process process = run.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher result = RESULT.matcher(output);
        if (!result.find()) {
            throw new IllegalStateException("wrk printed no result:\n" + output);
        }
        long requests = Long.parseLong(result.group(1));
        double duration = Long.parseLong(result.group(2)) / 1e6;
        long non2xx = Long.parseLong(result.group(5));
        long socketErrors = Long.parseLong(result.group(6));
        boolean exhausted = !result.group(8).equals("0");
        long bytes = Long.parseLong(result.group(7));
        String answerSize = mode.equals("get") && bytes / Math.max(1, requests) > 100_000
                ? String.format(", %.1f MB per answer", mb(bytes / requests)) : "";
        String remarks = note + answerSize + (socketErrors > 0 ? "; " + socketErrors + " socket errors" : "")
                + (exhausted ? "; POOL RAN OUT before the end (figure is a lower bound)" : "")
                + (pool != null ? "; pool of " + (countLines(pool) + " pre-made requests") : "");
        rows.add(new Row(scenario, String.format("%,.0f", requests / duration),
                String.format("%.2f", Long.parseLong(result.group(3)) / 1000.0),
                String.format("%.2f", Long.parseLong(result.group(4)) / 1000.0), Long.toString(non2xx), remarks));
    }

    private static long countLines(Path pool) throws IOException {
        long lines = 0;
        for (int thread = 0; thread < 2; thread++) {
            try (var stream = Files.lines(Path.of(pool + "." + thread))) {
                lines += stream.count();
            }
        }
        return lines;
    }

    /** Writes {@code size} requests made by {@code line} into one file per wrk thread. */
    private Path pool(Path dir, String name, int size, IntFunction<String> line) throws IOException {
        progress("signing " + size + " requests for " + name);
        Path prefix = dir.resolve(name);
        String[] lines = IntStream.range(0, size).parallel().mapToObj(line).toArray(String[]::new);
        for (int thread = 0; thread < 2; thread++) {
            List<String> half = new ArrayList<>(size / 2 + 1);
            for (int i = thread; i < size; i += 2) {
                half.add(lines[i]);
            }
            Files.write(Path.of(prefix + "." + thread), half, StandardCharsets.UTF_8);
        }
        return prefix;
    }

    /** One pool line: method, path, Authorization and body, tab-separated. */
    private String line(int peer, String method, String path, String body) {
        return method + "\t" + path + "\t" + signature(peer, method, path, body) + "\t" + body;
    }

    private String signalBody(int to) {
        return "{\"to\":\"" + ids[to] + "\",\"type\":\"ice-candidate\",\"payload\":\"" + CANDIDATE + "\"}";
    }

    /** One pool line of a request under peer {@code peer}'s session, made now with a fresh nonce. */
    private String sessionLine(int peer, String method, String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long ts = System.currentTimeMillis();
        String nonce = nonce();
        String header = serviceId != null
                ? SessionRequest.of(sessionIds[peer], macKeys[peer], serviceId, method, path, bytes, ts, nonce).toHeader()
                : SessionRequest.SCHEME + " id=" + sessionIds[peer] + ", ts=" + ts + ", nonce=" + nonce + ", mac="
                        + Base64.getUrlEncoder().withoutPadding().encodeToString(
                                hmac(macKeys[peer], signedBytes(method, path, ts, nonce, bytes)));
        return method + "\t" + path + "\t" + header + "\t" + body;
    }

    private static String nonce() {
        byte[] nonceBytes = new byte[16];
        RANDOM.nextBytes(nonceBytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(nonceBytes);
    }

    private static KeyPair x25519() {
        try {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The raw 32-byte X25519 public key, base64url: the end of its X.509 encoding. */
    private static String rawKey(PublicKey key) {
        byte[] der = key.getEncoded();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(der, der.length - 32,
                der.length));
    }

    /** The X25519 shared secret of our key pair and the service's raw public key. */
    private static byte[] agree(KeyPair ours, String serverKey) throws GeneralSecurityException {
        byte[] raw = Base64.getUrlDecoder().decode(serverKey);
        byte[] der = Arrays.copyOf(X25519_X509_HEADER, X25519_X509_HEADER.length + raw.length);
        System.arraycopy(raw, 0, der, X25519_X509_HEADER.length, raw.length);
        PublicKey theirs = KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(der));
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        agreement.init(ours.getPrivate());
        agreement.doPhase(theirs, true);
        return agreement.generateSecret();
    }

    /** An Authorization header value for peer {@code peer}'s request, signed now with a fresh nonce. */
    private String signature(int peer, String method, String path, String body) {
        String nonce = nonce();
        long ts = System.currentTimeMillis();
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keys[peer].getPrivate());
            signer.update(signedBytes(method, path, ts, nonce, body.getBytes(StandardCharsets.UTF_8)));
            String sig = Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
            return SignedRequest.SCHEME + " key=" + ids[peer] + (serviceId != null ? ", svc=" + serviceId : "")
                    + ", ts=" + ts + ", nonce=" + nonce + ", sig=" + sig;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a request's signature or MAC covers: bound to the service, or for a baseline without a
     * service id the unbound bytes of the API before that ("p2pchat-rendezvous-v1", no id).
     */
    private byte[] signedBytes(String method, String path, long ts, String nonce, byte[] body) {
        if (serviceId != null) {
            return SignedRequest.signedBytes(serviceId, method, path, ts, nonce, body);
        }
        String bodyHash;
        try {
            bodyHash = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return ("p2pchat-rendezvous-v1\n" + method + "\n" + path + "\n" + ts + "\n" + nonce + "\n" + bodyHash)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Task {
        void run(int i) throws Exception;
    }

    /** Runs {@code task(0 .. count-1)} with {@link #CONCURRENCY} at a time. */
    private static void parallel(int count, Task task) throws Exception {
        Semaphore permits = new Semaphore(CONCURRENCY);
        AtomicInteger failures = new AtomicInteger();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                permits.acquire();
                int index = i;
                executor.submit(() -> {
                    try {
                        task.run(index);
                    } catch (Exception | AssertionError e) {
                        if (failures.getAndIncrement() == 0) {
                            System.err.println("request failed: " + e);
                        }
                    } finally {
                        permits.release();
                    }
                    return null;
                });
            }
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " requests failed");
        }
    }

    private byte[] get(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(base.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + response.statusCode());
        }
        return response.body();
    }

    private static int countOf(byte[] text, String part) {
        String s = new String(text, StandardCharsets.UTF_8);
        int count = 0;
        for (int at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    /** Posts and returns the answer's body, which must come with status {@code expected}. */
    private String post(String path, String body, String authorization, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new AssertionError("POST " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private void startServer(Front front) throws IOException {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(front.jvmOptions());
        command.addAll(List.of("-cp", front.classPath(), directory.resolve("RendezvousBenchServer.java").toString()));
        server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        OutputStream commands = server.getOutputStream();
        serverIn = new PrintWriter(commands, true, StandardCharsets.UTF_8);
        String first = serverOut.readLine();
        if (first == null || !first.startsWith("PORT ")) {
            throw new IllegalStateException("the server did not start: " + first);
        }
        port = Integer.parseInt(first.substring(5));
        base = URI.create("http://127.0.0.1:" + port);
    }

    private String command(String command, String answerPrefix) throws IOException {
        serverIn.println(command);
        String answer = serverOut.readLine();
        if (answer == null || !answer.startsWith(answerPrefix)) {
            throw new IllegalStateException(command + ": " + answer);
        }
        return answer.substring(answerPrefix.length());
    }

    /** Bytes of live objects in the server after a full GC (the heap in use is kept in {@link #heapUsed}). */
    private long heap() throws IOException {
        String[] answer = command("heap", "HEAP ").split(" ");
        heapUsed = Long.parseLong(answer[1]);
        return Long.parseLong(answer[0]);
    }

    private String stats() throws IOException {
        return command("stats", "STATS ");
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static void progress(String what) {
        System.err.println("rendezvous benchmark: " + what);
    }

    private void print(String loadBefore, String loadAfter) {
        System.out.println();
        System.out.printf("Rendezvous service on 127.0.0.1, wrk -t2 -c50 -d%ds (wrk, server and driver share %d CPUs;"
                + " load average before %s, after %s)%n", seconds, Runtime.getRuntime().availableProcessors(),
                loadBefore.split(" ")[0], loadAfter.split(" ")[0]);
        System.out.println("Authenticated (v1) requests: pre-made pools, a fresh nonce each; the server verifies every"
                + " signature (v1 rows) or session MAC (session rows) and checks every nonce. Benchmark server only:"
                + " its clock window is widened to 10 min so that pools made before a run stay valid, and"
                + " registrations last 30 min so that all peers stay registered through the runs; rate limits off.");
        System.out.println();
        String format = "%-27s %-5s %10s %8s %8s %8s  %s%n";
        System.out.printf(format, "scenario", "front", "req/s", "p50 ms", "p99 ms", "non-2xx", "notes");
        List<Row> first = rowsByFront.values().iterator().next();
        for (int i = 0; i < first.size(); i++) {
            for (var entry : rowsByFront.entrySet()) {
                if (i < entry.getValue().size()) {
                    Row row = entry.getValue().get(i);
                    System.out.printf(format, row.scenario(), entry.getKey(), row.requestsPerSecond(), row.p50(),
                            row.p99(), row.non2xx(), entry.getKey().equals(rowsByFront.keySet().iterator().next())
                                    ? row.note() : "");
                }
            }
        }
        System.out.println();
        System.out.println("Server memory: live objects after a full GC (class histogram total), and resident memory:");
        for (Front front : fronts) {
            System.out.println("  " + front.label() + " (JVM options: " + (front.jvmOptions().isEmpty() ? "none"
                    : String.join(" ", front.jvmOptions())) + "):");
            for (String line : memoryByFront.getOrDefault(front.label(), List.of())) {
                System.out.println("    " + line);
            }
        }
    }
}
