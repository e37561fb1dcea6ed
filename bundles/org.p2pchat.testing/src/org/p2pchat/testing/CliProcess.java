package org.p2pchat.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * One {@code p2pchat cli --json} process of the materialized product, driven through its stdin
 * and read through its JSON event lines. Used by the end-to-end tests and the benchmarks.
 * <p>
 * {@code --json} promises JSON lines only on stdout, and the client's log belongs in the
 * profile's {@code logs/cli.log}, not on stderr. A line of stdout that is not a JSON object fails
 * the next wait, {@link #awaitExit} and {@link #close}; so does a line on stderr that the test did
 * not announce with {@link #allowStderr}. Failure messages show stderr beside the transcript (it is
 * also kept in {@code <label>.stderr.log} beside the profile, and stdout in {@code <label>.stdout.log},
 * for a look after the run). Nor does the log hold libwebrtc's complaint that a native thread could not
 * call into the ending JVM ({@link #awaitExit} fails on it): the client closes its connections
 * before it exits.
 */
public final class CliProcess implements AutoCloseable {

    private final String label;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    /** Every event so far, whether or not a wait skipped it. */
    private final List<JsonObject> history = new CopyOnWriteArrayList<>();
    /** Everything it printed, events and other lines, for failure messages. */
    private final List<String> transcript = new CopyOnWriteArrayList<>();
    /** Lines of stdout that are not JSON objects: each breaks the promise of --json. */
    private final List<String> notJson = new CopyOnWriteArrayList<>();
    /** Every line of stderr so far. */
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    /** Lines of stderr the test said to expect; any other line is a failure. */
    private final List<Pattern> allowedStderr = new CopyOnWriteArrayList<>();
    private final Path stderrFile;
    /** The profile's log, where the JVM's stdout (Java logging, native messages) goes. */
    private final Path log;
    private final Thread reader;
    private final Thread stderrReader;
    /** Set once {@link #close} has checked the output, so a second close does not fail again. */
    private volatile boolean closed;

    private CliProcess(String label, Process process, Path stderrFile, Path log) {
        this.label = label;
        this.log = log;
        this.process = process;
        this.stderrFile = stderrFile;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        reader = new Thread(this::readEvents, "cli-" + label + "-stdout");
        reader.setDaemon(true);
        reader.start();
        stderrReader = new Thread(this::readStderr, "cli-" + label + "-stderr");
        stderrReader.setDaemon(true);
        stderrReader.start();
    }

    /**
     * Starts {@code <productDir>/p2pchat --profile <profile> cli --json ARGS}.
     *
     * @param productDir the materialized product (holding the {@code p2pchat} start script)
     */
    public static CliProcess start(String label, Path productDir, Path profile, String... args) throws IOException {
        return start(label, productDir, profile, java.util.Map.of(), args);
    }

    /**
     * As {@link #start(String, Path, Path, String...)}, with more in the process's environment
     * (e.g. {@code P2PCHAT_VMARGS} for JVM options).
     */
    public static CliProcess start(String label, Path productDir, Path profile, java.util.Map<String, String> environment,
            String... args) throws IOException {
        return start(label, List.of(), productDir, profile, environment, args);
    }

    /**
     * As {@link #start(String, Path, Path, java.util.Map, String...)}, started through
     * {@code launcher} (a command that runs the rest of its command line somewhere else, e.g.
     * {@code ip netns exec NAMESPACE} for a host of the NAT lab, {@link NatLab#in}); it must exec
     * the client, so that this process is the client's.
     */
    public static CliProcess start(String label, List<String> launcher, Path productDir, Path profile,
            java.util.Map<String, String> environment, String... args) throws IOException {
        Path script = productDir.resolve("p2pchat");
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("no product start script at " + script + "; build the product first");
        }
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(script.toString(), "--profile", profile.toString(), "cli", "--json"));
        command.addAll(List.of(args));
        Path stderr = profile.resolveSibling(label + ".stderr.log");
        Files.createDirectories(profile);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return new CliProcess(label, builder.start(), stderr, profile.resolve("logs").resolve("cli.log"));
    }

    /**
     * Lines of stderr matching {@code line} are expected (a wrong command line is answered there,
     * for instance); any other line on stderr fails the test.
     */
    public CliProcess allowStderr(Pattern line) {
        allowedStderr.add(line);
        return this;
    }

    private void readEvents() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer file = Files.newBufferedWriter(stderrFile.resolveSibling(label + ".stdout.log"),
                        StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                file.write(line);
                file.write('\n');
                file.flush();
                transcript.add(line.length() > 300 ? line.substring(0, 300) + "..." : line);
                JsonObject event = null;
                try {
                    event = JsonParser.parseString(line).getAsJsonObject();
                } catch (RuntimeException e) {
                    notJson.add(line);
                }
                if (event != null) {
                    history.add(event);
                    events.add(event);
                }
            }
        } catch (IOException e) {
            transcript.add("(stdout closed: " + e + ")");
        }
    }

    /** Keeps stderr for the checks and failure messages, and in a file for a look after the run. */
    private void readStderr() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
                Writer file = Files.newBufferedWriter(stderrFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = err.readLine()) != null) {
                stderr.add(line);
                file.write(line);
                file.write('\n');
                file.flush();
            }
        } catch (IOException e) {
            stderr.add("(stderr closed: " + e + ")");
        }
    }

    /** Types one line into the process. */
    public void send(String line) throws IOException {
        stdin.write(line);
        stdin.write('\n');
        stdin.flush();
    }

    public void closeInput() throws IOException {
        stdin.close();
    }

    /** The next event called {@code name}, skipping others; fails after {@code seconds}. */
    public JsonObject await(String name, long seconds) throws InterruptedException {
        return await(e -> name.equals(e.get("event").getAsString()), "event '" + name + "'", seconds);
    }

    /** The next event matching {@code wanted}, skipping others. */
    public JsonObject await(Predicate<JsonObject> wanted, String what, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            assertJsonOnly();
            JsonObject e = events.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
            if (e != null && wanted.test(e)) {
                return e;
            }
        }
        throw new AssertionError(label + ": no " + what + " within " + seconds + " s. " + output());
    }

    /** The state event for {@code state} ("connected", "closed", ...). */
    public JsonObject awaitState(String state, long seconds) throws InterruptedException {
        return await(e -> "state".equals(e.get("event").getAsString()) && state.equals(e.get("state").getAsString()),
                "state '" + state + "'", seconds);
    }

    /**
     * Kills the process at once, as a crash or a power cut would: SIGKILL on Linux, so nothing
     * runs on the way out (no shutdown hooks, no saving). Returns once it is gone.
     */
    public void kill(long seconds) throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError(label + " was killed but still runs after " + seconds + " s");
        }
    }

    /**
     * Ends the process as closing its terminal or a {@code kill} does (SIGTERM: shutdown hooks
     * run); then {@link #awaitExit} says how it ended.
     */
    public void terminate() {
        process.destroy();
    }

    /** The lines of the profile's log ({@code logs/cli.log}) so far; empty if there is none. */
    public List<String> log() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
    }

    /**
     * Waits for the process to end; returns its exit code. Fails if it printed anything but JSON
     * on stdout (to the very end), an unexpected line on stderr, or if its log holds libwebrtc's
     * "VM attach current thread failed" (a native thread called into the JVM as it ended).
     */
    public int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError(label + " did not exit within " + seconds + " s. " + output());
        }
        drainOutput();
        assertJsonOnly();
        assertNoUnexpectedStderr();
        assertNoNativeAttachFailure();
        return process.exitValue();
    }

    /** Lets the readers take what the ended (or killed) process left in its pipes. */
    private void drainOutput() throws InterruptedException {
        reader.join(TimeUnit.SECONDS.toMillis(10));
        stderrReader.join(TimeUnit.SECONDS.toMillis(10));
    }

    private void assertJsonOnly() {
        if (!notJson.isEmpty()) {
            throw new AssertionError(label + " printed lines that are not JSON on stdout in --json mode: " + notJson
                    + ". " + output());
        }
    }

    private void assertNoUnexpectedStderr() {
        List<String> unexpected = unexpectedStderr();
        if (!unexpected.isEmpty()) {
            throw new AssertionError(label + " printed on stderr (its log belongs in the profile's logs/cli.log): "
                    + unexpected + ". " + output());
        }
    }

    private void assertNoNativeAttachFailure() {
        List<String> failures;
        try {
            failures = log().stream()
                    .filter(l -> l.contains("VM attach current thread failed") || l.contains("Failed to attach thread"))
                    .toList();
        } catch (IOException e) {
            throw new AssertionError(label + ": cannot read its log " + log, e);
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(label + "'s log " + log + " says native threads called into the ending JVM: "
                    + failures);
        }
    }

    /** Lines of stderr so far that the test did not announce with {@link #allowStderr}. */
    public List<String> unexpectedStderr() {
        return stderr.stream().filter(l -> allowedStderr.stream().noneMatch(p -> p.matcher(l).matches())).toList();
    }

    /** What it printed on stderr so far. */
    public List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** The transcript of stdout and what stderr had, for failure messages. */
    public String output() {
        return "Output:\n" + String.join("\n", transcript) + "\nstderr:\n" + String.join("\n", stderr);
    }

    /**
     * The first event called {@code name}, printed before or within {@code seconds}; unlike
     * {@link #await(String, long)} it also finds events an earlier wait skipped (for events whose
     * order relative to others is not fixed).
     */
    public JsonObject first(String name, long seconds) throws InterruptedException {
        return first(e -> name.equals(e.get("event").getAsString()), "event '" + name + "'", seconds);
    }

    /** The first event matching {@code wanted}, printed before or within {@code seconds}, as {@link #first(String, long)}. */
    public JsonObject first(Predicate<JsonObject> wanted, String what, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        do {
            assertJsonOnly();
            for (JsonObject e : history) {
                if (wanted.test(e)) {
                    return e;
                }
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(label + ": no " + what + " within " + seconds + " s. " + output());
    }

    /** Every event called {@code name} printed so far, including those waits skipped. */
    public List<JsonObject> seen(String name) {
        return history.stream().filter(e -> name.equals(e.get("event").getAsString())).toList();
    }

    /** Resident memory of the process (the JVM the start script became), in KiB. */
    public long residentKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS for process " + process.pid());
    }

    public List<String> transcript() {
        return List.copyOf(transcript);
    }

    /**
     * Kills the process if it still runs; then fails if it printed a line that is not JSON on
     * stdout or an unexpected line on stderr, so a test that never waits for the exit still sees
     * them (once: a second close only kills).
     */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (closed) {
            return;
        }
        closed = true;
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            drainOutput();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertJsonOnly();
        assertNoUnexpectedStderr();
    }
}
