package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.cli.tests.SiteInstall.launcher;
import static org.p2pchat.cli.tests.SiteInstall.installOverHttp;
import static org.p2pchat.cli.tests.SiteInstall.java;
import static org.p2pchat.cli.tests.SiteInstall.materializeFromSite;
import static org.p2pchat.cli.tests.SiteInstall.methods;
import static org.p2pchat.cli.tests.SiteInstall.p2pchat;
import static org.p2pchat.cli.tests.SiteInstall.run;
import static org.p2pchat.cli.tests.SiteInstall.siteZip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * A user adds and removes a connection provider in an installed client, with the update site this
 * build made ({@code releng/org.p2pchat.repository/target/repository} and its zip): the client
 * product is materialized from the site by p2's director; the optional feature
 * {@code org.p2pchat.testing.provider.feature} (method {@code test-folder}) is installed with
 * {@code p2pchat install}, from the site served over HTTP on loopback; {@code p2pchat list} names
 * it and at the next start its provider runs ({@code p2pchat cli methods} lists the method); the
 * same command with a site holding a newer version updates it (one jar left, the newer);
 * {@code p2pchat uninstall} removes it (not listed, no method, its jar gone from plugins/); its jar
 * dropped into {@code dropins/} installs it again at the next start, and taking it out removes it.
 */
class PluginInstallEndToEndTest {

    private static final String FEATURE = "org.p2pchat.testing.provider.feature";
    private static final String METHOD = "test-folder";
    private static final String NEWER_VERSION = "9.0.0.v1";

    @Test
    void aProviderFeatureIsInstalledFromTheSiteListedUpdatedUninstalledAndDroppedIn(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        Path product = materializeFromSite(dir.resolve("installed"), dir);
        Path profile = dir.resolve("profile");
        assertEquals(List.of("dht", "manual"), methods(product, profile).stream().sorted().toList(),
                "the methods of the client as the site installs it");
        assertFalse(p2pchat(product, dir, "list").contains(FEATURE), "not installed at first");
        String offered = p2pchat(product, dir, "list", siteZip().toString());
        assertTrue(offered.contains(FEATURE + " ") && offered.contains("org.p2pchat.client.feature "),
                "the zipped site offers the client and the provider: " + offered);

        installOverHttp(product, dir, FEATURE);
        assertTrue(p2pchat(product, dir, "list").contains(FEATURE + " "), "listed once installed");
        assertTrue(methods(product, profile).contains(METHOD), "the provider runs at the next start");
        assertEquals(1, providerJars(product.resolve("plugins")), "its jar is in plugins/");

        Path newer = newerProviderSite(product, dir.resolve("newer-site"), dir);
        p2pchat(product, dir, "install", newer.toString(), FEATURE);
        assertTrue(p2pchat(product, dir, "list").contains(FEATURE + " " + NEWER_VERSION), "updated to the newer version");
        assertTrue(Files.exists(product.resolve("plugins/org.p2pchat.testing.provider_" + NEWER_VERSION + ".jar")),
                "the newer jar is installed");
        assertEquals(1, providerJars(product.resolve("plugins")), "the older jar is gone from plugins/");
        assertTrue(methods(product, profile).contains(METHOD), "the updated provider runs at the next start");

        p2pchat(product, dir, "uninstall", FEATURE);
        assertFalse(p2pchat(product, dir, "list").contains(FEATURE), "not listed once uninstalled");
        assertFalse(methods(product, profile).contains(METHOD), "the method is gone at the next start");
        assertEquals(0, providerJars(product.resolve("plugins")), "its jar is gone from plugins/");

        Path dropins = Files.createDirectories(product.resolve("dropins"));
        Path dropped = Files.copy(EndToEnd.testProviderJar(), dropins.resolve(EndToEnd.testProviderJar().getFileName()));
        assertTrue(p2pchat(product, dir, "list").contains("dropins/" + dropped.getFileName()), "list names dropins/");
        assertTrue(methods(product, profile).contains(METHOD), "the dropped-in provider runs at the next start");
        Files.delete(dropped);
        assertFalse(methods(product, profile).contains(METHOD), "taken out of dropins/, the method is gone");
    }

