package org.p2pchat.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * One NAT lab of {@code releng/scripts/natlab.sh}: network namespaces with an "internet", a
 * server host running coturn (and the relay product if asked), and two peers behind NATs. Made
 * by {@link #up}, torn down by {@link #close} (the script also tears down what a failed
 * {@code up} made, and a later {@code up} in the same directory what a killed run left).
 * Every address in it exists only inside its namespaces.
 */
public final class NatLab implements AutoCloseable {

    /** The script's exit code for "a lab cannot be made here" (with the reason on stderr). */
    private static final int CANNOT = 77;

    private final Path script;
    private final Path dir;
    private final Map<String, String> env;
    /** Tears the lab down if the JVM ends (a failed run, a timeout's SIGTERM) before {@link #close}. */
    private final Thread downAtExit;

    private NatLab(Path script, Path dir, Map<String, String> env) {
        this.script = script;
        this.dir = dir;
        this.env = env;
        this.downAtExit = new Thread(this::down, "natlab-down-at-exit");
        Runtime.getRuntime().addShutdownHook(downAtExit);
    }

    /** The lab script of the source tree ({@code -Dp2pchat.natlab.script}, set by the tests' pom). */
    public static Path script() {
        Path script = Path.of(System.getProperty("p2pchat.natlab.script", "(p2pchat.natlab.script not set)"));
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("no NAT lab script at " + script);
        }
        return script;
    }

    /** Why no lab can be made here (not root, a tool missing, no namespaces); empty if one can. */
    public static Optional<String> unavailable(Path script) throws IOException, InterruptedException {
        Result r = run(script, 60, "can");
        if (r.exit == 0) {
            return Optional.empty();
        }
        return Optional.of(r.exit == CANNOT ? r.output.strip() : "natlab.sh can failed (" + r.exit + "): " + r.output);
    }

    /**
     * Makes a lab of {@code topology} ({@code lan}, {@code cone}, {@code symmetric},
     * {@code udp-blocked}) with its files in {@code dir}; {@code options} as the script takes them
     * ({@code --block-direct}, {@code --relay PRODUCT}).
     */
    public static NatLab up(Path script, Path dir, String topology, String... options)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> args = new ArrayList<>(List.of("up", dir.toString(), topology));
        args.addAll(List.of(options));
        Result r = run(script, 240, args.toArray(String[]::new));
        if (r.exit != 0) {
            throw new IllegalStateException("natlab.sh up " + topology + " failed (" + r.exit + "): " + r.output);
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("env"), StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new NatLab(script, dir, env);
    }

    /** A value of the lab's {@code env} file (addresses, TURN URLs and credentials). */
    public String get(String key) {
        String value = env.get(key);
        if (value == null) {
            throw new IllegalArgumentException("the lab's env has no " + key + ": " + env);
        }
        return value;
    }

    /** The command that runs what follows it inside {@code node} (peerA, peerB, server, natA, ...). */
    public List<String> in(String node) {
        return List.of(script.toString(), "exec", dir.toString(), node);
    }

    /** Runs {@code command} inside {@code node} to its end; fails unless it exits with 0. @return its output */
    public String exec(String node, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("exec", dir.toString(), node));
        args.addAll(List.of(command));
        Result r = run(script, 60, args.toArray(String[]::new));
        if (r.exit != 0) {
            throw new AssertionError("in " + node + ": " + String.join(" ", command) + " exited with " + r.exit + ": "
                    + r.output);
        }
        return r.output;
    }

    /** Bytes the server host sent and received so far (its one interface, wan0). */
    public long serverBytes() throws IOException, InterruptedException {
        String json = exec("server", "ip", "-s", "-j", "link", "show", "wan0");
        JsonObject stats = JsonParser.parseString(json).getAsJsonArray().get(0).getAsJsonObject()
                .getAsJsonObject("stats64");
        return stats.getAsJsonObject("rx").get("bytes").getAsLong() + stats.getAsJsonObject("tx").get("bytes").getAsLong();
    }

    /** TCP connections established with coturn's port, as {@code ss} lists them on the server. */
    public List<String> turnTcpConnections() throws IOException, InterruptedException {
        String port = get("TURN_URL").replaceAll(".*:", "");
        return exec("server", "ss", "-Htn", "state", "established", "( sport = :" + port + " )").lines()
                .filter(l -> !l.isBlank()).toList();
    }

    /** CPU time coturn used so far (user and system), in seconds. */
    public double turnCpuSeconds() throws IOException {
        String pid = Files.readString(Path.of(get("TURN_PID_FILE"))).strip();
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // utime and stime are fields 14 and 15 of /proc/PID/stat; fields[0] is field 3.
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** coturn's log so far. */
    public List<String> turnLog() throws IOException {
        Path log = Path.of(get("TURN_LOG"));
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
    }

    public Path dir() {
        return dir;
    }

    /** Tears the lab down: everything still running in it ends. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(downAtExit);
        } catch (IllegalStateException exiting) {
            return; // the hook does it
        }
        down();
    }

    private void down() {
        try {
            Result r = run(script, 120, "down", dir.toString());
            if (r.exit != 0) {
                throw new IllegalStateException("natlab.sh down failed (" + r.exit + "): " + r.output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("natlab.sh down: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path script, long seconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = ("(" + e + ")").getBytes(StandardCharsets.UTF_8);
            }
        }, "natlab-output");
        reader.setDaemon(true);
        reader.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end within " + seconds + " s");
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return new Result(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
    }
}
