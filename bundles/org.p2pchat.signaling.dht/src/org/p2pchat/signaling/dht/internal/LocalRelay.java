package org.p2pchat.signaling.dht.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.p2pchat.core.signaling.SignalingException;

/**
 * The relay server installed beside the client, started on this computer for as long as one
 * client runs: a child process on the loopback address only, its output in a log file of the
 * profile, stopped when the client closes its link (and, at the latest, when the client's JVM
 * exits: the relay writes its log through a pipe to us and a shutdown hook stops it).
 * <p>
 * "Installed" means a directory holding the relay product's {@code p2pchat-relay} start script:
 * the one the system property {@value #DIR_PROPERTY} names, else, beside the client's
 * installation ({@code eclipse.home.location}): its {@code relay/} directory, a
 * {@code p2pchat-relay/} directory next to it (the two archives unpacked side by side), or the
 * build's layout ({@code products/org.p2pchat.client/linux/gtk/x86_64} next to
 * {@code products/org.p2pchat.relay.product/linux/gtk/x86_64}).
 */
final class LocalRelay {

    /** Names the relay product's directory, where it is not found beside the client. */
    static final String DIR_PROPERTY = "p2pchat.relay.dir";
    static final String SCRIPT = "p2pchat-relay";
    /** The relay's log line once it accepts connections, and the one when it cannot listen. */
    private static final String STARTED = "started: ";
    private static final String CANNOT_LISTEN = "cannot listen on ";
    /** How long a relay may take to start on a busy machine before we give up on it. */
    private static final long START_SECONDS = 90;

    private static final System.Logger LOG = System.getLogger(LocalRelay.class.getName());

    private final Path script;
    private final Path log;
    private final Path state;
    private final int port;
    private final CompletableFuture<String> started = new CompletableFuture<>();
    /** The last lines of the relay's output, for an error message. */
    private final Deque<String> lastLines = new ArrayDeque<>();
    private Process process;
    private Thread shutdownHook;

    private LocalRelay(Path script, Path profile, int port) {
        this.script = script;
        this.log = profile.resolve("logs").resolve("relay.log");
        this.state = profile.resolve("relay");
        this.port = port;
    }

    /** The relay's start script, if the relay is installed (see the class comment). */
    static Optional<Path> installed() {
        List<Path> candidates = new ArrayList<>();
        String named = System.getProperty(DIR_PROPERTY);
        if (named != null && !named.isBlank()) {
            candidates.add(Path.of(named.strip()));
        }
        home().ifPresent(home -> {
            candidates.add(home.resolve("relay"));
            if (home.getParent() != null) {
                candidates.add(home.getParent().resolve("p2pchat-relay"));
            }
            // products/<client id>/<os>/<ws>/<arch>: the relay product is the sibling of <client id>.
            Path products = ancestor(home, 4);
            if (products != null && home.getNameCount() >= 3) {
                Path platform = home.subpath(home.getNameCount() - 3, home.getNameCount());
                candidates.add(products.resolve("org.p2pchat.relay.product").resolve(platform));
            }
        });
        return candidates.stream().map(dir -> dir.resolve(SCRIPT)).filter(Files::isExecutable).findFirst();
    }

