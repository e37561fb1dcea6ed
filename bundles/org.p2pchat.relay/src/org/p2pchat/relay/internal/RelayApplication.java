package org.p2pchat.relay.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.p2pchat.rendezvous.RendezvousServer;

/**
 * {@code p2pchat-relay}: hosts the rendezvous service until SIGTERM or SIGINT, or until the
 * framework stops the application; then closes the server and returns 0. A JVM shutdown by other
 * means (SIGHUP, say) still closes the server and logs it, from a shutdown hook.
 */
public final class RelayApplication implements IApplication {

    static final int EXIT_CANNOT_START = 1;
    static final int EXIT_BAD_CONFIG = 2;
    /** How long a stop from outside (shutdown hook, framework) waits for the server to close. */
    private static final long STOP_WAIT_SECONDS = 5;

    private final AtomicReference<String> stopCause = new AtomicReference<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile RelayLog log;

    @Override
    public Object start(IApplicationContext context) throws Exception {
        String[] args = (String[]) context.getArguments().getOrDefault(IApplicationContext.APPLICATION_ARGS, new String[0]);
        context.applicationRunning();
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        RelayConfig.Command command;
        try {
            command = RelayConfig.parse(args);
        } catch (ConfigException e) {
            System.err.println("p2pchat-relay: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        }
        if (!(command instanceof RelayConfig.Run run)) {
            out.print(RelayConfig.usage());
            return EXIT_OK;
        }
        log = new RelayLog(out);
        log.captureJavaLogging();
        List<String> signals = StopSignals.install(this::onSignal);
        Thread hook = new Thread(() -> stopAndWait("the JVM is shutting down"), "relay-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return serve(run, signals);
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The hook is what stopped us; the JVM is already on its way out.
            }
        }
    }

    private Object serve(RelayConfig.Run run, List<String> signals) throws InterruptedException {
        log.info("config: " + (run.configFile() == null ? "no file, defaults and options" : run.configFile()));
        log.info("limits: " + LimitKeys.describe(run.limits()));
        TurnKeys.Turn turn = run.turn();
        CoturnSupervisor coturn = null;
        if (turn != null) {
            // The service's toString leaves the secret out; nothing here prints it.
            log.info("TURN: credentials for " + String.join(", ", turn.service().urls()) + " valid "
                    + turn.service().ttlSeconds() + " s, on GET /v1/turn to authenticated clients"
                    + (turn.coturn() == null ? " (coturn runs elsewhere with the same secret)" : ""));
            if (turn.coturn() != null) {
                coturn = new CoturnSupervisor(turn.coturn(), log);
                try {
                    coturn.start();
                } catch (IOException | RuntimeException e) {
                    log.error("TURN: " + e.getMessage());
                    coturn.close();
                    return EXIT_CANNOT_START;
                }
            }
        }
        RendezvousServer server;
        try {
            server = RendezvousServer.start(run.address(), run.limits(), System::currentTimeMillis, run.tls(),
                    turn == null ? null : turn.service());
        } catch (IOException e) {
            log.error("cannot listen on " + text(run.address()) + ": " + e.getMessage());
            if (coturn != null) {
                coturn.close();
            }
            return EXIT_CANNOT_START;
        }
        try {
            String protocol = run.tls() == null ? "HTTP" : "HTTPS with " + run.tls().keyStore();
            log.info("started: rendezvous service listening on " + text(server.address()) + " (" + protocol + "; "
                    + sinceJvmStart() + " after the JVM started; stops on "
                    + (signals.isEmpty() ? "JVM shutdown" : String.join(" or ", signals))
                    + (run.stopWithProcess() > 0 ? " or the end of process " + run.stopWithProcess() : "") + ")");
            if (run.stopWithProcess() > 0) {
                stopWith(run.stopWithProcess());
            }
            stopRequested.await();
            log.info("stopping (" + stopCause.get() + ")");
        } finally {
            server.close();
            if (coturn != null) {
                coturn.close();
            }
        }
        log.info("stopped");
        return EXIT_OK;
    }

    /** Stops when process {@code pid} ends, or at once if it is gone already. */
    private void stopWith(long pid) {
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresentOrElse(
                process -> process.onExit().thenRun(() -> requestStop("process " + pid + " ended")),
                () -> requestStop("process " + pid + " is not running"));
    }

    /** Any later signal means the stop is taking too long for someone: exit at once. */
    private void onSignal(String signal) {
        if (!requestStop(signal)) {
            log.warn(signal + " again while stopping: exiting at once");
            Runtime.getRuntime().halt(EXIT_CANNOT_START);
        }
    }

    private boolean requestStop(String cause) {
        if (!stopCause.compareAndSet(null, cause)) {
            return false;
        }
        stopRequested.countDown();
        return true;
    }

    private void stopAndWait(String cause) {
        requestStop(cause);
        try {
            stopped.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        stopAndWait("the application is being stopped");
    }

    private static String text(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static String sinceJvmStart() {
        return ProcessHandle.current().info().startInstant()
                .map(start -> String.format(Locale.ROOT, "%.2f s", Duration.between(start, Instant.now()).toMillis() / 1000.0))
                .orElse("?");
    }
}
