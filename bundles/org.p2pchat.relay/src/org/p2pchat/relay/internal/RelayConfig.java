package org.p2pchat.relay.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.rendezvous.RendezvousServer;

/**
 * The relay's settings: the keys of a {@code key = value} config file, each also a
 * {@code --KEY VALUE} command-line option, which wins over the file.
 */
final class RelayConfig {

    static final String DEFAULT_BIND = "0.0.0.0";
    /** The original web app's rendezvous ("DHT") port. */
    static final int DEFAULT_PORT = 3479;

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");
    private static final String TLS_KEYSTORE = "tls-keystore";
    private static final String TLS_PASSWORD_FILE = "tls-keystore-password-file";
    private static final String STOP_WITH_PROCESS = "stop-with-process";
    private static final Pattern PROCESS_ID = Pattern.compile("[1-9]\\d{0,17}");

    /** What the command line asks for. */
    sealed interface Command permits Help, Run {
    }

    record Help() implements Command {
    }

    /**
     * @param tls HTTPS from a PKCS#12 key store, or null for plain HTTP
     * @param configFile the config file read, or null
     * @param turn TURN credentials to hand out and the coturn to supervise, or null for none
     * @param stopWithProcess the id of the process whose end stops the relay (the client that
     *        started it), or 0 for none
     */
    record Run(InetSocketAddress address, RendezvousLimits limits, RendezvousServer.Tls tls, Path configFile,
            TurnKeys.Turn turn, long stopWithProcess) implements Command {
    }

    private RelayConfig() {
    }

    static Command parse(String... args) throws ConfigException {
        return parse(System.getenv(), args);
    }

