package org.p2pchat.install.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.equinox.p2.core.IProvisioningAgentProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.p2pchat.install.AvailableUpdate;
import org.p2pchat.install.InstallException;
import org.p2pchat.install.PluginFeature;
import org.p2pchat.install.PluginInstallation;
import org.p2pchat.install.SiteCategory;
import org.p2pchat.install.UpdateSite;
import org.p2pchat.install.internal.P2PluginInstallation;
import org.p2pchat.testing.UpdateSites;

/**
 * What the desktop client's install dialogs call, on a client installed from the update site
 * this build made: the site's categories and features, installing the test provider feature,
 * finding and installing its newer version on another site, uninstalling it, and the errors a
 * person can act on (no site there, no update site, unreachable, nothing selected, already
 * installed, a requirement missing).
 */
class PluginInstallationTest {

    private static final long SECONDS = 180;
    private static final String TEST_FEATURE = "org.p2pchat.testing.provider.feature";
    private static final String NEWER = "9.0.0.v1";

    private static IProvisioningAgentProvider agents;

    @BeforeAll
    static void agentProvider() throws InterruptedException {
        BundleContext context = FrameworkUtil.getBundle(PluginInstallationTest.class).getBundleContext();
        ServiceTracker<IProvisioningAgentProvider, IProvisioningAgentProvider> tracker = new ServiceTracker<>(context,
                IProvisioningAgentProvider.class, null);
        tracker.open();
        agents = tracker.waitForService(30_000);
        assertTrue(agents != null, "no p2 agent provider in the test runtime");
    }

    @Test
    void theSiteListsTheLanProviderUnderConnectionMethods(@TempDir Path installation) throws Exception {
        PluginInstallation plugins = new P2PluginInstallation(agents, installation);
        UpdateSite site = plugins.readSite(plugins.siteLocation(UpdateSites.site().toString()), null);
        SiteCategory methods = site.categories().stream().filter(c -> c.name().equals("P2P Chat Connection Methods"))
                .findFirst().orElseThrow(() -> new AssertionError("no category of connection methods: " + site));
        PluginFeature lan = methods.features().stream().filter(f -> f.id().equals("org.p2pchat.lan.feature")).findFirst()
                .orElseThrow(() -> new AssertionError("no LAN provider among the methods: " + methods));
        assertEquals("P2P Chat Local Network Discovery", lan.name());
        assertTrue(lan.description().contains("local network"), lan.description());
        assertTrue(site.categories().stream().noneMatch(c -> c.name().equals("Other")),
                "the features in no category (parts of others) are not offered: " + site);
    }

    @Test
    void theSiteOffersNoProgramToInstallIntoAClient(@TempDir Path installation) throws Exception {
        PluginInstallation plugins = new P2PluginInstallation(agents, installation);
        UpdateSite site = plugins.readSite(plugins.siteLocation(UpdateSites.site().toString()), null);
        List<String> offered = site.categories().stream().flatMap(c -> c.features().stream()).map(PluginFeature::id)
                .toList();
        assertFalse(offered.contains("org.p2pchat.client.feature"), "the client is offered to itself: " + offered);
        assertFalse(offered.contains("org.p2pchat.relay.feature"), "the relay is offered to the client: " + offered);
    }

    @Test
    void sitesThatAreNoneOrCannotBeReachedAreSaidSo(@TempDir Path installation, @TempDir Path folder) throws Exception {
        PluginInstallation plugins = new P2PluginInstallation(agents, installation);
        assertTrue(message(() -> plugins.siteLocation("  ")).startsWith("Enter an update site"));
        assertTrue(message(() -> plugins.siteLocation(folder.resolve("missing").toString())).contains("no folder or .zip"));
        assertEquals(folder.toUri(), plugins.siteLocation(folder.toString()));
        Path zip = Files.writeString(folder.resolve("site.zip"), "");
        assertEquals(URI.create("jar:" + zip.toUri() + "!/"), plugins.siteLocation(zip.toString()));

        String notASite = message(() -> plugins.readSite(folder.toUri(), null));
        assertTrue(notASite.contains("is not an update site"), notASite);
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String unreachable = message(() -> plugins.readSite(URI.create("https://127.0.0.1:" + closed + "/site/"), null));
        assertTrue(unreachable.contains("Cannot reach an update site at https://127.0.0.1:" + closed), unreachable);
    }

