package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.signaling.manual.internal.ManualSignalingProvider;
import org.p2pchat.ui.internal.parts.ClientPart;
import org.p2pchat.ui.internal.parts.Ui;

/**
 * The start page in a window of the product's layout (menu bar, part, bottom trim) at the sizes
 * people use: at 800 x 600 the manual exchange's three steps, "Connect by id" and the status line
 * are in sight without scrolling; at 480 x 360 the page shows a scroll bar and every control on it
 * can be scrolled into view, while the status line stays in sight. "In sight" is checked against
 * the bounds of every composite around a control up to the shell's client area, and each state is
 * photographed.
 */
class HomeLayoutUiTest {

    /** Only reached when what a wait waits for never happens (a busy machine is slow, not broken). */
    private static final long SECONDS = 60;

    private PartHarness harness;
    private ScriptedProvider directory;

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        harness = new PartHarness("HomeLayoutUiTest");
        harness.registerProfile("desk", dir.resolve("desk"));
        directory = new ScriptedProvider();
        harness.clientLayer(new ScriptedTransport(), directory, new ManualSignalingProvider());
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void at800x600EveryStepConnectByIdAndTheStatusLineAreInSight() throws Exception {
        harness.makeInWindow(ClientPart.class, 800, 600);
        harness.chooseMethod("Manual exchange");
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "exchange.connect") != null, SECONDS,
                "the manual exchange is shown");
        harness.settle(300);
        String[] exchange = {"connect.username", "connect.fingerprint", "exchange.createOffer", "exchange.form",
            "exchange.pastedOffer", "exchange.createAnswer", "exchange.pastedAnswer", "exchange.connect",
            "connect.status", "conversations.new", "conversations.call"};
        System.out.println("screenshot: " + harness.screenshot("home-800x600-manual"));
        assertInSight("manual exchange", exchange);
        Label status = harness.byId(Label.class, "connect.status");
        assertTrue(status.getText().startsWith("Ready."), status.getText());
        assertTrue(status.getSize().x >= status.computeSize(org.eclipse.swt.SWT.DEFAULT, org.eclipse.swt.SWT.DEFAULT).x,
                "the status line shows all of its text: " + status.getSize());

        // With the offer made its text shows too, and step 3 stays in sight.
        PartHarness.click(harness.byId(Button.class, "exchange.createOffer"));
        Text offer = harness.byId(Text.class, "exchange.offerText");
        harness.waitUntil(() -> !offer.getText().isEmpty(), SECONDS, "the offer is shown");
        harness.settle(300);
        System.out.println("screenshot: " + harness.screenshot("home-800x600-offer"));
        assertInSight("offer made", "exchange.offerText", "exchange.status.offer", "exchange.pastedAnswer",
                "exchange.connect", "connect.status");

        harness.chooseMethod("Test directory");
        ScriptedProvider.Link link = harness.await(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return directory.links.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, r -> Thread.ofVirtual().start(r)), SECONDS, "the directory is joined");
        link.listed = List.of(ScriptedProvider.webApp("user-1764100000000-carol", "carol"));
        link.report(ProviderStatus.State.ONLINE, "user-1764100000001-desk", "legacy API");
        harness.waitUntil(() -> harness.byId(org.eclipse.swt.widgets.Table.class, "directory.peers").getItemCount() == 1,
                SECONDS, "the people listed appear");
        harness.settle(300);
        System.out.println("screenshot: " + harness.screenshot("home-800x600-directory"));
        assertInSight("directory", "directory.listed", "directory.refresh", "directory.peerId", "directory.connectById",
                "connect.status");
        assertTrue(visiblePart(harness.byId(Control.class, "directory.peers")).height > 0, "the people are in sight");
    }

    @Test
    void at480x360ThePageScrollsToEveryControlAndTheStatusLineStays() throws Exception {
        harness.makeInWindow(ClientPart.class, 480, 360);
        harness.chooseMethod("Manual exchange");
        harness.waitUntil(() -> PartHarness.findById(harness.shell, Button.class, "exchange.connect") != null, SECONDS,
                "the manual exchange is shown");
        harness.settle(300);
        ScrolledComposite page = PartHarness.find(harness.shell, ScrolledComposite.class).get(0);
        assertTrue(page.getVerticalBar().getVisible(), "the page that does not fit shows a vertical scroll bar");
        assertEquals(0, page.getScrollbarsMode(), "classic scroll bars, not GTK's overlay ones that hide until hovered");
        System.out.println("screenshot: " + harness.screenshot("home-480x360-top"));
        assertInSight("small window", "connect.status", "conversations.new", "conversations.call");

        List<Control> controls = withIds(page);
        assertTrue(controls.size() >= 8, "the page's controls: " + controls);
        for (Control control : controls) {
            page.showControl(control);
            harness.settle(50);
            Rectangle seen = visiblePart(control);
            Rectangle bounds = inDisplay(control);
            String what = control.getData(Ui.ID) + " " + bounds;
            assertTrue(seen.width > 0 && seen.height > 0, what + " can be scrolled into view");
            if (bounds.width <= page.getClientArea().width && bounds.height <= page.getClientArea().height) {
                assertEquals(bounds, seen, what + " can be scrolled wholly into view; around it: " + ancestry(control));
            }
        }
        page.showControl(harness.byId(Button.class, "exchange.connect"));
        System.out.println("screenshot: " + harness.screenshot("home-480x360-scrolled"));
        assertInSight("scrolled to step 3", "exchange.connect", "connect.status");
    }

    /** Each control named is shown whole: nothing around it cuts any of it off. */
    private void assertInSight(String when, String... ids) {
        Rectangle client = harness.display.map(harness.shell, null, harness.shell.getClientArea());
        for (String id : ids) {
            Control control = harness.byId(Control.class, id);
            Rectangle bounds = inDisplay(control);
            assertTrue(control.isVisible(), when + ": " + id + " is shown");
            assertEquals(bounds, bounds.intersection(client), when + ": " + id + " lies in the window's client area " + client);
            assertEquals(bounds, visiblePart(control), when + ": " + id + " is not cut off (scrolled away)");
        }
    }

    private static Rectangle inDisplay(Control control) {
        return control.getDisplay().map(control.getParent(), null, control.getBounds());
    }

    /** What of {@code control} can be seen: its bounds cut by the client area of each composite around it. */
    static Rectangle visiblePart(Control control) {
        Rectangle seen = inDisplay(control);
        for (Composite c = control.getParent(); c != null; c = c.getParent()) {
            seen = seen.intersection(control.getDisplay().map(c, null, c.getClientArea()));
            if (c instanceof Shell) {
                break;
            }
        }
        return seen;
    }

    private static String ancestry(Control control) {
        StringBuilder s = new StringBuilder();
        for (Composite c = control.getParent(); c != null; c = c.getParent()) {
            s.append("\n  ").append(c.getClass().getSimpleName()).append(' ')
                    .append(control.getDisplay().map(c, null, c.getClientArea()));
        }
        return s.toString();
    }

    /** The shown controls under {@code root} that have an id (the ones tests and people use). */
    private static List<Control> withIds(Control root) {
        List<Control> found = new ArrayList<>();
        if (!root.getVisible()) {
            return found;
        }
        if (root.getData(Ui.ID) != null && !(root instanceof Label label && label.getText().isEmpty())) {
            found.add(root);
        }
        if (root instanceof Composite composite) {
            for (Control child : composite.getChildren()) {
                found.addAll(withIds(child));
            }
        }
        assertFalse(found.contains(null));
        return found;
    }
}