    /**
     * The product as the build archives it carries its framework cache in configuration/ (every
     * bundle installed and resolved, Equinox's -initialize), which a profile's first start begins
     * from. A feature installed later with {@code p2pchat install} is not in that cache: the
     * client still starts it, and once uninstalled (its jar gone) it is gone from the client too.
     */
    @Test
    void theBuiltProductWithItsFrameworkCacheTakesAProviderInAndOut(TestInfo test) throws Exception {
        Path dir = EndToEnd.work(test);
        Path product = dir.resolve("installed");
        try (var files = Files.walk(EndToEnd.clientProduct())) {
            for (Path from : files.toList()) {
                Path to = product.resolve(EndToEnd.clientProduct().relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        assertTrue(Files.isDirectory(product.resolve("configuration/org.eclipse.osgi")),
                "the build's product holds its framework cache");
        Path profile = dir.resolve("profile");
        assertEquals(List.of("dht", "manual"), methods(product, profile).stream().sorted().toList(),
                "the methods of the product as built");

        installOverHttp(product, dir, FEATURE);
        assertTrue(methods(product, profile).contains(METHOD), "the installed provider runs at the next start");
        assertTrue(methods(product, dir.resolve("new-profile")).contains(METHOD),
                "and at the first start of a new profile, whose cache begins from the installation's");

        p2pchat(product, dir, "uninstall", FEATURE);
        assertEquals(0, providerJars(product.resolve("plugins")), "its jar is gone from plugins/");
        assertEquals(List.of("dht", "manual"), methods(product, profile).stream().sorted().toList(),
                "the method is gone at the next start, and nothing else is");
        assertEquals(List.of("dht", "manual"), methods(product, dir.resolve("newer-profile")).stream().sorted().toList(),
                "and from a new profile");
    }

    /**
     * An update site at {@code site} with the test provider feature in a newer version
     * ({@link #NEWER_VERSION}): the bundle this build made with that Bundle-Version, published
     * with p2's FeaturesAndBundlesPublisher application (part of the installed product).
     */
    private static Path newerProviderSite(Path product, Path site, Path dir) throws Exception {
        Path source = dir.resolve("newer-source");
        Path plugins = Files.createDirectories(source.resolve("plugins"));
        try (JarInputStream in = new JarInputStream(Files.newInputStream(EndToEnd.testProviderJar()))) {
            Manifest manifest = in.getManifest();
            manifest.getMainAttributes().putValue("Bundle-Version", NEWER_VERSION);
            try (JarOutputStream out = new JarOutputStream(
                    Files.newOutputStream(plugins.resolve("org.p2pchat.testing.provider_" + NEWER_VERSION + ".jar")), manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        Path feature = Files.createDirectories(source.resolve("features").resolve(FEATURE + "_" + NEWER_VERSION));
        Files.writeString(feature.resolve("feature.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <feature id="%s" label="P2P Chat Test Provider (folder mailbox)" version="%s" provider-name="P2P Chat">
                   <plugin id="org.p2pchat.testing.provider" version="%s"/>
                </feature>
                """.formatted(FEATURE, NEWER_VERSION, NEWER_VERSION), StandardCharsets.UTF_8);
        run(dir, "publish", List.of(java(), "-jar", launcher(product).toString(), "-nosplash",
                "-configuration", dir.resolve("publisher-configuration").toString(),
                "-application", "org.eclipse.equinox.p2.publisher.FeaturesAndBundlesPublisher",
                "-metadataRepository", site.toUri().toString(), "-artifactRepository", site.toUri().toString(),
                "-source", source.toString(), "-publishArtifacts"));
        return site;
    }

    private static long providerJars(Path plugins) throws IOException {
        return SiteInstall.jarsOf(plugins, "org.p2pchat.testing.provider");
    }
}
