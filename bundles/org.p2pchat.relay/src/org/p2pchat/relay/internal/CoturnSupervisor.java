package org.p2pchat.relay.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs coturn for the relay ({@code turn = supervise}): writes its config from the template of
 * stunturn/ (with the relay's secret; mode 600 in a directory of mode 700), starts
 * {@code turnserver -c}, starts it again after a pause that doubles up to 30 s whenever it
 * exits (back to 1 s once it ran for a minute), and stops it with the relay. A coturn left
 * running by a relay that was killed (its pid file names it) is stopped first.
 */
final class CoturnSupervisor implements AutoCloseable {

    static final String TEMPLATE = "turnserver.conf.template";
    private static final Pattern PLACEHOLDER = Pattern.compile("@([A-Z_]+)@");
    private static final long FIRST_PAUSE_MILLIS = 1000;
    private static final long MAX_PAUSE_MILLIS = 30_000;
    /** A run this long counts as healthy: the next failure starts again after the first pause. */
    private static final long HEALTHY_RUN_MILLIS = 60_000;
    private static final long STOP_WAIT_SECONDS = 5;

    private final CoturnSetup setup;
    private final RelayLog log;
    private final Path config;
    private final Path pidFile;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("coturn-supervisor").factory());
    private Path program;
    private Process process;
    private long startedAt;
    private long pauseMillis = FIRST_PAUSE_MILLIS;
    private boolean stopping;

    CoturnSupervisor(CoturnSetup setup, RelayLog log) {
        this.setup = setup;
        this.log = log;
        this.config = setup.workDir().resolve("turnserver.conf");
        this.pidFile = setup.workDir().resolve("turnserver.pid");
    }

    /**
     * Writes the config and starts coturn.
     *
     * @throws IOException if coturn is not installed, or the config cannot be written, or it cannot be started
     */
    synchronized void start() throws IOException {
        program = program(setup.binary()).orElseThrow(() -> new IOException("coturn is not installed: no '"
                + setup.binary() + "' on PATH or in /usr/bin or /usr/sbin; install Debian's coturn package (apt-get"
                + " install coturn) or set " + TurnKeys.BINARY));
        Files.createDirectories(setup.workDir());
        Files.setPosixFilePermissions(setup.workDir(), PosixFilePermissions.fromString("rwx------"));
        stopLeftover();
        Path written = setup.workDir().resolve("turnserver.conf.tmp");
        Files.deleteIfExists(written);
        Files.createFile(written, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(written, render(template(), values(setup), setup.allowedPeerIps()), StandardCharsets.UTF_8);
        Files.move(written, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.info("TURN: " + setup + "; config " + config + " (from stunturn/" + TEMPLATE + ")");
        launch();
    }

    private void launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(program.toString(), "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(setup.workDir().resolve("turnserver.out").toFile()));
        Process started = builder.start();
        process = started;
        startedAt = System.nanoTime();
        log.info("TURN: coturn started (pid " + started.pid() + ", " + program + " -c " + config + "; its log: "
                + setup.workDir().resolve("turnserver.log") + ")");
        started.onExit().thenAccept(this::exited);
    }

    private synchronized void exited(Process ended) {
        if (stopping || ended != process) {
            return;
        }
        long ranMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
        if (ranMillis >= HEALTHY_RUN_MILLIS) {
            pauseMillis = FIRST_PAUSE_MILLIS;
        }
        log.warn("TURN: coturn (pid " + ended.pid() + ") exited with " + ended.exitValue() + " after " + ranMillis
                + " ms; starting it again in " + pauseMillis + " ms (see " + setup.workDir().resolve("turnserver.log")
                + ")");
        restarts.schedule(this::relaunch, pauseMillis, TimeUnit.MILLISECONDS);
        pauseMillis = Math.min(MAX_PAUSE_MILLIS, pauseMillis * 2);
    }

    private synchronized void relaunch() {
        if (stopping) {
            return;
        }
        try {
            launch();
        } catch (IOException | RuntimeException e) {
            log.error("TURN: cannot start coturn again: " + e.getMessage() + "; trying again in " + pauseMillis
                    + " ms");
            restarts.schedule(this::relaunch, pauseMillis, TimeUnit.MILLISECONDS);
            pauseMillis = Math.min(MAX_PAUSE_MILLIS, pauseMillis * 2);
        }
    }

    /** Stops coturn (SIGTERM, then SIGKILL after 5 s) and restarts no more. */
    @Override
    public void close() {
        Process running;
        synchronized (this) {
            stopping = true;
            running = process;
        }
        restarts.shutdownNow();
        if (running == null) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("TURN: coturn (pid " + running.pid() + ") did not stop within " + STOP_WAIT_SECONDS
                        + " s of SIGTERM; killing it");
                running.destroyForcibly().waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        log.info("TURN: coturn (pid " + running.pid() + ") stopped");
    }

    /** A coturn of an earlier run of this relay that still runs (the relay was killed): stopped, it holds the port. */
    private void stopLeftover() {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return;
            }
            String text = Files.readString(pidFile).strip();
            if (!text.matches("\\d{1,10}")) {
                return;
            }
            Optional<ProcessHandle> old = ProcessHandle.of(Long.parseLong(text));
            if (old.isPresent() && old.get().isAlive() && old.get().info().command()
                    .map(c -> c.endsWith("/turnserver") || c.equals(program.toString())).orElse(false)) {
                log.warn("TURN: stopping coturn pid " + text + ", left running by an earlier run of this relay");
                old.get().destroy();
                old.get().onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            log.warn("TURN: could not check coturn's old pid file " + pidFile + ": " + e);
        }
    }

    /** The template's placeholders and their values (an empty one leaves its line out). */
    static Map<String, String> values(CoturnSetup setup) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("LISTEN_IP", setup.listenIp());
        values.put("PORT", Integer.toString(setup.port()));
        values.put("EXTERNAL_IP", setup.externalIp());
        values.put("RELAY_IP", setup.listenIp());
        values.put("MIN_PORT", Integer.toString(setup.minPort()));
        values.put("MAX_PORT", Integer.toString(setup.maxPort()));
        values.put("REALM", setup.realm());
        values.put("SECRET", setup.secret());
        values.put("USERDB", "");
        values.put("PID_FILE", setup.workDir().resolve("turnserver.pid").toString());
        values.put("LOG_FILE", setup.workDir().resolve("turnserver.log").toString());
        return values;
    }

    /**
     * The config: the template with each {@code @NAME@} replaced; a line whose value is empty is
     * left out, a line of {@code @ALLOWED_PEER_IP@} is written once per range; comments as they are.
     * The same rules as stunturn/start-coturn.sh.
     */
    static String render(String template, Map<String, String> values, List<String> allowedPeerIps) {
        StringBuilder out = new StringBuilder();
        lines: for (String line : template.split("\n", -1)) {
            if (line.startsWith("#")) {
                out.append(line).append('\n');
                continue;
            }
            if (line.contains("@ALLOWED_PEER_IP@")) {
                for (String range : allowedPeerIps) {
                    out.append(line.replace("@ALLOWED_PEER_IP@", range)).append('\n');
                }
                continue;
            }
            List<String> names = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(line);
            while (m.find()) {
                names.add(m.group(1));
            }
            for (String name : names) {
                String value = values.get(name);
                if (value == null) {
                    throw new IllegalStateException("the template has a placeholder the relay does not know: @"
                            + name + "@");
                }
                if (value.isEmpty()) {
                    continue lines;
                }
                line = line.replace("@" + name + "@", value);
            }
            out.append(line).append('\n');
        }
        // split keeps a last empty element after the final newline: do not add a line for it.
        return out.substring(0, out.length() - 1);
    }

    static String template() throws IOException {
        try (InputStream in = CoturnSupervisor.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IOException("the relay was built without stunturn/" + TEMPLATE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The program: {@code binary} if it is a path, else the first executable of that name on PATH, /usr/bin or /usr/sbin. */
    private static Optional<Path> program(String binary) {
        if (binary.contains("/")) {
            Path path = Path.of(binary);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        List<String> dirs = new ArrayList<>();
        String pathVariable = System.getenv("PATH");
        if (pathVariable != null) {
            dirs.addAll(List.of(pathVariable.split(":")));
        }
        dirs.addAll(List.of("/usr/bin", "/usr/sbin"));
        for (String dir : dirs) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, binary);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
