package org.p2pchat.ui.settings.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.swt.widgets.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.core.settings.IceServerEntry;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.settings.SettingsStore;

import com.sun.net.httpserver.HttpServer;

/**
 * Health checks run as jobs: the button returns at once, the table says "Checking…" while the
 * display keeps dispatching events, and each result appears when its check ends. Only loopback
 * addresses are checked.
 */
class HealthCheckTest {

    /** The rendezvous service answers this late, so that the check is seen running. */
    private static final int ANSWER_DELAY_MS = 400;

    private HttpServer rendezvous;
    private int closedPort;
    private SettingsStore store;
    private DialogDriver ui;

    @BeforeEach
    void start() throws Exception {
        rendezvous = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        rendezvous.createContext("/health", exchange -> {
            sleep(ANSWER_DELAY_MS);
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
        store.save(SettingsDialogTest.BASELINE
                .withRendezvousServices(List.of(
                        new ServiceEntry("Running", "http://127.0.0.1:" + rendezvous.getAddress().getPort(), true, false),
                        new ServiceEntry("Closed", "http://127.0.0.1:" + closedPort, true, false)))
                .withIceServers(List.of(new IceServerEntry("Closed STUN", "stun:127.0.0.1:" + closedPort, "", "", true,
                        false))));
        ui = new DialogDriver();
        ui.open(store, DialogDriver.transport());
    }

    @AfterEach
    void stop() {
        ui.close();
        rendezvous.stop(0);
    }

    private static void sleep(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> statuses(Table table) {
        return DialogDriver.column(table, DialogDriver.columnIndex(table, "Status"));
    }

    @Test
    void rendezvousChecksRunWithoutBlockingTheDisplay() throws IOException {
        Table table = ui.table("rendezvous");
        long start = System.nanoTime();
        ui.click(ui.button("rendezvous", "checkAll"));
        long clickMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(clickMs < ANSWER_DELAY_MS, "the button returned after " + clickMs + " ms, before any answer");
        assertEquals("○ Checking…", statuses(table).get(0), "running");

        int[] dispatched = {0};
        ui.waitUntil(() -> {
            dispatched[0]++;
            return statuses(table).stream().noneMatch(s -> s.contains("Checking"));
        }, 15_000, "both checks end");
        assertTrue(dispatched[0] > 1, "the display loop ran while the checks did");

        assertTrue(statuses(table).get(0).startsWith("● OK – healthy"), statuses(table).toString());
        assertTrue(statuses(table).get(1).startsWith("● Failed – no answer"), statuses(table).toString());
        assertEquals(0x00_80_00, rgb(table, 0), "OK is green");
        assertEquals(0xC8_00_00, rgb(table, 1), "failed is red");
        ui.screenshot(ui.shell(), "settings-rendezvous-checked");
    }

    @Test
    void theSelectedStunServerIsCheckedThroughTheTransport() {
        Table table = ui.table("ice");
        ui.selectRows(table, 0);
        ui.click(ui.button("ice", "check"));
        ui.waitUntil(() -> !statuses(table).get(0).contains("Checking"), 20_000, "the STUN check ends");
        assertTrue(statuses(table).get(0).startsWith("● Failed"), statuses(table).toString());
    }

    private static int rgb(Table table, int row) {
        var color = table.getItem(row).getForeground(DialogDriver.columnIndex(table, "Status"));
        return color.getRed() << 16 | color.getGreen() << 8 | color.getBlue();
    }
}
