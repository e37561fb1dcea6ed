package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.p2pchat.testing.CliProcess;

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
    private static final long COMMAND_SECONDS = EndToEnd.START_SECONDS;

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

        HttpServer server = SimpleFileServer.createFileServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                site(), SimpleFileServer.OutputLevel.NONE);
        server.start();
        try {
            p2pchat(product, dir, "install", "http://127.0.0.1:" + server.getAddress().getPort() + "/", FEATURE);
        } finally {
            server.stop(0);
        }
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

    /** The update site folder this build made ({@code -Dp2pchat.update.site.dir}, set by the pom). */
    private static Path site() {
        Path site = Path.of(System.getProperty("p2pchat.update.site.dir", "(p2pchat.update.site.dir not set)"), "repository");
        assertTrue(Files.isRegularFile(site.resolve("content.jar")), "no update site at " + site);
        return site;
    }

    /** The zipped update site beside the folder. */
    private static Path siteZip() throws IOException {
        try (var files = Files.list(site().getParent())) {
            return files.filter(f -> f.getFileName().toString().matches("org\\.p2pchat\\.repository-.*\\.zip")).findFirst()
                    .orElseThrow(() -> new AssertionError("no zipped update site in " + site().getParent()));
        }
    }

    /**
     * Installs the client product from the update site into {@code into} with p2's director (run
     * from the build's client product), as a user with the site and no product archive would.
     */
    private static Path materializeFromSite(Path into, Path dir) throws Exception {
        run(dir, "materialize", List.of(java(), "-jar", launcher(EndToEnd.clientProduct()).toString(), "-nosplash",
                "-configuration", dir.resolve("director-configuration").toString(),
                "-application", "org.eclipse.equinox.p2.director", "-repository", site().toUri().toString(),
                "-installIU", "org.p2pchat.client", "-destination", into.toString(), "-profile", "DefaultProfile",
                "-profileProperties", "org.eclipse.update.install.features=true"));
        assertTrue(Files.isExecutable(into.resolve("p2pchat")), "the start script is installed from the site");
        return into;
    }

    private static Path launcher(Path product) throws IOException {
        try (var jars = Files.newDirectoryStream(product.resolve("plugins"), "org.eclipse.equinox.launcher_*.jar")) {
            return jars.iterator().next();
        }
    }

    /** The java of this test JVM, for p2's applications. */
    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Runs {@code p2pchat ARGS} of the installed product to its end (exit code 0); returns its output. */
    private static String p2pchat(Path product, Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(product.resolve("p2pchat").toString()));
        command.addAll(List.of(args));
        return run(dir, args[0], command);
    }

    private static String run(Path dir, String label, List<String> command) throws Exception {
        Path output = Files.createTempFile(dir, label, ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("HOME", dir.toString());
        // The test's site is served over plain HTTP on loopback.
        builder.environment().put("P2PCHAT_VMARGS", "-Dp2.httpRule=allow");
        Process process = builder.start();
        if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end in " + COMMAND_SECONDS + " s: "
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + printed);
        return printed;
    }

    /** The connection methods {@code p2pchat cli methods} lists: what the client's provider registry has. */
    private static List<String> methods(Path product, Path profile) throws Exception {
        try (CliProcess methods = CliProcess.start("methods", product, profile, "methods")) {
            assertEquals(0, methods.awaitExit(COMMAND_SECONDS), "'methods' exit code: " + methods.transcript());
            return methods.seen("method").stream().map((JsonObject m) -> m.get("id").getAsString()).toList();
        }
    }

    private static long providerJars(Path plugins) throws IOException {
        try (var files = Files.list(plugins)) {
            return files.filter(f -> f.getFileName().toString().startsWith("org.p2pchat.testing.provider_")).count();
        }
    }
}
