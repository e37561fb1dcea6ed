package org.p2pchat.testing.provider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.IdentityProof;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.ConnectionProvider;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.OutboundExchange;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.PeerAnswer;
import org.p2pchat.core.signaling.ProviderCapability;
import org.p2pchat.core.signaling.ProviderContext;
import org.p2pchat.core.signaling.ProviderLink;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.core.signaling.ProviderStatus.State;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * For tests: clients meet in a folder and leave offers and answers there as files, so two processes
 * connect without a server. Written against the provider SPI alone, to show it plugs into every client.
 */
@Component(service = ConnectionProvider.class)
public final class FolderMailboxProvider implements ConnectionProvider {

    public static final String ID = "test-folder";
    /** The folder when the settings name none ({@code -Dp2pchat.testing.folder=/tmp/mailbox}), else DEFAULT_FOLDER. */
    public static final String PROPERTY = "p2pchat.testing.folder";
    public static final String DEFAULT_FOLDER = System.getProperty("java.io.tmpdir") + "/p2pchat-test-folder";

    /** The settings section {@code test-folder}: {@code {"folder": "/tmp/mailbox"}}; none: {@link #PROPERTY}. */
    public record Settings(String folder) {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Test folder";
    }

    @Override
    public String description() {
        return "For tests only: clients using the same folder (settings section " + ID + ", the system property "
                + PROPERTY + " or " + DEFAULT_FOLDER + ") see each other and leave offers and answers there as files.";
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        return EnumSet.of(ProviderCapability.PEER_LIST, ProviderCapability.CONNECT, ProviderCapability.INCOMING);
    }

    @Override
    public ProviderLink start(ProviderContext context) {
        String folder = context.settings().read(Settings.class, () -> new Settings(null)).folder();
        return new Link(Path.of(folder == null || folder.isBlank() ? System.getProperty(PROPERTY, DEFAULT_FOLDER) : folder),
                context);
    }

    /**
     * One client: {@code <folder>/<our key>/} is its mailbox, polled for offer-, answer- and reject- files (each
     * moved in whole, so no reader sees half a file); a {@code peer.properties} there lists it.
     */
    private static final class Link implements ProviderLink {

        private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{16,200}");
        private static final String REGISTRATION = "peer.properties";

        private final Path folder;
        private final ProviderContext context;
        private final String ourId;
        private final ConcurrentHashMap<String, CompletableFuture<PeerAnswer>> pending = new ConcurrentHashMap<>();
        private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("test-folder mailbox").daemon().factory());
        private volatile ProviderStatus status;

        Link(Path folder, ProviderContext context) {
            this.folder = folder;
            this.context = context;
            this.ourId = context.self().key();
            status = new ProviderStatus(folder.toString(), State.CONNECTING, "", "");
            poller.scheduleWithFixedDelay(this::poll, 0, 50, TimeUnit.MILLISECONDS);
        }

        @Override
        public List<ProviderStatus> status() {
            return List.of(status);
        }

        @Override
        public CompletableFuture<List<PeerAddress>> peers() {
            List<PeerAddress> peers = new ArrayList<>();
            try (var dirs = Files.newDirectoryStream(folder)) {
                for (Path dir : dirs) {
                    String id = dir.getFileName().toString();
                    Path registration = dir.resolve(REGISTRATION);
                    if (!id.equals(ourId) && KEY.matcher(id).matches() && Files.isRegularFile(registration)) {
                        Instant seen = Files.getLastModifiedTime(registration).toInstant();
                        peers.add(address(id, read(registration).getProperty("name"), seen));
                    }
                }
            } catch (IOException | RuntimeException e) {
                return CompletableFuture.failedFuture(new SignalingException("Cannot list " + folder + ": " + e, e));
            }
            return CompletableFuture.completedFuture(peers);
        }

        @Override
        public Optional<PeerAddress> address(String text) {
            String id = text == null ? "" : text.strip(); // a key that has been here, listed or not
            return KEY.matcher(id).matches() && Files.isDirectory(folder.resolve(id)) ? Optional.of(address(id, "", null))
                    : Optional.empty();
        }

        @Override
        public OutboundExchange send(PeerAddress to, SignedDescription offer, boolean reconnect) {
            Path mailbox = folder.resolve(to.id());
            if (!KEY.matcher(to.id()).matches() || !Files.isDirectory(mailbox)) {
                return OutboundExchange.failed(new SignalingException(to.shown() + " has never been in " + folder + "."));
            }
            String exchange = UUID.randomUUID().toString();
            CompletableFuture<PeerAnswer> answer = new CompletableFuture<>();
            pending.put(exchange, answer);
            Properties message = message(exchange, offer, null);
            message.setProperty("reconnect", String.valueOf(reconnect));
            try {
                write(mailbox, "offer-" + exchange, message); // taken within a poll: too soon to withdraw
                answer.whenComplete((a, e) -> pending.remove(exchange));
                return new Exchange(answer);
            } catch (IOException e) {
                pending.remove(exchange);
                return OutboundExchange.failed(new SignalingException("Cannot write to " + mailbox + ": " + e, e));
            }
        }