    @Test
    void aFeatureIsInstalledUpdatedFromANewerSiteAndUninstalled(@TempDir Path dir) throws Exception {
        Path product = UpdateSites.materializeClient(Path.of(System.getProperty("p2pchat.product.dir")),
                dir.resolve("installed"), dir, SECONDS);
        PluginInstallation plugins = new P2PluginInstallation(agents, product);
        URI site = UpdateSites.site().toUri();
        assertEquals(List.of(), plugins.installed(), "nothing optional installed at first");
        assertTrue(message(() -> plugins.install(site, List.of(), null)).contains("Select at least one"));

        plugins.install(site, List.of(TEST_FEATURE), null);
        PluginFeature installed = only(plugins.installed());
        assertEquals(TEST_FEATURE, installed.id());
        assertEquals(1, providerJars(product), "its bundle is in plugins/");
        assertTrue(UpdateSites.p2pchat(product, dir, SECONDS, "list").contains(TEST_FEATURE + " " + installed.version()),
                "the shell command sees what the dialog installed");
        assertTrue(message(() -> plugins.install(site, List.of(TEST_FEATURE), null)).contains("already installed"));

        URI newer = newerTestProviderSite(product, dir).toUri();
        plugins.readSite(newer, null); // the dialog reads a site before anything is installed from it
        AvailableUpdate update = only(plugins.availableUpdates(null));
        assertEquals(installed, update.installed());
        assertEquals(NEWER, update.newer().version());
        plugins.update(List.of(TEST_FEATURE), null);
        assertEquals(NEWER, only(plugins.installed()).version(), "updated");
        assertTrue(Files.exists(product.resolve("plugins/org.p2pchat.testing.provider_" + NEWER + ".jar")));
        assertEquals(1, providerJars(product), "the older bundle is gone");
        assertEquals(List.of(), plugins.availableUpdates(null), "nothing newer now");

        plugins.uninstall(List.of(TEST_FEATURE), null);
        assertEquals(List.of(), plugins.installed(), "uninstalled");
        assertEquals(0, providerJars(product), "its bundle is gone from plugins/");
        assertTrue(message(() -> plugins.uninstall(List.of(TEST_FEATURE), null)).contains("is not installed"));
    }

    @Test
    void aFeatureThatCannotBeInstalledSaysWhatIsMissing(@TempDir Path dir) throws Exception {
        Path product = UpdateSites.materializeClient(Path.of(System.getProperty("p2pchat.product.dir")),
                dir.resolve("installed"), dir, SECONDS);
        Path source = dir.resolve("source");
        Path feature = Files.createDirectories(source.resolve("features/org.example.needy.feature_1.0.0"));
        Files.createDirectories(source.resolve("plugins"));
        Files.writeString(feature.resolve("feature.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <feature id="org.example.needy.feature" label="Needy" version="1.0.0">
                   <requires><import plugin="org.example.nowhere" version="1.0.0" match="greaterOrEqual"/></requires>
                </feature>
                """, StandardCharsets.UTF_8);
        Path site = UpdateSites.publish(product, source, dir.resolve("needy-site"), dir, SECONDS);
        PluginInstallation plugins = new P2PluginInstallation(agents, product);
        String refused = message(() -> plugins.install(site.toUri(), List.of("org.example.needy.feature"), null));
        assertTrue(refused.startsWith("Cannot install Needy 1.0.0"), refused);
        assertTrue(refused.contains("org.example.nowhere"), "names what is missing: " + refused);
        assertEquals(List.of(), plugins.installed(), "nothing installed");
    }

    /** A site with the test provider feature in version {@link #NEWER}: its bundle from the build's site, renumbered. */
    private static Path newerTestProviderSite(Path product, Path dir) throws Exception {
        Path source = dir.resolve("newer-source");
        UpdateSites.renumberedBundle(UpdateSites.siteBundle("org.p2pchat.testing.provider"), "org.p2pchat.testing.provider",
                NEWER, source.resolve("plugins"));
        Path feature = Files.createDirectories(source.resolve("features").resolve(TEST_FEATURE + "_" + NEWER));
        Files.writeString(feature.resolve("feature.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <feature id="%s" label="P2P Chat Test Provider (folder mailbox)" version="%s" provider-name="P2P Chat">
                   <plugin id="org.p2pchat.testing.provider" version="%s"/>
                </feature>
                """.formatted(TEST_FEATURE, NEWER, NEWER), StandardCharsets.UTF_8);
        return UpdateSites.publish(product, source, dir.resolve("newer-site"), dir, SECONDS);
    }

    private static <T> T only(List<T> list) {
        assertEquals(1, list.size(), "one: " + list);
        return list.get(0);
    }

    private interface Call {
        void run() throws Exception;
    }

    private static String message(Call call) {
        return assertThrows(InstallException.class, call::run).getMessage();
    }

    private static long providerJars(Path product) throws IOException {
        try (var files = Files.list(product.resolve("plugins"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("org.p2pchat.testing.provider_")).count();
        }
    }
}