    /** The client's installation directory, if the framework says where it is. */
    private static Optional<Path> home() {
        for (String property : new String[] { "eclipse.home.location", "osgi.install.area" }) {
            String url = System.getProperty(property);
            if (url != null && url.startsWith("file:")) {
                try {
                    return Optional.of(Path.of(java.net.URI.create(url.replace(" ", "%20"))).normalize());
                } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException notAPath) {
                    // look at the next
                }
            }
        }
        return Optional.empty();
    }

    private static Path ancestor(Path p, int levels) {
        Path a = p;
        for (int i = 0; i < levels && a != null; i++) {
            a = a.getParent();
        }
        return a;
    }

    /**
     * Starts the relay with {@code script} on 127.0.0.1:{@code port}, logging to
     * {@code <profile>/logs/relay.log}; the future completes once it listens, with a sentence for a
     * person, or fails with a {@link SignalingException} saying why it did not start.
     */
    static LocalRelay start(Path script, Path profile, int port) {
        LocalRelay relay = new LocalRelay(script, profile, port);
        relay.launch();
        return relay;
    }

    CompletableFuture<String> started() {
        return started;
    }

    /** Whether the relay process runs (it may still be starting). */
    synchronized boolean running() {
        return process != null && process.isAlive();
    }

    Path log() {
        return log;
    }

    private synchronized void launch() {
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(state);
            // It stops with this process: when the client is killed, no shutdown hook stops it.
            ProcessBuilder builder = new ProcessBuilder(script.toString(), "--bind", "127.0.0.1", "--port",
                    Integer.toString(port), "--stop-with-process", Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true);
            // The relay's own state under the profile; the client's JVM options are not the relay's.
            builder.environment().put("P2PCHAT_RELAY_STATE", state.toString());
            builder.environment().remove("P2PCHAT_VMARGS");
            process = builder.start();
        } catch (IOException e) {
            started.completeExceptionally(new SignalingException("Could not start the local relay (" + script + "): "
                    + e.getMessage()));
            return;
        }
        LOG.log(Level.INFO, "started the local relay " + script + " on 127.0.0.1:" + port + " (process "
                + process.pid() + "), logging to " + log);
        Process p = process;
        shutdownHook = new Thread(() -> stop(p), "p2pchat-dht local relay stop");
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IllegalStateException exiting) {
            stop(p);
        }
        Thread.ofVirtual().name("p2pchat-dht local relay log").start(() -> copyLog(p));
        // A relay that never says it started is given up on, and stopped.
        CompletableFuture.delayedExecutor(START_SECONDS, TimeUnit.SECONDS).execute(() -> {
            if (started.completeExceptionally(new SignalingException("The local relay did not start within "
                    + START_SECONDS + " s; its log is " + log + "."))) {
                stop(p);
            }
        });
    }

    /** Copies the relay's output to its log file and watches for the line that says how its start went. */
    private void copyLog(Process p) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND)) {
            for (String line; (line = in.readLine()) != null;) {
                out.write(line);
                out.write(System.lineSeparator());
                out.flush();
                remember(line);
                if (line.contains(STARTED)) {
                    started.complete("A relay runs on this computer at http://localhost:" + port
                            + " for as long as P2P Chat runs; its log is " + log + ".");
                } else if (line.contains(CANNOT_LISTEN)) {
                    String why = line.substring(line.indexOf(CANNOT_LISTEN));
                    started.completeExceptionally(new SignalingException("The local relay could not start: it "
                            + why + (why.contains("in use") ? ". Another program uses port " + port
                                    + ": stop it, or add a rendezvous service with another port in the settings"
                                    : ".") + " Its log is " + log + "."));
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not write the local relay's log " + log, e);
        }
        try {
            int exit = p.waitFor();
            started.completeExceptionally(new SignalingException("The local relay stopped at once (exit code " + exit
                    + "): " + String.join(" ", lastLines()) + " Its log is " + log + "."));
            LOG.log(Level.INFO, "the local relay (process " + p.pid() + ") exited with " + exit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void remember(String line) {
        lastLines.addLast(line.strip());
        while (lastLines.size() > 3) {
            lastLines.removeFirst();
        }
    }

    private synchronized List<String> lastLines() {
        return List.copyOf(lastLines);
    }

    /** Stops the relay (it leaves cleanly on SIGTERM); idempotent. */
    void stop() {
        Process p;
        synchronized (this) {
            p = process;
            if (shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException exiting) {
                    // the hook runs now
                }
                shutdownHook = null;
            }
        }
        if (p != null) {
            stop(p);
        }
    }

    private static void stop(Process p) {
        if (!p.isAlive()) {
            return;
        }
        // Through its handle: Process.destroy() would also close our end of its output, losing its last lines.
        p.toHandle().destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.toHandle().destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
