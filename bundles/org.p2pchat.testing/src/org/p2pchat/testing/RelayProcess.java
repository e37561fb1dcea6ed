package org.p2pchat.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code p2pchat-relay} process of the materialized relay product, read through its log
 * (stdout) and its error output, and stopped with real signals.
 */
public final class RelayProcess implements AutoCloseable {

    /** The log line the relay prints once it accepts connections. */
    public static final Pattern LISTENING = Pattern.compile("started: .* listening on \\[?([^\\]\\s]+?)\\]?:(\\d+) ");

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private RelayProcess(Process process) {
        this.process = process;
        this.stdoutReader = reader(process.getInputStream(), stdout, "relay-stdout");
        this.stderrReader = reader(process.getErrorStream(), stderr, "relay-stderr");
    }

    /**
     * Starts {@code <productDir>/p2pchat-relay ARGS} with its framework cache under {@code stateDir}
     * ({@code P2PCHAT_RELAY_STATE}).
     *
     * @param productDir the materialized relay product (holding the {@code p2pchat-relay} script)
     */
    public static RelayProcess start(Path productDir, Path stateDir, String... args) throws IOException {
        return start(productDir, stateDir, Map.of(), args);
    }

    /**
     * As {@link #start(Path, Path, String...)}, with these variables added to the script's
     * environment (e.g. {@code P2PCHAT_VMARGS} for JVM options).
     */
    public static RelayProcess start(Path productDir, Path stateDir, Map<String, String> environment, String... args)
            throws IOException {
        Path script = productDir.resolve("p2pchat-relay");
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("no relay start script at " + script + "; build the relay product first");
        }
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        pb.environment().put("P2PCHAT_RELAY_STATE", stateDir.toString());
        Files.createDirectories(stateDir);
        return new RelayProcess(pb.start());
    }

    private static Thread reader(InputStream stream, List<String> lines, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null;) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(closed: " + e + ")");
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The first stdout line, printed before or within {@code seconds}, that {@code pattern} finds. */
    public Matcher awaitLine(Pattern pattern, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int checked = 0;
        do {
            while (checked < stdout.size()) {
                Matcher m = pattern.matcher(stdout.get(checked++));
                if (m.find()) {
                    return m;
                }
            }
            if (!process.isAlive() && !stdoutReader.isAlive() && checked == stdout.size()) {
                throw new AssertionError("the relay exited with " + process.exitValue() + " before printing /"
                        + pattern + "/. " + output());
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the relay printed no /" + pattern + "/ within " + seconds + " s. " + output());
    }

    /** Waits for the "started" line; returns the address it listens on. */
    public InetSocketAddress awaitListening(long seconds) throws InterruptedException {
        Matcher m = awaitLine(LISTENING, seconds);
        return new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
    }

    /** Sends a signal ("TERM", "INT", ...) to the relay's JVM (the start script execs it). */
    public void signal(String name) throws IOException, InterruptedException {
        // bash's own kill: a /bin/kill (procps) is not on every minimal system.
        Process kill = new ProcessBuilder("bash", "-c", "kill -s \"$1\" \"$2\"", "kill", name,
                Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -s " + name + " " + process.pid() + " failed");
        }
    }

    /** Waits for the process to end and its output to be read; returns its exit code. */
    public int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the relay did not exit within " + seconds + " s. " + output());
        }
        stdoutReader.join(TimeUnit.SECONDS.toMillis(5));
        stderrReader.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    public List<String> stdout() {
        return List.copyOf(stdout);
    }

    public List<String> stderr() {
        return List.copyOf(stderr);
    }

    public long pid() {
        return process.pid();
    }

    /** Resident memory of the relay's JVM, in KiB. */
    public long residentKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS for process " + process.pid());
    }

    /** Both outputs, for failure messages. */
    public String output() {
        return "stdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + String.join("\n", stderr);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
