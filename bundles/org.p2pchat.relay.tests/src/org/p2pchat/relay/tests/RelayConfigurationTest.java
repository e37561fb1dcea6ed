package org.p2pchat.relay.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.p2pchat.rendezvous.RendezvousLimits;
import org.p2pchat.testing.RelayProcess;

import com.google.gson.JsonParser;

/** The relay's config file and options, checked by what the running product does with them. */
class RelayConfigurationTest {

    @Test
    void theConfigFileSetsBindAndLimitsAndOptionsWinOverIt() throws Exception {
        Path dir = Relays.work("config-and-options");
        // A port someone else holds: if --port 0 did not win over the file, the relay could not start.
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path config = write(dir.resolve("relay.conf"), """
                    # A test relay
                    bind = 127.0.0.1
                    port = %d             # overridden by --port
                    max-body-bytes = 5000 # overridden by --max-body-bytes
                    max-id-length=8
                    legacy-peer-list-max = 1
                    """.formatted(taken.getLocalPort()));
            try (RelayProcess relay = Relays.start("--config", config.toString(), "--port", "0", "--max-body-bytes=300")) {
                InetSocketAddress address = relay.awaitListening(Relays.START_SECONDS);
                assertEquals("127.0.0.1", address.getHostString());
                assertNotEquals(taken.getLocalPort(), address.getPort());
                relay.awaitLine(Pattern.compile(" INFO limits: .*max-body-bytes=300, max-id-length=8,"), 1);

                HttpResponse<String> tooLarge = Relays.postJson(address, "/register",
                        "{\"peerId\":\"ab\",\"name\":\"ab\",\"padding\":\"" + "x".repeat(400) + "\"}");
                assertEquals(413, tooLarge.statusCode(), tooLarge.body());
                assertTrue(tooLarge.body().contains("300 bytes"), tooLarge.body());
                HttpResponse<String> longId = Relays.postJson(address, "/register", "{\"peerId\":\"nine-char\",\"name\":\"x\"}");
                assertEquals(400, longId.statusCode(), longId.body());
                HttpResponse<String> fits = Relays.postJson(address, "/register", "{\"peerId\":\"eight-ch\",\"name\":\"x\"}");
                assertEquals(201, fits.statusCode(), fits.body());
                assertEquals(201, Relays.postJson(address, "/register", "{\"peerId\":\"second\",\"name\":\"y\"}")
                        .statusCode());
                assertEquals(1, JsonParser.parseString(Relays.get(address, "/peers").body()).getAsJsonArray().size(),
                        "legacy-peer-list-max = 1");
            }
        }
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                bad("--port must be a port number from 0 to 65535 (0: any free port), was '70000'", null, "--port", "70000"),
                bad("--bind must be an IP address such as 0.0.0.0, 127.0.0.1 or ::, was 'relay.example'", null,
                        "--bind", "relay.example"),
                bad("--max-peers must be positive, was '0'", null, "--max-peers", "0"),
                bad("--request-burst must be a whole number up to 2147483647, was 'lots'", null, "--request-burst", "lots"),
                bad("unknown option '--max-peer' (see --help)", null, "--max-peer", "5"),
                bad("--port needs a value", null, "--bind", "127.0.0.1", "--port"),
                bad("cannot read config file {dir}/missing.conf: no such file", null, "--config", "{dir}/missing.conf"),
                bad("{dir}/relay.conf line 3: unknown key 'prot' (see --help for the keys)",
                        "# relay\nbind = 127.0.0.1\nprot = 3479\n", "--config", "{dir}/relay.conf"),
                bad("{dir}/relay.conf line 2: max-signals-total must be positive, was '-5'",
                        "port = 0\nmax-signals-total = -5\n", "--config", "{dir}/relay.conf"),
                bad("--legacy-peer-list-max must not be negative, was '-1'", null, "--legacy-peer-list-max", "-1"),
                bad("--stop-with-process must be a process id (a positive number), was 'the client'", null,
                        "--stop-with-process", "the client"),
                bad("{dir}/relay.conf line 1: expected 'key = value', got 'port 3479'",
                        "port 3479\n", "--config", "{dir}/relay.conf"),
                bad("{dir}/relay.conf line 4: port is already set on line 1",
                        "port = 1\n\n\nport = 2\n", "--config", "{dir}/relay.conf"));
    }

    private static Arguments bad(String message, String config, String... args) {
        return Arguments.of(message, config, args);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badOptionsAndConfigurationStopItWithOneLineNamingTheCulpritAndExitCode2(String message, String config,
            String[] args) throws Exception {
        Path dir = Relays.work("bad-input");
        if (config != null) {
            write(dir.resolve("relay.conf"), config);
        }
        List<String> resolved = new ArrayList<>();
        for (String a : args) {
            resolved.add(a.replace("{dir}", dir.toString()));
        }
        try (RelayProcess relay = Relays.start(resolved.toArray(String[]::new))) {
            assertEquals(2, relay.awaitExit(Relays.START_SECONDS), relay.output());
            assertEquals(List.of("p2pchat-relay: " + message.replace("{dir}", dir.toString())), relay.stderr());
            assertEquals(List.of(), relay.stdout(), "nothing started, nothing logged");
            RelayLifecycleTest.assertNoStackTrace(relay);
        }
    }

    /**
     * Every limit of the rendezvous service is an option and a config key, listed with its default.
     * Fails when a limit is added to {@link RendezvousLimits} without its line in the relay's LimitKeys.
     */
    @Test
    void helpListsEveryRendezvousLimitWithItsDefault() throws Exception {
        try (RelayProcess relay = Relays.start("--help")) {
            assertEquals(0, relay.awaitExit(Relays.START_SECONDS), relay.output());
            List<String> help = relay.stdout();
            assertTrue(help.getFirst().startsWith("Usage: p2pchat-relay"), relay.output());
            List<String> afterHeading = help.subList(help.indexOf("Limits:") + 1, help.size());
            Pattern keyLine = Pattern.compile("  [a-z0-9-]+ = [0-9.]+ +\\S.*");
            List<String> limits = afterHeading.subList(0, afterHeading.indexOf("")).stream()
                    .filter(l -> keyLine.matcher(l).matches()).toList();
            assertEquals(RendezvousLimits.class.getRecordComponents().length, limits.size(),
                    "each RendezvousLimits component needs a line in org.p2pchat.relay's LimitKeys: " + limits);
            assertTrue(help.stream().anyMatch(l -> l.matches("  port = 3479 +TCP port.*")), relay.output());
            assertTrue(help.stream().allMatch(l -> l.length() <= 100), relay.output());
            assertTrue(relay.stderr().isEmpty(), relay.output());
        }
    }

    private static Path write(Path file, String text) throws IOException {
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
