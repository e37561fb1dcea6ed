package org.p2pchat.cli.internal;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.core.profile.ProfileLock;
import org.p2pchat.core.profile.WrongPassphraseException;

/**
 * The profile's passphrase on the command line: unlocks a profile that has one before the client
 * layer is needed (from {@code --passphrase-file}, else {@value #ENVIRONMENT}, else asked on the
 * terminal), and is the command {@code p2pchat cli passphrase} that sets, changes or removes it.
 */
final class PassphraseConsole {

    static final String ENVIRONMENT = "P2PCHAT_PASSPHRASE";
    static final String COMMAND = "passphrase";
    /** The terminal to ask on when Java has no console; set by the start script. */
    static final String TERMINAL_PROPERTY = "p2pchat.cli.terminal";
    static final String USAGE = """

            Passphrase (opt-in: the identity key and the history are then encrypted at rest):
              passphrase           set, change or remove the profile's passphrase; asks on the
                                   terminal (an empty new passphrase removes it)
              --passphrase-file FILE
                                   the profile's passphrase is the first line of FILE; else
                                   $P2PCHAT_PASSPHRASE; else it is asked on the terminal. A wrong
                                   one ends the program (exit code 1) and changes nothing
              --new-passphrase-file FILE
                                   passphrase: the new passphrase (an empty FILE removes it)
            """;
    private static final long LOCK_WAIT_SECONDS = 20;
    private static final int TERMINAL_TRIES = 3;

    private final Path passphraseFile;
    private final Path newPassphraseFile;
    private final boolean command;
    private final boolean json;
    private final String[] remaining;

    private PassphraseConsole(Path passphraseFile, Path newPassphraseFile, boolean command, boolean json,
            String[] remaining) {
        this.passphraseFile = passphraseFile;
        this.newPassphraseFile = newPassphraseFile;
        this.command = command;
        this.json = json;
        this.remaining = remaining;
    }

