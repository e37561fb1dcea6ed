package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.eclipse.swt.widgets.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.p2pchat.client.core.internal.ChatClientService;
import org.p2pchat.testing.BrokenProviderBundles;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * A provider plug-in that does not resolve, installed while the desktop client runs: the Connect
 * page names it in a line with why, the methods stay listed; removed, the line goes.
 */
class BrokenProviderUiTest {

    private static final long SECONDS = 60;
    private static final String BROKEN = "connect.broken";

    private PartHarness harness;
    private Bundle fixture;

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        harness = new PartHarness("BrokenProviderUiTest");
        harness.registerProfile("desk", dir.resolve("desk"));
        ChatClientService layer = harness.clientLayerOfTheFramework();
        layer.watch(harness.bundleContext); // what the component does when DS activates it
        harness.make(ClientPart.class, 960, 700);
        fixture = harness.bundleContext.installBundle(BrokenProviderBundles.unresolved(dir.resolve("fixtures")).toUri()
                .toString());
    }

    @AfterEach
    void close() throws BundleException {
        if (fixture != null && fixture.getState() != Bundle.UNINSTALLED) {
            fixture.uninstall();
        }
        harness.close();
    }

    @Test
    void theConnectPageNamesABrokenProviderPluginWithWhy() throws Exception {
        harness.waitUntil(() -> line() != null, SECONDS, "the broken plug-in is named");
        String line = line();
        assertTrue(line.startsWith("Broken test provider (does not resolve) (" + BrokenProviderBundles.UNRESOLVED
                + " 1.0.0) cannot be loaded: it needs the package " + BrokenProviderBundles.MISSING_PACKAGE), line);
        harness.chooseMethod("Manual exchange"); // the methods are still there
        System.out.println("screenshot: " + harness.screenshot("broken-provider-named"));

        fixture.uninstall();
        harness.waitUntil(() -> line() == null, SECONDS, "the line goes with the plug-in");
    }

    /** The Connect page's line naming the fixture, or null. */
    private String line() {
        return PartHarness.find(harness.parent(), Label.class).stream()
                .filter(l -> !l.isDisposed() && BROKEN.equals(l.getData(org.p2pchat.ui.internal.parts.Ui.ID)))
                .map(Label::getText).filter(t -> t.contains(BrokenProviderBundles.UNRESOLVED)).findFirst().orElse(null);
    }
}
