package org.p2pchat.cli.internal;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.p2pchat.client.core.BrokenProvider;
import org.p2pchat.client.core.ChatClient;
import org.p2pchat.client.core.ChatClientFactory;
import org.p2pchat.client.core.ClientEvent;
import org.p2pchat.client.core.ClientOptions;
import org.p2pchat.client.core.ConnectionMethod;
import org.p2pchat.core.signaling.ProviderCapability;

/**
 * The connection methods installed, as the command line names them: {@code methods}, the list in
 * {@code --help}, and the one {@code --method ID} (or the mode) picks.
 */
final class Methods {

    /** Providers register as their plug-ins start; a list is taken once one is there, waiting no longer than this. */
    private static final long LIST_WAIT_SECONDS = 5;

    private Methods() {
    }

    /** {@code methods}: one line (event "method") per method, highest ranking first. @return the exit code */
    static int list(ChatClient client, EventPrinter print) throws InterruptedException {
        List<ConnectionMethod> methods = await(client, list -> !list.isEmpty(), LIST_WAIT_SECONDS);
        for (ConnectionMethod m : methods) {
            print.event("method", "  " + m.id() + "  " + m.displayName() + "  (" + capabilities(m) + ")", "id", m.id(),
                    "name", m.displayName(), "capabilities", capabilities(m), "description", m.description());
        }
        List<BrokenProvider> broken = client.brokenProviders();
        broken.forEach(b -> broken(b, print));
        print.event("methods", "* " + methods.size() + " connection method(s) installed; choose one with --method ID."
                + (broken.isEmpty() ? "" : " " + broken.size() + " connection plug-in(s) could not be used (above)."),
                "count", methods.size(), "broken", broken.size());
        return 0;
    }

    /** One provider plug-in that is installed but gives no method: a "broken" event, "! NAME (PLUG-IN) could not start: WHY". */
    static void broken(BrokenProvider b, EventPrinter print) {
        print.event("broken", "! " + b.text(), "bundle", b.bundle(), "version", b.version(), "id",
                b.methodId().isEmpty() ? null : b.methodId(), "name", b.displayName(), "problem",
                b.problem().name().toLowerCase(Locale.ROOT).replace('_', ' '), "reason", b.reason(), "text", b.text());
    }

    /**
     * Says each broken provider plug-in once: those there at the start, and those that break (or
     * are installed broken) while the client runs.
     */
    static final class BrokenNotices {
        private final EventPrinter print;
        private final java.util.Set<BrokenProvider> told = java.util.concurrent.ConcurrentHashMap.newKeySet();

        BrokenNotices(EventPrinter print) {
            this.print = print;
        }

        void show(List<BrokenProvider> now) {
            told.retainAll(now);
            for (BrokenProvider b : now) {
                if (told.add(b)) {
                    broken(b, print);
                }
            }
        }
    }

    /** The usage's list of the methods installed; empty if the client layer is not there. */
    static String usage(ChatClientFactory factory) throws InterruptedException {
        if (factory == null) {
            return "";
        }
        StringBuilder text = new StringBuilder("\nConnection methods installed (--method ID):\n");
        try (ChatClient client = factory.open(ClientOptions.fromProfile())) {
            for (ConnectionMethod m : await(client, list -> !list.isEmpty(), LIST_WAIT_SECONDS)) {
                text.append(String.format("  %-12s %s (%s)%n", m.id(), m.displayName(), capabilities(m)));
            }
        } catch (IllegalStateException e) {
            text.append("  (none: ").append(e.getMessage()).append(")\n");
        }
        return text.toString();
    }

    /**
     * The method {@code id} names, or without one the first that can do {@code needed}; null after
     * saying what is wrong.
     */
    static ConnectionMethod select(ChatClient client, String id, ProviderCapability needed, long waitSeconds,
            EventPrinter print) throws InterruptedException {
        Predicate<ConnectionMethod> wanted = id != null ? m -> m.id().equals(id) : m -> m.can(needed);
        List<ConnectionMethod> methods = await(client, list -> list.stream().anyMatch(wanted), waitSeconds);
        ConnectionMethod method = methods.stream().filter(wanted).findFirst().orElse(null);
        String installed = methods.isEmpty() ? "none is installed"
                : "installed: " + String.join(", ", methods.stream().map(m -> m.id() + " (" + capabilities(m) + ")").toList());
        if (method == null) {
            print.error((id != null ? "No connection method '" + id + "'" : "No connection method that can "
                    + words(needed)) + " is installed (" + installed + "); 'p2pchat cli methods' lists them.");
            return null;
        }
        if (!method.can(needed)) {
            print.error("--method " + id + " cannot " + words(needed) + "; it can " + capabilities(method) + ".");
            return null;
        }
        return method;
    }

    /** The methods once {@code enough} holds for them, or as they are after {@code seconds}. */
    private static List<ConnectionMethod> await(ChatClient client, Predicate<List<ConnectionMethod>> enough,
            long seconds) throws InterruptedException {
        CountDownLatch arrived = new CountDownLatch(1);
        try (AutoCloseable watch = client.subscribe(Runnable::run, e -> {
            if (e instanceof ClientEvent.MethodsChanged changed && enough.test(changed.methods())) {
                arrived.countDown();
            }
        })) {
            if (!enough.test(client.methods())) {
                arrived.await(seconds, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return client.methods();
    }

    static String capabilities(ConnectionMethod m) {
        return String.join(", ", m.capabilities().stream().sorted().map(c -> c.name().toLowerCase(Locale.ROOT)
                .replace('_', ' ')).toList());
    }

    /** What a capability lets a person do, for error messages. */
    private static String words(ProviderCapability capability) {
        return switch (capability) {
            case PASTE -> "exchange descriptions by copy and paste (offer, answer)";
            case PEER_LIST -> "list peers";
            case CONNECT -> "connect to a peer";
            case INCOMING -> "take connection requests (listen)";
            case SERVERLESS -> "find peers without a server";
            case ICE_SERVERS -> "supply STUN/TURN servers";
        };
    }
}