        private record Exchange(CompletableFuture<PeerAnswer> answer) implements OutboundExchange {
            @Override
            public void candidates(Consumer<IceCandidate> sink) { // descriptions carry their candidates
            }
        }

        @Override
        public void close() {
            if (status.state() == State.CLOSED) {
                return;
            }
            poller.shutdownNow();
            poller.close(); // waits, so that no poll registers us again
            folder.resolve(ourId).resolve(REGISTRATION).toFile().delete();
            pending.values().forEach(a -> a.completeExceptionally(new SignalingException("The connection method stopped.")));
            report(State.CLOSED, "");
        }

        /** Registers (again, if someone emptied the folder) and takes what arrived in our mailbox. */
        private void poll() {
            Path mailbox = folder.resolve(ourId);
            try {
                Files.createDirectories(mailbox); // reachable; listed with a registration
                if (context.listed() && !Files.isRegularFile(mailbox.resolve(REGISTRATION))) {
                    write(mailbox, "peer", message("", null, null));
                }
                if (status.state() != State.ONLINE) {
                    report(State.ONLINE, "");
                }
                try (var files = Files.newDirectoryStream(mailbox, "{offer,answer,reject}-*.properties")) {
                    for (Path file : files) {
                        take(file, file.getFileName().toString().split("-", 2)[0]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (status.state() != State.UNREACHABLE) {
                    report(State.UNREACHABLE, "Cannot use " + folder + ": " + e);
                }
            }
        }

        private void take(Path file, String kind) throws IOException {
            Properties m = read(file);
            Files.deleteIfExists(file);
            // A malformed file throws: poll() reports it, and it is gone by the next poll.
            PeerAddress from = address(m.getProperty("from"), m.getProperty("name"), Instant.now());
            CompletableFuture<PeerAnswer> answer = pending.getOrDefault(m.getProperty("exchange", ""), new CompletableFuture<>());
            switch (kind) {
                case "offer" -> context.callback().offered(new Offer(this, from, m.getProperty("exchange"), description(m),
                        Boolean.parseBoolean(m.getProperty("reconnect"))));
                case "answer" -> answer.complete(new PeerAnswer(from, description(m)));
                default -> answer.completeExceptionally(new SignalingException(from.shown() + " declined"
                        + (m.containsKey("reason") ? ": " + m.getProperty("reason") : ".")));
            }
        }

        /** A peer's offer; the answer or refusal goes to its mailbox. */
        private record Offer(Link link, PeerAddress from, String exchange, SignedDescription offer,
                boolean reconnect) implements InboundOffer {

            @Override
            public void candidates(Consumer<IceCandidate> sink) {
            }

            @Override
            public CompletableFuture<Void> answer(SignedDescription answer) {
                return link.reply(from, "answer-" + exchange, link.message(exchange, answer, null));
            }

            @Override
            public void reject(String reason) {
                link.reply(from, "reject-" + exchange, link.message(exchange, null, reason));
            }
        }

        private CompletableFuture<Void> reply(PeerAddress to, String name, Properties message) {
            try {
                write(folder.resolve(to.id()), name, message);
                return CompletableFuture.completedFuture(null);
            } catch (IOException e) {
                return CompletableFuture.failedFuture(new SignalingException("Cannot answer " + to.shown() + ": " + e, e));
            }
        }

        private PeerAddress address(String id, String name, Instant lastSeen) {
            return new PeerAddress(ID, id, name, folder.toString(), Optional.of(new PublicIdentity(id)), lastSeen);
        }

        /** Who we are and, unless {@code null}, a description with its proof and a reason to decline. */
        private Properties message(String exchange, SignedDescription description, String reason) {
            Properties m = new Properties();
            m.setProperty("from", ourId);
            m.setProperty("name", context.displayName());
            m.setProperty("exchange", exchange);
            if (reason != null) {
                m.setProperty("reason", reason);
            }
            if (description != null) {
                m.setProperty("type", description.description().type().name());
                m.setProperty("sdp", description.description().sdp());
                description.identityProof().ifPresent(p -> m.setProperty("proof",
                        String.join(" ", p.identity().key(), p.nonce(), p.signature())));
            }
            return m;
        }

        private static SignedDescription description(Properties m) {
            String[] p = m.getProperty("proof", "").split(" ");
            IdentityProof proof = p.length == 3 ? new IdentityProof(new PublicIdentity(p[0]), p[1], p[2]) : null;
            return new SignedDescription(new SessionDescription(SessionDescription.Type.valueOf(m.getProperty("type")),
                    m.getProperty("sdp")), proof);
        }

        private void report(State state, String detail) {
            status = new ProviderStatus(folder.toString(), state, state == State.ONLINE ? ourId : "", detail);
            context.callback().statusChanged(List.of(status));
        }

        private static Path write(Path dir, String name, Properties content) throws IOException {
            Path temp = dir.resolve("." + name + ".tmp");
            try (var out = Files.newBufferedWriter(temp)) {
                content.store(out, null);
            }
            return Files.move(temp, dir.resolve(name + ".properties"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }

        private static Properties read(Path file) throws IOException {
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(file)) {
                p.load(in);
            }
            return p;
        }
    }
}
