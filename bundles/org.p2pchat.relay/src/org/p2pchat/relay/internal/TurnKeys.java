package org.p2pchat.relay.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.p2pchat.rendezvous.TurnService;

/**
 * The {@code turn*} config keys: whether the relay hands out TURN credentials ({@code GET /v1/turn})
 * for a coturn run elsewhere with the same secret ({@code turn = external}) or for one it starts and
 * supervises itself ({@code turn = supervise}, {@link CoturnSupervisor}).
 */
final class TurnKeys {

    static final String MODE = "turn";
    static final String SECRET_FILE = "turn-secret-file";
    static final String URLS = "turn-urls";
    static final String TTL = "turn-ttl-seconds";
    static final String LISTEN_IP = "turn-listen-ip";
    static final String PORT = "turn-port";
    static final String EXTERNAL_IP = "turn-external-ip";
    static final String RELAY_PORTS = "turn-relay-ports";
    static final String REALM = "turn-realm";
    static final String WORK_DIR = "turn-work-dir";
    static final String BINARY = "turn-binary";
    static final String ALLOWED_PEER_IP = "turn-allowed-peer-ip";
    /** Where the secret comes from when no {@link #SECRET_FILE} is set. */
    static final String SECRET_ENV = "P2PCHAT_TURN_SECRET";

    static final long DEFAULT_TTL_SECONDS = 24 * 3600;
    /** Clients renew at two thirds of the lifetime: less than a minute would have them ask all the time. */
    static final long MIN_TTL_SECONDS = 60;
    static final int DEFAULT_PORT = 3478;

    /** One key, its default and what it does (for --help). */
    record Key(String key, String defaultValue, String help) {
    }

