package org.p2pchat.lan.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.internal.settings.JsonSettingsStore;
import org.p2pchat.core.settings.SettingsStore;
import org.p2pchat.lan.LanSettings;
import org.p2pchat.lan.ui.internal.LanSettingsPage;

/** The local network page as the settings dialog drives it: built from the section, saved on OK. */
class LanSettingsPageTest {

    @TempDir
    Path profile;
    private Shell shell;

    @AfterEach
    void close() {
        if (shell != null) {
            shell.dispose();
        }
    }

    private LanSettingsPage open(SettingsStore store) {
        shell = new Shell(Display.getDefault());
        shell.setText("Local network");
        shell.setLayout(new FillLayout());
        LanSettingsPage page = new LanSettingsPage(store);
        page.create(shell);
        shell.setSize(520, 260);
        shell.layout(true, true);
        return page;
    }

    /** Shows the page and saves what the screen shows in target/screenshots/{@code name}.png, to look at. */
    private void screenshot(String name) throws Exception {
        shell.open();
        Display display = shell.getDisplay();
        long until = System.currentTimeMillis() + 1000; // let the window be mapped and painted
        while (System.currentTimeMillis() < until) {
            if (!display.readAndDispatch()) {
                Thread.sleep(20);
            }
        }
        var bounds = shell.getBounds();
        Image image = new Image(display, bounds.width, bounds.height);
        GC gc = new GC(display);
        try {
            gc.copyArea(image, bounds.x, bounds.y);
            Path dir = java.nio.file.Files.createDirectories(Path.of("target", "screenshots"));
            ImageLoader loader = new ImageLoader();
            loader.data = new org.eclipse.swt.graphics.ImageData[] {image.getImageData()};
            loader.save(dir.resolve(name + ".png").toString(), SWT.IMAGE_PNG);
        } finally {
            gc.dispose();
            image.dispose();
        }
    }

    @Test
    void announcingIsOnByDefaultAndTurningItOffSavesListenOnlyKeepingTheRest() throws Exception {
        SettingsStore store = new JsonSettingsStore(profile);
        LanSettingsPage page = open(store);
        assertTrue(page.announce().getSelection(), "a profile without the section announces");

        store.section(LanSettings.SECTION).write(new LanSettings(false, "239.1.2.3", 40123, List.of("192.0.2.1")));
        page = open(store);
        page.announce().setSelection(false);
        page.save();
        LanSettings saved = new JsonSettingsStore(profile).section(LanSettings.SECTION).read(LanSettings.class,
                LanSettings::defaults);
        assertEquals(new LanSettings(true, "239.1.2.3", 40123, List.of("192.0.2.1")), saved);

        page = open(new JsonSettingsStore(profile));
        assertFalse(page.announce().getSelection(), "listen-only is shown as not announcing");
        screenshot("lan-settings-page-listen-only");
    }
}
