package org.p2pchat.relay.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import org.p2pchat.rendezvous.RendezvousLimits;

/**
 * The config keys for {@link RendezvousLimits}, one line per limit, each naming the record
 * component it sets. The record is built by reflection over its components, so a limit the
 * rendezvous bundle adds is not a compile error here: it keeps its default until its line is added.
 * Values are checked by the record itself, so the rules live in one place.
 */
final class LimitKeys {

    /** One config key: {@code key} sets the record component {@code component}. */
    record LimitKey(String key, String component, String help) {
    }

    static final List<LimitKey> KEYS = List.of(
            limit("max-body-bytes", "maxBodyBytes", "largest request body in bytes; larger ones get 413"),
            limit("max-id-length", "maxIdLength", "longest legacy peer id, name or signal address, in characters"),
            limit("max-peers", "maxPeers", "peers registered at once in each API; more get 503"),
            limit("max-signals-per-peer", "maxSignalsPerPeer", "signals queued for one peer; more get 429"),
            limit("max-signals-total", "maxSignalsTotal", "signals queued for all peers, in each API; more get 503"),
            limit("max-queued-signal-bytes", "maxQueuedSignalBytes", "heap bytes of all queued signals, in each API; more get 503"),
            limit("signal-bytes-per-address", "maxQueuedSignalBytesPerAddress",
                    "the share of max-queued-signal-bytes of one client address, in each API; more get 429"),
            limit("peer-ttl-ms", "peerTtlMillis", "a peer not seen again for this long is gone"),
            limit("signal-ttl-ms", "signalTtlMillis", "a queued legacy signal older than this is dropped unread"),
            limit("v1-signal-ttl-ms", "v1SignalTtlMillis", "a queued /v1 signal older than this is dropped unread"),
            limit("requests-per-second", "requestsPerSecond", "sustained requests per client address; 0: no limit"),
            limit("request-burst", "requestBurst", "requests a client address may send at once"),
            limit("max-tracked-addresses", "maxTrackedAddresses", "client addresses rate-limited apart; more share one"),
            limit("requests-per-key-per-second", "requestsPerKeyPerSecond", "sustained signed requests per identity key; 0: no limit"),
            limit("request-burst-per-key", "requestBurstPerKey", "signed requests one identity key may send at once"),
            limit("max-tracked-keys", "maxTrackedKeys", "identity keys rate-limited apart; more share one"),
            limit("max-clock-skew-ms", "maxClockSkewMillis", "how far a signed request's time may be from the relay's"),
            limit("max-remembered-nonces", "maxRememberedNonces", "signed requests remembered against replay; more get 503"),
            limit("max-waiting-fetches", "maxWaitingFetches", "GET /v1/signals?wait= requests held open at once; more get 503"),
            limit("waiting-fetches-per-address", "maxWaitingFetchesPerAddress",
                    "the share of max-waiting-fetches of one client address; more get 429"),
            limit("peer-list-max-age-ms", "peerListMaxAgeMillis", "the cached legacy peer list is rebuilt at most this often"),
            limit("legacy-peer-list-max", "legacyPeerListMax", "peers in the legacy GET /peers, latest first; 0: all"),
            limit("max-connections", "maxConnections", "open connections at once; beyond it new ones wait to be accepted"),
            limit("max-connections-per-address", "maxConnectionsPerAddress",
                    "open connections from one client address; more are closed at once"),
            limit("request-timeout-ms", "requestTimeoutMillis",
                    "a request (headers and body) must arrive within this long; late connections are closed"),
            limit("idle-timeout-ms", "idleTimeoutMillis", "a connection with no traffic for this long is closed"),
            limit("max-request-header-bytes", "maxRequestHeaderBytes",
                    "largest request line and headers; larger ones get 431"));

    private static final RecordComponent[] COMPONENTS = RendezvousLimits.class.getRecordComponents();
    private static final Constructor<RendezvousLimits> CANONICAL = canonicalConstructor();
    private static final Map<String, Integer> INDEX = componentIndex();

    private LimitKeys() {
    }

    private static LimitKey limit(String key, String component, String help) {
        return new LimitKey(key, component, help);
    }

    static boolean isKey(String key) {
        return KEYS.stream().anyMatch(k -> k.key().equals(key));
    }

    /** The default of {@code key} as it would be written in the config file. */
    static String defaultValue(LimitKey key) {
        return format(defaults()[INDEX.get(key.component())]);
    }

