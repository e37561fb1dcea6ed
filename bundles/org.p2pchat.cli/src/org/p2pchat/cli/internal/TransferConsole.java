package org.p2pchat.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.p2pchat.client.core.Conversation;
import org.p2pchat.client.core.ConversationState;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.core.files.TransferStatus.Direction;
import org.p2pchat.core.files.TransferStatus.State;

/**
 * The command line's side of file transfer: runs {@code /send}, {@code /accept}, {@code /decline}
 * and {@code /transfers}, and prints offers, sparse progress and results (the client layer's
 * {@link org.p2pchat.client.core.ClientEvent.TransferChanged}). Transfers live in the profile (the
 * service keeps them), so a client started again on the same profile resumes them once the peer
 * is back; the client layer attaches its sessions to the service.
 */
final class TransferConsole implements AutoCloseable {

    /** Short enough to type, long enough to tell transfers apart. */
    private static final int SHORT_ID = 8;
    /** A progress line every tenth of a transfer, or after this long if it moved less. */
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final FileTransferService service;
    private final EventPrinter print;
    /** Where every offer is accepted without asking ({@code --accept-files}); null: the user decides. */
    private final Path acceptInto;
    /** Offering hashes the files and accepting waits for the engine: off the input and engine threads. */
    private final ExecutorService actions = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "p2pchat-cli-files");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Track> tracks = new ConcurrentHashMap<>();

    /** What the console last said about one transfer; touched on the service's engine thread. */
    private static final class Track {
        State state;
        /** Tenths of the transfer at the last progress line; -1 before the first. */
        int tenth = -1;
        long printedNanos = System.nanoTime();
        long printedBytes = -1;
        /** Came back from an interruption (or a restart): the first verified count is reported. */
        boolean resuming;
        /** The count when it came back: the last one saved, which Bt's check of the partial file then passes. */
        long resumingFrom;
        /** Where it is received to, if accepted by this process. */
        volatile Path directory;
    }

    TransferConsole(FileTransferService service, EventPrinter print, Path acceptInto) {
        this.service = service;
        this.print = print;
        this.acceptInto = acceptInto;
    }

    /**
     * Takes over what the profile left unfinished; call before the client's events are delivered,
     * so the first report of an old transfer is not mistaken for news.
     */
    void start() {
        List<TransferStatus> earlier = service.transfers();
        for (TransferStatus s : earlier) {
            Track track = new Track();
            track.state = s.state();
            track.tenth = tenth(s);
            track.directory = acceptInto;
            tracks.put(s.id(), track);
            if (s.state() == State.INTERRUPTED) {
                // The count is the one last saved; after a crash the partial file holds more, checked on resuming.
                print.event("file-unfinished", "* Unfinished: " + describe(s) + (s.doneBytes() > 0 ? ", at least "
                        + percent(s) + " done" : "") + "; it continues once " + s.peerName() + " is connected.", fields(s));
            } else if (s.state() == State.OFFERED) {
                offered(s);
            }
        }
    }

    // ---- commands ----------------------------------------------------------------------------

    /** {@code /send PATH...}: offers the files once they are all there. */
    void send(Conversation conversation, List<String> paths) {
        if (paths.isEmpty()) {
            print.error("Say which files: /send PATH [PATH...] (quote a path with spaces: \"my file.pdf\").");
            return;
        }
        List<Path> files = new ArrayList<>();
        boolean missing = false;
        for (String text : paths) {
            Path p = expand(text);
            if (p == null) {
                print.error("'" + text + "' is not a valid path; nothing was sent.");
                missing = true;
            } else if (!Files.isRegularFile(p)) {
                print.error((Files.isDirectory(p) ? p + " is a folder; send the files in it" : "No file at " + p)
                        + "; nothing was sent.");
                missing = true;
            } else if (!Files.isReadable(p)) {
                print.error("Cannot read " + p + " (permissions); nothing was sent.");
                missing = true;
            }
            files.add(p);
        }
        if (missing) {
            return;
        }
        if (conversation.state() != ConversationState.CONNECTED) {
            print.error("Not sent: not connected (" + conversation.connectionState().name().toLowerCase() + ").");
            return;
        }
        long total = 0;
        for (Path p : files) {
            try {
                total += Files.size(p);
            } catch (IOException e) {
                // offer() names the file it cannot read
            }
        }
        print.hint("Preparing " + (files.size() == 1 ? files.get(0).getFileName() : files.size() + " files") + " ("
                + bytes(total) + ") to offer...");
        // The client's transfer events report the offer and what follows.
        actions.execute(() -> conversation.sendFiles(files).exceptionally(error -> {
            print.error("Could not offer the files: " + Futures.message(error));
            return null;
        }));
    }

    /** {@code /accept [ID] [DIR]}: the ID may be left out when one offer waits. */
    void accept(List<String> args) {
        List<String> rest = new ArrayList<>(args);
        TransferStatus offer = pickOffer(rest, "accept");
        if (offer == null) {
            return;
        }
        if (rest.size() > 1) {
            print.error("/accept takes an id and one folder; quote a folder with spaces.");
            return;
        }
        Path dir = !rest.isEmpty() ? expand(rest.get(0))
                : acceptInto != null ? acceptInto : FileTransferService.defaultDownloadDirectory();
        if (dir == null) {
            print.error("'" + rest.get(0) + "' is not a valid folder.");
            return;
        }
        actions.execute(() -> accept(offer.id(), dir, true));
    }

    /** @param announce whether to say so (not when the offer line said it already) */
    private void accept(String id, Path dir, boolean announce) {
        Track track = tracks.get(id);
        if (track != null) {
            track.directory = dir;
        }
        // Said first: the service reports the transfer starting before accept() returns.
        print.event("file-accepted", announce ? "* Accepting into " + dir : null, "id", id, "directory", dir.toString());
        try {
            service.accept(id, dir);
        } catch (IOException | RuntimeException e) {
            print.error("Could not accept into " + dir + ": " + e.getMessage());
        }
    }

    /** {@code /decline [ID]}. */
    void decline(List<String> args) {
        List<String> rest = new ArrayList<>(args);
        TransferStatus offer = pickOffer(rest, "decline");
        if (offer == null) {
            return;
        }
        if (!rest.isEmpty()) {
            print.error("No waiting offer has the id '" + rest.get(0) + "'; /transfers lists them.");
            return;
        }
        actions.execute(() -> {
            try {
                service.decline(offer.id());
            } catch (RuntimeException e) {
                print.error("Could not decline: " + e.getMessage());
            }
        });
    }

    /** {@code /transfers}: every transfer of this profile, newest first. */
    void list() {
        List<TransferStatus> all = service.transfers();
        for (TransferStatus s : all) {
            String speed = s.state() == State.RUNNING && s.bytesPerSecond() > 0 ? ", " + speed(s.bytesPerSecond()) : "";
            String path = s.path().isEmpty() ? "" : ", " + s.path();
            String problem = s.problem().isEmpty() ? "" : ": " + s.problem();
            print.event("transfer", "  [" + shortId(s.id()) + "] " + (s.direction() == Direction.SENDING ? "to " : "from ")
                    + s.peerName() + "  " + s.name() + "  " + bytes(s.totalBytes()) + "  " + state(s.state()) + " "
                    + percent(s) + speed + path + problem, fields(s));
        }
        print.event("transfers", "* " + all.size() + " transfer(s)" + (all.isEmpty() ? "; /send PATH offers a file." : "."),
                "count", all.size());
    }

    /**
     * The offer an id (or its start) names, taking the id from {@code args}; without one, the only
     * offer waiting. Says what is wrong and returns null otherwise.
     */
    private TransferStatus pickOffer(List<String> args, String verb) {
        List<TransferStatus> offers = service.transfers().stream().filter(s -> s.state() == State.OFFERED).toList();
        if (!args.isEmpty()) {
            String word = args.get(0).toLowerCase(Locale.ROOT);
            List<TransferStatus> named = offers.stream().filter(s -> s.id().toLowerCase(Locale.ROOT).startsWith(word)).toList();
            if (named.size() == 1) {
                args.remove(0);
                return named.get(0);
            }
            if (named.size() > 1) {
                print.error("'" + args.get(0) + "' starts the id of " + named.size() + " offers; type more of it.");
                return null;
            }
        }
        if (offers.size() == 1) {
            return offers.get(0); // what was given is the folder (accept) or a mistake (decline says so)
        }
        if (offers.isEmpty()) {
            print.error("No file offer is waiting" + (args.isEmpty() ? "" : " with id '" + args.get(0) + "'")
                    + "; /transfers lists the transfers.");
        } else {
            print.error(offers.size() + " offers are waiting: say which, /" + verb + " ID ("
                    + String.join(", ", offers.stream().map(s -> shortId(s.id()) + " " + s.name()).toList()) + ").");
        }
        return null;
    }

    // ---- what the service reports ------------------------------------------------------------

    /** A transfer of this profile changed; on the client's event thread. */
    void transferChanged(TransferStatus s) {
        Track track = tracks.computeIfAbsent(s.id(), id -> new Track());
        State before = track.state;
        track.state = s.state();
        if (before != s.state()) {
            stateChanged(s, before, track);
        }
        if (s.state() != State.RUNNING) {
            return;
        }
        if (track.resuming) {
            // After a restart the verified count is only known once Bt has checked the partial file.
            if (s.doneBytes() > track.resumingFrom) {
                track.resuming = false;
                track.tenth = tenth(s);
                track.printedNanos = System.nanoTime();
                track.printedBytes = s.doneBytes();
                print.event("file-resumed", "* " + describe(s) + " resumed at " + bytes(s.doneBytes()) + " of "
                        + bytes(s.totalBytes()) + " (" + percent(s) + "); nothing before that is sent again.", fields(s));
            }
            return;
        }
        long now = System.nanoTime();
        int tenth = tenth(s);
        if (s.doneBytes() == 0) {
            return; // "0 B of ..." says nothing the start line did not
        }
        if (tenth > track.tenth
                || (now - track.printedNanos >= PROGRESS_EVERY_NANOS && s.doneBytes() != track.printedBytes)) {
            track.tenth = Math.max(track.tenth, tenth);
            track.printedNanos = now;
            track.printedBytes = s.doneBytes();
            String speed = s.bytesPerSecond() > 0 ? " at " + speed(s.bytesPerSecond()) : "";
            print.event("file-progress", "  " + s.name() + ": " + bytes(s.doneBytes()) + " of " + bytes(s.totalBytes())
                    + " (" + percent(s) + ")" + speed + (s.path().isEmpty() ? "" : " via " + s.path()), fields(s));
        }
    }

    private void stateChanged(TransferStatus s, State before, Track track) {
        String what = describe(s);
        switch (s.state()) {
            case OFFERED -> offered(s);
            case WAITING_FOR_PEER -> print.event("file-offered", "* Offered " + s.name() + " (" + bytes(s.totalBytes())
                    + ") to " + s.peerName() + " [" + shortId(s.id()) + "]; waiting for them to accept.", fields(s));
            case RUNNING -> {
                if (before == State.INTERRUPTED || before == State.PAUSED) {
                    track.resuming = true;
                    track.resumingFrom = s.doneBytes();
                } else if (before != State.VERIFYING) { // the next file of the same offer goes on quietly
                    print.event("file-started", "* " + (s.direction() == Direction.SENDING ? "Sending " : "Receiving ")
                            + what + ".", fields(s));
                }
            }
            case INTERRUPTED -> print.event("file-interrupted", "* " + what + " interrupted at " + percent(s)
                    + "; it continues once " + s.peerName() + " is connected again.", fields(s));
            case PAUSED -> print.event("file-paused", "* " + what + " paused at " + percent(s) + ".", fields(s));
            case VERIFYING -> print.event("file-verifying", "* Checking " + s.name() + "...", fields(s));
            case DONE -> done(s, track);
            case DECLINED -> print.event("file-declined", "* " + (s.direction() == Direction.SENDING
                    ? s.peerName() + " declined " + s.name() : "Declined " + what) + ".", fields(s));
            case CANCELLED -> print.event("file-cancelled", "* " + what + " was cancelled.", fields(s));
            case FAILED -> print.event("file-failed", "! " + what + " failed: " + s.problem(), fields(s));
        }
    }

    private void offered(TransferStatus s) {
        String id = shortId(s.id());
        int count = service.files(s.id()).size();
        String files = count > 1 ? ", " + count + " files" : "";
        String ask = acceptInto != null ? " Accepting into " + acceptInto + "."
                : " /accept " + id + " [DIR] or /decline " + id + "?";
        print.event("file-offer", "* " + s.peerName() + " offers " + s.name() + " (" + bytes(s.totalBytes()) + files + ") ["
                + id + "]." + ask, fields(s));
        if (acceptInto != null) {
            actions.execute(() -> accept(s.id(), acceptInto, false));
        }
    }

    private void done(TransferStatus s, Track track) {
        if (s.direction() == Direction.RECEIVING) {
            Path dir = track.directory;
            print.event("file-received", "* Received " + s.name() + " (" + bytes(s.totalBytes()) + ") from " + s.peerName()
                    + (dir == null ? "" : " into " + dir) + "; every piece hash-checked.",
                    append(fields(s), "directory", dir == null ? null : dir.toString()));
        } else {
            print.event("file-sent", "* Sent " + s.name() + " (" + bytes(s.totalBytes()) + ") to " + s.peerName()
                    + "; they checked every piece.", fields(s));
        }
    }

    @Override
    public void close() {
        actions.shutdownNow();
    }

    // ---- formatting --------------------------------------------------------------------------

    private static String describe(TransferStatus s) {
        return s.name() + (s.direction() == Direction.SENDING ? " to " : " from ") + s.peerName();
    }

    private static Object[] fields(TransferStatus s) {
        return new Object[] { "id", s.id(), "name", s.name(), "peer", s.peerName(),
                "direction", s.direction().name().toLowerCase(Locale.ROOT), "state", state(s.state()),
                "bytes", s.doneBytes(), "total", s.totalBytes(), "percent", Math.floor(s.fraction() * 1000) / 10,
                "bytesPerSecond", Math.round(s.bytesPerSecond()), "path", s.path().isEmpty() ? null : s.path(),
                "problem", s.problem().isEmpty() ? null : s.problem() };
    }

    private static Object[] append(Object[] fields, Object... more) {
        Object[] all = new Object[fields.length + more.length];
        System.arraycopy(fields, 0, all, 0, fields.length);
        System.arraycopy(more, 0, all, fields.length, more.length);
        return all;
    }

    private static String state(State s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static int tenth(TransferStatus s) {
        return (int) Math.floor(s.fraction() * 10);
    }

    static String shortId(String id) {
        return id.length() <= SHORT_ID ? id : id.substring(0, SHORT_ID);
    }

    private static String percent(TransferStatus s) {
        return String.format(Locale.ROOT, "%.0f%%", Math.floor(s.fraction() * 100));
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = { "KiB", "MiB", "GiB", "TiB" };
        double v = n;
        int unit = -1;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
    }

    private static String speed(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f MB/s", bytesPerSecond / 1e6);
    }

    /**
     * A path as typed: {@code ~} is the home folder; relative paths are from the working directory.
     * Null if it cannot be a path.
     */
    static Path expand(String text) {
        try {
            String home = System.getProperty("user.home");
            Path p = text.equals("~") ? Path.of(home) : text.startsWith("~/") ? Path.of(home, text.substring(2)) : Path.of(text);
            return p.toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
