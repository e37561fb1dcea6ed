package org.p2pchat.ui.settings.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.swt.widgets.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.settings.IceServerEntry;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.signaling.dht.DhtSettings;
import org.p2pchat.testing.Coturn;
import org.p2pchat.testing.NetworkIsolation;

import com.sun.net.httpserver.HttpServer;

/**
 * Health checks run as jobs: the button returns at once, the table says "Checking…" while the
 * display keeps dispatching events, and each result appears when its check ends. A working server
 * is "OK" and a dead one "Failed": the STUN and TURN checks go through the real transport to a real
 * coturn on the test network (so this runs only inside the test network namespace).
 */
class HealthCheckTest {

    /** Longer than any check may take; only reached when something is broken. */
    private static final long CHECK_LIMIT_MS = 60_000;

    private static Coturn coturn;

    private HttpServer rendezvous;
    /** The rendezvous service holds every /health answer until the test lets it go. */
    private final CountDownLatch answer = new CountDownLatch(1);
    private final AtomicInteger answered = new AtomicInteger();
    private int closedPort;
    private SettingsStore store;
    private DialogDriver ui;

    @BeforeAll
    static void startCoturn() throws Exception {
        NetworkIsolation.requireIsolatedNetwork();
        Path work = Files.createDirectories(Path.of(System.getProperty("p2pchat.test.output.dir", "target"), "coturn"));
        coturn = Coturn.start(work, NetworkIsolation.TEST_ADDRESS, 3478);
    }

    @AfterAll
    static void stopCoturn() {
        if (coturn != null) {
            coturn.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        rendezvous = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        rendezvous.createContext("/health", exchange -> {
            try {
                answer.await(CHECK_LIMIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answered.incrementAndGet();
            byte[] body = "{\"status\":\"healthy\",\"timestamp\":1}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        rendezvous.start();
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        store = DialogDriver.store();
        SettingsDialogTest.saveBaseline(store);
        store.section(DhtSettings.SECTION).write(new DhtSettings(List.of(
                new ServiceEntry("Running", "http://127.0.0.1:" + rendezvous.getAddress().getPort(), true, false),
                new ServiceEntry("Closed", "http://127.0.0.1:" + closedPort, true, false))));
        store.save(SettingsDialogTest.BASELINE
                .withIceServers(List.of(
                        new IceServerEntry("Closed STUN", "stun:" + NetworkIsolation.TEST_ADDRESS + ":" + closedPort, "",
                                "", true, false),
                        new IceServerEntry("Live STUN", coturn.stunUrl(), "", "", true, false),
                        new IceServerEntry("Live TURN", coturn.turnUrl(), Coturn.USER, Coturn.PASSWORD, true, false),
                        new IceServerEntry("TURN, wrong password", coturn.turnUrl(), Coturn.USER, "wrong", true,
                                false))));
        ui = new DialogDriver();
        ui.open(store, DialogDriver.transport());
    }

    @AfterEach
    void stop() {
        answer.countDown();
        ui.close();
        rendezvous.stop(0);
    }

    private static List<String> statuses(Table table) {
        return DialogDriver.column(table, DialogDriver.columnIndex(table, "Status"));
    }

    @Test
    void rendezvousChecksRunWithoutBlockingTheDisplay() throws IOException {
        Table table = ui.table("rendezvous");
        // The service answers only when the test lets it: a click that waited for the check would
        // come back only after the service gave up holding the answer, with the answer counted.
        ui.click(ui.button("rendezvous", "checkAll"));
        assertEquals(0, answered.get(), "the button returned before the service answered");
        assertEquals("○ Checking…", statuses(table).get(0), "running");
        ui.waitUntil(() -> statuses(table).get(1).startsWith("● Failed"), CHECK_LIMIT_MS,
                "the closed port fails while the running service still holds its answer");
        assertEquals("○ Checking…", statuses(table).get(0), "still running while the answer is held");
        answer.countDown();

        int[] dispatched = {0};
        ui.waitUntil(() -> {
            dispatched[0]++;
            return statuses(table).stream().noneMatch(s -> s.contains("Checking"));
        }, CHECK_LIMIT_MS, "both checks end");
        assertTrue(dispatched[0] > 1, "the display loop ran while the checks did");

        assertTrue(statuses(table).get(0).startsWith("● OK – healthy"), statuses(table).toString());
        assertTrue(statuses(table).get(1).startsWith("● Failed – no answer"), statuses(table).toString());
        assertEquals(0x00_80_00, rgb(table, 0), "OK is green");
        assertEquals(0xC8_00_00, rgb(table, 1), "failed is red");
        ui.screenshot(ui.shell(), "settings-rendezvous-checked");
    }

    @Test
    void aDeadStunServerFails() {
        List<String> statuses = checkIceRows(0);
        assertTrue(statuses.get(0).startsWith("● Failed"), statuses.toString());
        assertEquals("", statuses.get(1), "only the selected row is checked: " + statuses);
    }

    @Test
    void aLiveStunServerIsOk() throws IOException {
        List<String> statuses = checkIceRows(1);
        assertTrue(statuses.get(1).startsWith("● OK"), statuses.toString());
        assertEquals(0x00_80_00, rgb(ui.table("ice"), 1), "OK is green");
    }

    @Test
    void aLiveTurnServerIsOkWithTheRightPasswordOnly() throws IOException {
        List<String> statuses = checkIceRows(2, 3);
        assertTrue(statuses.get(2).startsWith("● OK"), statuses.toString());
        assertTrue(statuses.get(2).contains("relay address " + NetworkIsolation.TEST_ADDRESS), statuses.toString());
        assertTrue(statuses.get(3).startsWith("● Failed"), statuses.toString());
        assertTrue(statuses.get(3).contains("credential"), statuses.toString());
        ui.screenshot(ui.shell(), "settings-ice-checked");
    }

    /** Selects {@code rows} of the ICE table, clicks Check and returns every row's status once they ended. */
    private List<String> checkIceRows(int... rows) {
        Table table = ui.table("ice");
        ui.selectRows(table, rows);
        ui.click(ui.button("ice", "check")); // a live coturn may answer before the click's events are through
        ui.waitUntil(() -> statuses(table).stream().noneMatch(s -> s.contains("Checking")), CHECK_LIMIT_MS,
                "the checks end");
        return statuses(table);
    }

    private static int rgb(Table table, int row) {
        var color = table.getItem(row).getForeground(DialogDriver.columnIndex(table, "Status"));
        return color.getRed() << 16 | color.getGreen() << 8 | color.getBlue();
    }
}
