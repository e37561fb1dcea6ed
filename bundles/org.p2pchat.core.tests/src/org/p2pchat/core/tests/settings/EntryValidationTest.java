package org.p2pchat.core.tests.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2pchat.core.IceServer;
import org.p2pchat.core.settings.IceServerEntry;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.settings.Settings;

/** What {@link IceServerEntry} and {@link ServiceEntry} accept, and what they tell the user otherwise. */
class EntryValidationTest {

    private static final String ICE_URL_HELP =
            "URL must look like stun:host:port, turn:host:port or turns:host:port (optionally ?transport=tcp)";
    private static final String PORT_RANGE = "port must be between 1 and 65535";
    private static final String TURN_CREDENTIALS = "a TURN server needs a username and a credential";
    /** Followed by an example: what was typed if it is a host and port, else a made-up one. */
    private static final String SERVICE_SCHEMES = "Type the address with http:// or https:// in front (ws://, wss:// "
            + "or udp:// for some trackers), for example http://";

    private static IceServerEntry ice(String url, String username, String credential) {
        return new IceServerEntry("test", url, username, credential, true, false);
    }

    private static ServiceEntry service(String url) {
        return new ServiceEntry("test", url, true, false);
    }

    @ParameterizedTest
    @ValueSource(strings = { "stun:relay.example.net:19302", "stun:192.0.2.1:3478", "stun:[2001:db8::1]:3478",
            "stun:relay.example.org", "stuns:relay.example.org:5349", "stun:example.org:65535",
            "  stun:example.org:3478  ", "stun:example.org:3478?transport=udp" })
    void stunUrlsAreAccepted(String url) {
        assertEquals(Optional.empty(), ice(url, "", "").problem());
    }

    @ParameterizedTest
    @ValueSource(strings = { "turn:turn.example.org:3478", "turn:turn.example.org:3478?transport=tcp",
            "turns:turn.example.org:5349", "turn:[2001:db8::2]:3478" })
    void turnUrlsWithCredentialsAreAccepted(String url) {
        assertEquals(Optional.empty(), ice(url, "zoe", "secret").problem());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                                     | ||" + ICE_URL_HELP,
        "relay.example.org:3478                  | ||" + ICE_URL_HELP,
        "http://relay.example.org                | ||" + ICE_URL_HELP,
        "stun:                                  | ||" + ICE_URL_HELP,
        "stun:exa mple.org                      | ||" + ICE_URL_HELP,
        "stun:example.org:3478?transport=sctp   | ||" + ICE_URL_HELP,
        "stun:example.org:123456                | ||" + ICE_URL_HELP,
        "stun:example.org:65536                 | ||" + PORT_RANGE,
        "turn:[2001:db8::2]:99999               | zoe | secret |" + PORT_RANGE,
        "turn:turn.example.org:3478             | ||" + TURN_CREDENTIALS,
        "turn:turn.example.org:3478             | zoe ||" + TURN_CREDENTIALS,
        "turns:turn.example.org:5349            | | secret |" + TURN_CREDENTIALS,
        "turn:turn.example.org:3478             | zoe | `   ` |" + TURN_CREDENTIALS })
    void badIceEntriesAreRefusedWithTheReason(String url, String username, String credential, String problem) {
        assertEquals(Optional.of(problem), ice(url, username, credential).problem());
    }

    @Test
    void portZeroIsRefused() {
        assertEquals(Optional.of(PORT_RANGE), ice("stun:example.org:0", "", "").problem());
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://localhost:3479", "https://rendezvous.example.org", "ws://192.0.2.1:8000/socket",
            "wss://tracker.openwebtorrent.com", "udp://tracker.example.org:6969/announce", "HTTPS://EXAMPLE.ORG",
            "  http://[2001:db8::1]:3479  " })
    void serviceUrlsAreAccepted(String url) {
        assertEquals(Optional.empty(), service(url).problem());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                                | " + SERVICE_SCHEMES + "relay.example.org:3479",
        "rendezvous.example.org            | " + SERVICE_SCHEMES + "rendezvous.example.org",
        "relay.example.org:3479            | " + SERVICE_SCHEMES + "relay.example.org:3479",
        "192.0.2.1:3479                    | " + SERVICE_SCHEMES + "192.0.2.1:3479",
        "ftp://files.example.org           | " + SERVICE_SCHEMES + "relay.example.org:3479",
        "mailto:someone@example.org        | " + SERVICE_SCHEMES + "relay.example.org:3479",
        "http:///no-host                   | URL has no host name",
        "http://                           | URL has no host name",
        "http://exa mple.org               | The address cannot contain a space (character 11)",
        "http://exa^mple.org               | The address cannot contain \u201c^\u201d (character 11)" })
    void badServiceEntriesAreRefusedWithTheReason(String url, String problem) {
        assertEquals(Optional.of(problem), service(url).problem());
    }

    @Test
    void sessionsUseOnlyEnabledValidServers() {
        Settings settings = Settings.defaults().withIceServers(List.of(
                new IceServerEntry("on", "stun:192.0.2.1:3478", "", "", true, false),
                new IceServerEntry("off", "stun:192.0.2.2:3478", "", "", false, false),
                new IceServerEntry("broken", "turn:192.0.2.3:3478", "", "", true, false),
                new IceServerEntry("relay", "turn:192.0.2.4:3478", "zoe", "secret", true, false)));

        assertEquals(List.of(IceServer.stun("stun:192.0.2.1:3478"), new IceServer("turn:192.0.2.4:3478", "zoe", "secret")),
                settings.enabledIceServers());
        assertEquals(settings.enabledIceServers(), settings.sessionConfig().iceServers());
    }
}