    static final List<Key> KEYS = List.of(
            new Key(MODE, "off", "off: no TURN; external: hand out credentials for a coturn run elsewhere with the"
                    + " same secret (stunturn/start-coturn.sh); supervise: also start coturn here and restart it"
                    + " if it dies"),
            new Key(SECRET_FILE, "", "a file whose first line is the secret shared with coturn (16+ of A-Z a-z 0-9"
                    + " + / = . _ ~ -); default: $" + SECRET_ENV + ", and with supervise a new random one per start"),
            new Key(URLS, "", "the STUN/TURN URLs clients are given, comma-separated (needed with external;"
                    + " supervise derives stun:, turn:?transport=udp and tcp from turn-external-ip and turn-port)"),
            new Key(TTL, Long.toString(DEFAULT_TTL_SECONDS), "how long issued credentials are valid, 60 s to 7 days"),
            new Key(LISTEN_IP, "", "supervise: the address coturn listens on (default: every address)"),
            new Key(PORT, Integer.toString(DEFAULT_PORT), "supervise: coturn's port, UDP and TCP"),
            new Key(EXTERNAL_IP, "", "supervise: the address clients reach coturn at, PUBLIC or PUBLIC/PRIVATE"
                    + " (needed unless turn-listen-ip is that address)"),
            new Key(RELAY_PORTS, "49152-65535", "supervise: UDP ports of relayed addresses, MIN-MAX"),
            new Key(REALM, "p2pchat", "supervise: the TURN realm"),
            new Key(WORK_DIR, "", "supervise: where coturn's generated config (with the secret, mode 600), log and"
                    + " pid file go (default: coturn/ in the relay's state directory)"),
            new Key(BINARY, "turnserver", "supervise: coturn's program, looked up on PATH and in /usr/bin"),
            new Key(ALLOWED_PEER_IP, "", "supervise: ranges coturn may relay to despite its hardening (a lab's"
                    + " private addresses), comma-separated a.b.c.d or a.b.c.d-e.f.g.h"));

    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9+/=._~-]{16,}");
    private static final Pattern IP = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern RANGE = Pattern.compile("[0-9A-Fa-f:.]+(-[0-9A-Fa-f:.]+)?");
    private static final Pattern PORTS = Pattern.compile("(\\d{1,5})-(\\d{1,5})");
    private static final Pattern REALM_NAME = Pattern.compile("[A-Za-z0-9.-]{1,64}");

    /**
     * What the relay does for TURN.
     *
     * @param service the credentials it hands out
     * @param coturn  the coturn it supervises; null with {@code turn = external}
     */
    record Turn(TurnService service, CoturnSetup coturn) {
    }

    private TurnKeys() {
    }

    static boolean isKey(String key) {
        return KEYS.stream().anyMatch(k -> k.key().equals(key));
    }

    /** The TURN settings, or null for {@code turn = off}. */
    static Turn parse(Map<String, Setting> settings, Map<String, String> environment) throws ConfigException {
        Setting mode = settings.get(MODE);
        String value = mode == null ? "off" : mode.value();
        switch (value) {
            case "off":
                for (Key k : KEYS) {
                    if (!k.key().equals(MODE) && settings.containsKey(k.key())) {
                        throw settings.get(k.key()).invalid("is set but turn is off; set turn = external or"
                                + " turn = supervise");
                    }
                }
                return null;
            case "external":
                return external(settings, environment);
            case "supervise":
                return supervise(settings, environment);
            default:
                throw mode.invalid("must be off, external or supervise, was '" + value + "'");
        }
    }

    private static Turn external(Map<String, Setting> settings, Map<String, String> environment)
            throws ConfigException {
        for (String supervisedOnly : List.of(LISTEN_IP, PORT, EXTERNAL_IP, RELAY_PORTS, REALM, WORK_DIR, BINARY,
                ALLOWED_PEER_IP)) {
            if (settings.containsKey(supervisedOnly)) {
                throw settings.get(supervisedOnly).invalid("configures a supervised coturn: set turn = supervise,"
                        + " or configure the external coturn itself (stunturn/start-coturn.sh)");
            }
        }
        String secret = secret(settings, environment);
        if (secret == null) {
            throw settings.get(MODE).invalid("external needs the secret shared with coturn: " + SECRET_FILE
                    + " or $" + SECRET_ENV);
        }
        Setting urls = settings.get(URLS);
        if (urls == null) {
            throw settings.get(MODE).invalid("external needs " + URLS + ": the coturn's URLs clients are given,"
                    + " e.g. turn:turn.example.org:3478?transport=udp,turn:turn.example.org:3478?transport=tcp");
        }
        return new Turn(service(split(urls.value()), secret, settings), null);
    }

    private static Turn supervise(Map<String, Setting> settings, Map<String, String> environment)
            throws ConfigException {
        String secret = secret(settings, environment);
        if (secret == null) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        }
        String listenIp = settings.containsKey(LISTEN_IP) ? ip(settings.get(LISTEN_IP)) : "";
        String externalIp = "";
        if (settings.containsKey(EXTERNAL_IP)) {
            Setting external = settings.get(EXTERNAL_IP);
            String[] parts = external.value().split("/", -1);
            if (parts.length > 2) {
                throw external.invalid("must be PUBLIC or PUBLIC/PRIVATE, was '" + external.value() + "'");
            }
            for (String part : parts) {
                if (!IP.matcher(part).matches()) {
                    throw external.invalid("must be an IP address or PUBLIC/PRIVATE, was '" + external.value() + "'");
                }
            }
            externalIp = external.value();
        }
        String publicIp = !externalIp.isEmpty() ? externalIp.split("/")[0] : listenIp;
        if (publicIp.isEmpty() || publicIp.equals("0.0.0.0") || publicIp.equals("::")) {
            throw settings.get(MODE).invalid("supervise needs " + EXTERNAL_IP + " (the address clients reach coturn"
                    + " at), or " + LISTEN_IP + " with that address");
        }
        int port = settings.containsKey(PORT) ? port(settings.get(PORT)) : DEFAULT_PORT;
        int minPort = 49152;
        int maxPort = 65535;
        if (settings.containsKey(RELAY_PORTS)) {
            Setting ports = settings.get(RELAY_PORTS);
            Matcher m = PORTS.matcher(ports.value());
            if (!m.matches() || Integer.parseInt(m.group(1)) < 1024 || Integer.parseInt(m.group(1)) >= Integer
                    .parseInt(m.group(2)) || Integer.parseInt(m.group(2)) > 65535) {
                throw ports.invalid("must be MIN-MAX with 1024 <= MIN < MAX <= 65535, was '" + ports.value() + "'");
            }
            minPort = Integer.parseInt(m.group(1));
            maxPort = Integer.parseInt(m.group(2));
        }
        String realm = "p2pchat";
        if (settings.containsKey(REALM)) {
            realm = settings.get(REALM).value();
            if (!REALM_NAME.matcher(realm).matches()) {
                throw settings.get(REALM).invalid("must be 1 to 64 of A-Z a-z 0-9 . -, was '" + realm + "'");
            }
        }
        List<String> allowed = new ArrayList<>();
        if (settings.containsKey(ALLOWED_PEER_IP)) {
            for (String range : split(settings.get(ALLOWED_PEER_IP).value())) {
                if (!RANGE.matcher(range).matches()) {
                    throw settings.get(ALLOWED_PEER_IP).invalid("must be addresses or ranges a-b, comma-separated;"
                            + " '" + range + "' is neither");
                }
                allowed.add(range);
            }
        }
        Path workDir = settings.containsKey(WORK_DIR) ? path(settings.get(WORK_DIR)) : defaultWorkDir();
        String binary = settings.containsKey(BINARY) ? settings.get(BINARY).value() : "turnserver";
        List<String> urls;
        if (settings.containsKey(URLS)) {
            urls = split(settings.get(URLS).value());
        } else {
            String host = publicIp.contains(":") ? "[" + publicIp + "]" : publicIp;
            String hostPort = host + ":" + port;
            urls = List.of("stun:" + hostPort, "turn:" + hostPort + "?transport=udp",
                    "turn:" + hostPort + "?transport=tcp");
        }
        TurnService service = service(urls, secret, settings);
        return new Turn(service, new CoturnSetup(listenIp, port, externalIp, minPort, maxPort, realm, secret,
                workDir, binary, List.copyOf(allowed)));
    }

    private static TurnService service(List<String> urls, String secret, Map<String, Setting> settings)
            throws ConfigException {
        long ttl = DEFAULT_TTL_SECONDS;
        if (settings.containsKey(TTL)) {
            Setting s = settings.get(TTL);
            try {
                ttl = Long.parseLong(s.value());
            } catch (NumberFormatException e) {
                throw s.invalid("must be a whole number of seconds, was '" + s.value() + "'");
            }
            if (ttl < MIN_TTL_SECONDS || ttl > TurnService.MAX_TTL_SECONDS) {
                throw s.invalid("must be from " + MIN_TTL_SECONDS + " to " + TurnService.MAX_TTL_SECONDS
                        + " seconds, was " + ttl);
            }
        }
        try {
            return TurnService.of(urls, secret.getBytes(StandardCharsets.UTF_8), ttl);
        } catch (IllegalArgumentException e) {
            Setting culprit = settings.containsKey(URLS) ? settings.get(URLS) : settings.get(MODE);
            throw culprit.invalid(": " + e.getMessage());
        }
    }

    /** The secret from {@link #SECRET_FILE} or {@link #SECRET_ENV}; null if neither is set. Never shown in a message. */
    private static String secret(Map<String, Setting> settings, Map<String, String> environment)
            throws ConfigException {
        Setting file = settings.get(SECRET_FILE);
        String secret;
        String source;
        if (file != null) {
            Path path = path(file);
            try {
                List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
                secret = lines.isEmpty() ? "" : lines.getFirst().strip();
            } catch (IOException e) {
                throw file.invalid("cannot be read: " + e.getClass().getSimpleName() + " " + path);
            }
            source = SECRET_FILE + " " + path;
        } else {
            secret = environment.get(SECRET_ENV);
            if (secret == null || secret.isEmpty()) {
                return null;
            }
            secret = secret.strip();
            source = "$" + SECRET_ENV;
        }
        if (!SECRET.matcher(secret).matches()) {
            String problem = "the TURN secret from " + source + " must be 16 or more characters of A-Z a-z 0-9 + / ="
                    + " . _ ~ - (it is not shown here); make one with: head -c 32 /dev/urandom | base64";
            throw file != null ? file.invalid(": " + problem) : new ConfigException(problem);
        }
        return secret;
    }

    private static String ip(Setting setting) throws ConfigException {
        if (!IP.matcher(setting.value()).matches()) {
            throw setting.invalid("must be an IP address, was '" + setting.value() + "'");
        }
        return setting.value();
    }

    private static int port(Setting setting) throws ConfigException {
        String v = setting.value();
        int port = v.matches("\\d{1,5}") ? Integer.parseInt(v) : -1;
        if (port < 1 || port > 65535) {
            throw setting.invalid("must be a port number from 1 to 65535, was '" + v + "'");
        }
        return port;
    }

    private static Path path(Setting setting) throws ConfigException {
        try {
            return Path.of(setting.value());
        } catch (InvalidPathException e) {
            throw setting.invalid("is not a file name: '" + setting.value() + "'");
        }
    }

    private static List<String> split(String list) {
        List<String> items = new ArrayList<>();
        for (String item : list.split("[,\\s]+")) {
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return items;
    }

    /** coturn/ in the relay instance's own framework configuration area (one per running relay), else in ~/.p2pchat/relay. */
    private static Path defaultWorkDir() {
        String area = System.getProperty("osgi.configuration.area");
        if (area != null && area.startsWith("file:")) {
            try {
                return Path.of(URI.create(area.replace(" ", "%20"))).resolve("coturn");
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                // fall through to the home directory
            }
        }
        return Path.of(System.getProperty("user.home"), ".p2pchat", "relay", "coturn");
    }
}