    /** Takes the passphrase's arguments out of {@code args}; the others are left for {@link CliOptions}. */
    static PassphraseConsole take(String[] args) throws IllegalArgumentException {
        Path file = null;
        Path newFile = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--passphrase-file" -> file = file(args, ++i, "--passphrase-file");
                case "--new-passphrase-file" -> newFile = file(args, ++i, "--new-passphrase-file");
                default -> rest.add(args[i]);
            }
        }
        // The command is the one word given (a peer may be called "passphrase": connect passphrase).
        List<String> words = rest.stream().filter(a -> !a.equals("--verbose") && !a.equals("--json")).toList();
        boolean command = words.equals(List.of(COMMAND));
        if (!command && newFile != null) {
            throw new IllegalArgumentException("--new-passphrase-file belongs to the passphrase command");
        }
        return new PassphraseConsole(file, newFile, command, rest.contains("--json"), rest.toArray(String[]::new));
    }

    private static Path file(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a file");
        }
        return Path.of(args[i]);
    }

    boolean isCommand() {
        return command;
    }

    /** The arguments that are not the passphrase's. */
    String[] remaining() {
        return remaining.clone();
    }

    /**
     * Unlocks the profile if it is locked.
     *
     * @return null once it is unlocked (or has no lock), else the exit code: it stays locked
     */
    Integer unlock(BundleContext bundles, EventPrinter print) throws InterruptedException {
        ProfileLock lock = lock(bundles);
        if (lock == null || lock.isUnlocked()) {
            return null;
        }
        char[] given = null;
        try {
            if (passphraseFile != null || System.getenv(ENVIRONMENT) != null) {
                given = given("--passphrase-file");
                lock.unlock(given);
                return null;
            }
            if (!onTerminal()) {
                print.error("The profile " + lock.directory() + " is protected by a passphrase: give it with "
                        + "--passphrase-file FILE or " + ENVIRONMENT + ", or start on a terminal to be asked.");
                return 1;
            }
            for (int attempt = 1;; attempt++) {
                wipe(given);
                given = ask("Passphrase of the profile " + lock.directory() + ": ");
                if (given == null) {
                    print.error("No passphrase given; the profile stays locked.");
                    return 1;
                }
                try {
                    lock.unlock(given);
                    return null;
                } catch (WrongPassphraseException e) {
                    if (attempt == TERMINAL_TRIES) {
                        throw e;
                    }
                    print.error(e.getMessage());
                }
            }
        } catch (WrongPassphraseException e) {
            print.error(e.getMessage());
            return 1;
        } catch (IOException e) {
            print.error(e.getMessage());
            return 1;
        } finally {
            wipe(given);
        }
    }

    /** {@code p2pchat cli passphrase}: sets, changes or removes the passphrase; the exit code. */
    int change(BundleContext bundles, PrintStream out) throws InterruptedException {
        EventPrinter print = new EventPrinter(out, System.err, json);
        ProfileLock lock = lock(bundles);
        if (lock == null) {
            print.error("This installation has no profile lock (org.p2pchat.core); the passphrase cannot be set.");
            return 1;
        }
        char[] current = null;
        char[] next = null;
        try {
            boolean had = lock.hasPassphrase();
            if (had) {
                if (passphraseFile != null || System.getenv(ENVIRONMENT) != null) {
                    current = given("--passphrase-file");
                } else if (onTerminal()) {
                    current = ask("Current passphrase of the profile " + lock.directory() + ": ");
                }
                if (current == null) {
                    print.error("The profile has a passphrase: give it with --passphrase-file FILE or " + ENVIRONMENT
                            + ", or run on a terminal to be asked.");
                    return 1;
                }
            }
            if (newPassphraseFile != null) {
                next = read(newPassphraseFile, "--new-passphrase-file");
            } else if (onTerminal()) {
                print.hint("The identity key and the history will be encrypted with the passphrase. A forgotten "
                        + "passphrase cannot be recovered: the profile's identity and history are lost with it.");
                next = ask("New passphrase (empty: none): ");
                char[] repeated = ask("Repeat it: ");
                boolean same = next != null && Arrays.equals(next, repeated);
                wipe(repeated);
                if (!same) {
                    print.error("The two passphrases differ; nothing was changed.");
                    return 1;
                }
            } else {
                print.error("Give the new passphrase with --new-passphrase-file FILE (an empty file removes it), "
                        + "or run on a terminal to be asked.");
                return 2;
            }
            if (!had && next.length == 0) {
                String text = "The profile has no passphrase; nothing was changed.";
                print.event("passphrase", text, "state", "none", "message", text);
                return 0;
            }
            lock.setPassphrase(current, next);
            String state = next.length == 0 ? "removed" : had ? "changed" : "set";
            String text = next.length == 0
                    ? "The passphrase is removed: the identity key and the history are stored unencrypted again."
                    : "The passphrase is " + state + ": the identity key and the history are encrypted with it. "
                            + "A forgotten passphrase cannot be recovered.";
            print.event("passphrase", text, "state", state, "message", text);
            return 0;
        } catch (WrongPassphraseException e) {
            print.error(e.getMessage());
            return 1;
        } catch (IOException | IllegalStateException e) {
            print.error(e.getMessage());
            return 1;
        } finally {
            wipe(current);
            wipe(next);
        }
    }

    /** The passphrase from {@code --passphrase-file}, else from the environment. */
    private char[] given(String option) throws IOException {
        return passphraseFile != null ? read(passphraseFile, option) : System.getenv(ENVIRONMENT).toCharArray();
    }

    /** The first line of {@code file}, without its line end. */
    private static char[] read(Path file, String option) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(option + " " + file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            int end = 0;
            while (end < text.limit() && text.get(end) != '\n' && text.get(end) != '\r') {
                end++;
            }
            char[] line = Arrays.copyOf(text.array(), end);
            Arrays.fill(text.array(), '\0');
            return line;
        } catch (CharacterCodingException e) {
            throw new IOException(option + " " + file + ": not UTF-8 text", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Whether the program runs on a terminal to ask on: Java's console, or the terminal the start
     * script names ({@value #TERMINAL_PROPERTY}) when its input is one (the JVM's stdout is the log,
     * so Java sees no console then). Not when the input is redirected.
     */
    private static boolean onTerminal() {
        return System.console() != null || !System.getProperty(TERMINAL_PROPERTY, "").isBlank();
    }

    /** A line typed on the terminal without echo; null at its end. */
    private static char[] ask(String prompt) throws IOException {
        Console console = System.console();
        if (console != null) {
            return console.readPassword("%s", prompt);
        }
        File tty = new File(System.getProperty(TERMINAL_PROPERTY));
        try (FileOutputStream out = new FileOutputStream(tty); FileInputStream in = new FileInputStream(tty)) {
            out.write(prompt.getBytes(StandardCharsets.UTF_8));
            out.flush();
            stty(tty, "-echo");
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                for (int b; (b = in.read()) != '\n';) {
                    if (b < 0) {
                        return line.size() == 0 ? null : decode(line);
                    }
                    line.write(b);
                }
                return decode(line);
            } finally {
                stty(tty, "echo");
                out.write('\n');
                byte[] typed = line.toByteArray();
                Arrays.fill(typed, (byte) 0);
                line.reset();
            }
        }
    }

    private static char[] decode(ByteArrayOutputStream line) throws IOException {
        byte[] bytes = line.toByteArray();
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            char[] chars = Arrays.copyOf(text.array(), text.limit());
            Arrays.fill(text.array(), '\0');
            int end = chars.length > 0 && chars[chars.length - 1] == '\r' ? chars.length - 1 : chars.length;
            return end == chars.length ? chars : Arrays.copyOf(chars, end);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Sets a mode of the terminal (echo or not) as stty does. */
    private static void stty(File tty, String mode) throws IOException {
        try {
            new ProcessBuilder("stty", mode).redirectInput(tty).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting the terminal", e);
        }
    }

    private static ProfileLock lock(BundleContext bundles) throws InterruptedException {
        ServiceTracker<ProfileLock, ProfileLock> tracker = new ServiceTracker<>(bundles, ProfileLock.class, null);
        tracker.open();
        // Stays open, as the CLI's other trackers: the service is used after this returns.
        return tracker.waitForService(TimeUnit.SECONDS.toMillis(LOCK_WAIT_SECONDS));
    }

    private static void wipe(char[] secret) {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }
}