    /** As {@link #parse(String...)} with this environment (where {@code P2PCHAT_TURN_SECRET} may be). */
    static Command parse(Map<String, String> environment, String... args) throws ConfigException {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h") || arg.equals("help")) {
                return new Help();
            }
        }
        Path configFile = null;
        List<Setting> options = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException("unexpected argument '" + arg + "'; options look like --port 3479 (see --help)");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!name.equals("config") && !isKey(name)) {
                throw new ConfigException("unknown option '--" + name + "' (see --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new ConfigException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            if (!name.equals("config")) {
                options.add(Setting.option(name, value.strip()));
            } else if (configFile != null) {
                throw new ConfigException("--config is given twice; settings come from one file");
            } else {
                try {
                    configFile = Path.of(value);
                } catch (InvalidPathException e) {
                    throw new ConfigException("--config: '" + value + "' is not a file name");
                }
            }
        }
        Map<String, Setting> settings = new LinkedHashMap<>();
        if (configFile != null) {
            for (Setting s : readFile(configFile)) {
                settings.put(s.key(), s);
            }
        }
        for (Setting s : options) {
            settings.put(s.key(), s);
        }
        InetAddress bind = settings.containsKey("bind") ? bindAddress(settings.get("bind")) : literal(DEFAULT_BIND);
        int port = settings.containsKey("port") ? port(settings.get("port")) : DEFAULT_PORT;
        return new Run(new InetSocketAddress(bind, port), LimitKeys.build(settings), tls(settings), configFile,
                TurnKeys.parse(settings, environment),
                settings.containsKey(STOP_WITH_PROCESS) ? processId(settings.get(STOP_WITH_PROCESS)) : 0);
    }

    static boolean isKey(String key) {
        return key.equals("bind") || key.equals("port") || key.equals(TLS_KEYSTORE) || key.equals(TLS_PASSWORD_FILE)
                || key.equals(STOP_WITH_PROCESS)
                || LimitKeys.isKey(key) || TurnKeys.isKey(key);
    }

    /** TLS from {@code tls-keystore} and {@code tls-keystore-password-file}, both or neither; null for neither. */
    private static RendezvousServer.Tls tls(Map<String, Setting> settings) throws ConfigException {
        Setting keyStore = settings.get(TLS_KEYSTORE);
        Setting passwordFile = settings.get(TLS_PASSWORD_FILE);
        if (keyStore == null && passwordFile == null) {
            return null;
        }
        if (keyStore == null || passwordFile == null) {
            Setting given = keyStore == null ? passwordFile : keyStore;
            throw given.invalid("needs " + (keyStore == null ? TLS_KEYSTORE : TLS_PASSWORD_FILE) + " as well");
        }
        Path store = readableFile(keyStore);
        Path password = readableFile(passwordFile);
        try {
            List<String> lines = Files.readAllLines(password, StandardCharsets.UTF_8);
            return new RendezvousServer.Tls(store, lines.isEmpty() ? "" : lines.getFirst());
        } catch (IOException e) {
            throw passwordFile.invalid("cannot be read: " + e.getMessage());
        }
    }

    private static Path readableFile(Setting setting) throws ConfigException {
        Path file;
        try {
            file = Path.of(setting.value());
        } catch (InvalidPathException e) {
            throw setting.invalid("is not a file name: '" + setting.value() + "'");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw setting.invalid("names no readable file: '" + setting.value() + "'");
        }
        return file;
    }

    /** The settings in a config file: {@code key = value} lines; {@code #} starts a comment. */
    static List<Setting> readFile(Path file) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("cannot read config file " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException("cannot read config file " + file + ": permission denied");
        } catch (CharacterCodingException e) {
            throw new ConfigException("cannot read config file " + file + ": it is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        List<Setting> settings = new ArrayList<>();
        Map<String, Integer> seenOnLine = new LinkedHashMap<>();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            int comment = line.indexOf('#');
            line = (comment >= 0 ? line.substring(0, comment) : line).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + " line " + n + ": ";
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(where + "expected 'key = value', got '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            if (!isKey(key)) {
                throw new ConfigException(where + "unknown key '" + key + "' (see --help for the keys)");
            }
            Integer earlier = seenOnLine.putIfAbsent(key, n);
            if (earlier != null) {
                throw new ConfigException(where + key + " is already set on line " + earlier);
            }
            settings.add(Setting.fromFile(key, line.substring(eq + 1).strip(), file, n));
        }
        return settings;
    }

    /** An IP address literal; host names are refused so that starting never waits for DNS. */
    private static InetAddress bindAddress(Setting setting) throws ConfigException {
        String v = setting.value();
        InetAddress address = v.contains(":") || IPV4.matcher(v).matches() ? literal(v) : null;
        if (address == null) {
            throw setting.invalid("must be an IP address such as 0.0.0.0, 127.0.0.1 or ::, was '" + v + "'");
        }
        return address;
    }

    /** The address {@code text} spells as an IPv4 or IPv6 literal, or null. */
    private static InetAddress literal(String text) {
        Matcher v4 = IPV4.matcher(text);
        try {
            if (v4.matches()) {
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int b = Integer.parseInt(v4.group(i + 1));
                    if (b > 255) {
                        return null;
                    }
                    bytes[i] = (byte) b;
                }
                return InetAddress.getByAddress(bytes);
            }
            String v6 = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
            // With a colon in it, the name is parsed as an IPv6 literal and never looked up.
            return v6.contains(":") ? InetAddress.getByName(v6) : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int port(Setting setting) throws ConfigException {
        String v = setting.value();
        int port = PORT.matcher(v).matches() ? Integer.parseInt(v) : -1;
        if (port < 0 || port > 65535) {
            throw setting.invalid("must be a port number from 0 to 65535 (0: any free port), was '" + v + "'");
        }
        return port;
    }

    private static long processId(Setting setting) throws ConfigException {
        String v = setting.value();
        if (!PROCESS_ID.matcher(v).matches()) {
            throw setting.invalid("must be a process id (a positive number), was '" + v + "'");
        }
        return Long.parseLong(v);
    }

    /** The --help text. */
    static String usage() {
        StringBuilder s = new StringBuilder("""
                Usage: p2pchat-relay [--config FILE] [--KEY VALUE]...

                The P2P Chat relay server: hosts the rendezvous service until SIGTERM or SIGINT
                (Ctrl-C), then stops and exits with 0. It logs to stdout.

                  --config FILE   read settings from FILE: lines of "key = value", "#" starts a comment
                  --KEY VALUE     set a key (also --KEY=VALUE); options win over the file
                  --help          show this help

                Keys, as config file lines with their defaults:
                """);
        row(s, "bind", DEFAULT_BIND, "IP address to listen on; :: for IPv6 too, 127.0.0.1 for local only");
        row(s, "port", Integer.toString(DEFAULT_PORT), "TCP port; 0 takes any free port (the log says which)");
        row(s, TLS_KEYSTORE, "", "serve HTTPS with the key and certificate chain of this PKCS#12 file (default: plain"
                + " HTTP)");
        row(s, TLS_PASSWORD_FILE, "", "a file whose first line is the key store's password");
        row(s, STOP_WITH_PROCESS, "", "stop when the process with this id ends (the client that started this relay"
                + " with one click: so that a client that crashed leaves no relay behind)");
        s.append("\nTURN (coturn with time-limited credentials, handed to authenticated clients on GET /v1/turn):\n");
        for (TurnKeys.Key k : TurnKeys.KEYS) {
            row(s, k.key(), k.defaultValue(), k.help());
        }
        s.append("\nLimits:\n");
        for (LimitKeys.LimitKey k : LimitKeys.KEYS) {
            row(s, k.key(), LimitKeys.defaultValue(k), k.help());
        }
        s.append("""

                Exit codes: 0 stopped by SIGTERM or SIGINT, 1 could not start (the port is taken,
                say), 2 bad options or configuration (the message names the option or file line).

                Environment, read by the p2pchat-relay script: JAVA_HOME (a Java 21 or newer),
                P2PCHAT_RELAY_HEAP (the heap bound, -Xmx; default 512m), P2PCHAT_VMARGS (extra
                JVM options, last), P2PCHAT_RELAY_STATE (the directory for the OSGi framework's
                cache; default $STATE_DIRECTORY under systemd, else ~/.p2pchat/relay). The script
                runs the JVM with -XX:+ExitOnOutOfMemoryError (so a service manager restarts it)
                and G1 returning unused heap to the system.
                """);
        return s.toString();
    }

    /** "  key = default   help", the help wrapped to stay within 100 columns. */
    private static void row(StringBuilder s, String key, String defaultValue, String help) {
        int column = 38;
        String left = "  " + key + " = " + defaultValue;
        StringBuilder line = new StringBuilder(left.length() < column ? left + " ".repeat(column - left.length())
                : left + "\n" + " ".repeat(column));
        int width = column;
        for (String word : help.split(" ")) {
            if (width > column && width + 1 + word.length() > 100) {
                line.append('\n').append(" ".repeat(column));
                width = column;
            } else if (width > column) {
                line.append(' ');
                width++;
            }
            line.append(word);
            width += word.length();
        }
        s.append(line).append('\n');
    }
}