    /** {@code key = value} for every limit of {@code limits}, for the log. */
    static String describe(RendezvousLimits limits) {
        Object[] values = values(limits);
        StringBuilder s = new StringBuilder();
        for (LimitKey k : KEYS) {
            s.append(s.isEmpty() ? "" : ", ").append(k.key()).append('=').append(format(values[INDEX.get(k.component())]));
        }
        return s.toString();
    }

    /** The defaults with the limits in {@code settings} (keyed by config key) applied. */
    static RendezvousLimits build(Map<String, Setting> settings) throws ConfigException {
        Object[] values = defaults();
        for (LimitKey k : KEYS) {
            Setting setting = settings.get(k.key());
            if (setting == null) {
                continue;
            }
            int i = INDEX.get(k.component());
            Object value = parse(setting, COMPONENTS[i].getType());
            // Checked alone first, so that the message names the key that is wrong.
            Object[] alone = defaults();
            alone[i] = value;
            create(alone, setting);
            values[i] = value;
        }
        return create(values, null);
    }

    private static RendezvousLimits create(Object[] values, Setting culprit) throws ConfigException {
        try {
            return CANONICAL.newInstance(values);
        } catch (InvocationTargetException e) {
            String reason = withKeys(String.valueOf(e.getCause().getMessage()));
            if (culprit == null) {
                throw new ConfigException("the limits do not fit together: " + reason);
            }
            String own = culprit.key() + " ";
            if (!reason.startsWith(own)) {
                throw culprit.invalid("= " + culprit.value() + " is refused: " + reason);
            }
            // The record prints the value as it holds it ("0.0"); the admin wrote "0".
            throw culprit.invalid(reason.substring(own.length()).replaceFirst(", was \\S+$",
                    Matcher.quoteReplacement(", was '" + culprit.value() + "'")));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create RendezvousLimits", e);
        }
    }

    private static Object parse(Setting setting, Class<?> type) throws ConfigException {
        String v = setting.value();
        try {
            if (type == int.class) {
                return Integer.parseInt(v);
            } else if (type == long.class) {
                return Long.parseLong(v);
            } else if (type == double.class) {
                double d = Double.parseDouble(v);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            } else if (type == boolean.class) {
                if (!v.equals("true") && !v.equals("false")) {
                    throw setting.invalid("must be true or false, was '" + v + "'");
                }
                return Boolean.parseBoolean(v);
            }
        } catch (NumberFormatException e) {
            throw setting.invalid("must be " + (type == double.class ? "a number" : "a whole number")
                    + (type == int.class ? " up to " + Integer.MAX_VALUE : "") + ", was '" + v + "'");
        }
        throw new IllegalStateException("no config syntax for " + type + " (" + setting.key() + ")");
    }

    /** The record's message with its component names replaced by config keys. */
    private static String withKeys(String message) {
        String result = message;
        List<LimitKey> longestFirst = KEYS.stream()
                .sorted(Comparator.comparingInt((LimitKey k) -> k.component().length()).reversed()).toList();
        for (LimitKey k : longestFirst) {
            result = result.replace(k.component(), k.key());
        }
        return result;
    }

    private static String format(Object value) {
        return value instanceof Double d ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString()
                : String.valueOf(value);
    }

    private static Object[] defaults() {
        return values(RendezvousLimits.DEFAULTS);
    }

    private static Object[] values(RendezvousLimits limits) {
        Object[] values = new Object[COMPONENTS.length];
        for (int i = 0; i < COMPONENTS.length; i++) {
            try {
                values[i] = COMPONENTS[i].getAccessor().invoke(limits);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read RendezvousLimits." + COMPONENTS[i].getName(), e);
            }
        }
        return values;
    }

    private static Constructor<RendezvousLimits> canonicalConstructor() {
        try {
            return RendezvousLimits.class.getConstructor(
                    Arrays.stream(COMPONENTS).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("RendezvousLimits has no public canonical constructor", e);
        }
    }

    /** Component name to position; fails at once if a key names a component the record lacks. */
    private static Map<String, Integer> componentIndex() {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < COMPONENTS.length; i++) {
            index.put(COMPONENTS[i].getName(), i);
        }
        for (LimitKey k : KEYS) {
            if (!index.containsKey(k.component())) {
                throw new IllegalStateException("config key " + k.key() + " names " + k.component()
                        + ", which RendezvousLimits does not have (it has " + index.keySet() + ")");
            }
        }
        return index;
    }
}
