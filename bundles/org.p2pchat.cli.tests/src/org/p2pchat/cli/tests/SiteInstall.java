package org.p2pchat.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;

import org.p2pchat.testing.CliProcess;

/**
 * What the install tests share: the update site this build made, a client materialized from it,
 * the shell commands {@code p2pchat install|uninstall|list} run to their end, and the methods
 * {@code p2pchat cli methods} lists.
 */
final class SiteInstall {

    static final long COMMAND_SECONDS = EndToEnd.START_SECONDS;

    private SiteInstall() {
    }

    /** The update site folder this build made ({@code -Dp2pchat.update.site.dir}, set by the pom). */
    static Path site() {
        Path site = Path.of(System.getProperty("p2pchat.update.site.dir", "(p2pchat.update.site.dir not set)"), "repository");
        assertTrue(Files.isRegularFile(site.resolve("content.jar")), "no update site at " + site);
        return site;
    }

    /** The zipped update site beside the folder. */
    static Path siteZip() throws IOException {
        try (var files = Files.list(site().getParent())) {
            return files.filter(f -> f.getFileName().toString().matches("org\\.p2pchat\\.repository-.*\\.zip")).findFirst()
                    .orElseThrow(() -> new AssertionError("no zipped update site in " + site().getParent()));
        }
    }

    /**
     * Installs the client product from the update site into {@code into} with p2's director (run
     * from the build's client product), as a user with the site and no product archive would.
     */
    static Path materializeFromSite(Path into, Path dir) throws Exception {
        run(dir, "materialize", List.of(java(), "-jar", launcher(EndToEnd.clientProduct()).toString(), "-nosplash",
                "-configuration", dir.resolve("director-configuration").toString(),
                "-application", "org.eclipse.equinox.p2.director", "-repository", site().toUri().toString(),
                "-installIU", "org.p2pchat.client", "-destination", into.toString(), "-profile", "DefaultProfile",
                "-profileProperties", "org.eclipse.update.install.features=true"));
        assertTrue(Files.isExecutable(into.resolve("p2pchat")), "the start script is installed from the site");
        return into;
    }

    static Path launcher(Path product) throws IOException {
        try (var jars = Files.newDirectoryStream(product.resolve("plugins"), "org.eclipse.equinox.launcher_*.jar")) {
            return jars.iterator().next();
        }
    }

    /**
     * {@code p2pchat install URL FEATURE}, with the update site this build made served over HTTP on
     * loopback for the command's run: how a user installs from a site on a server.
     */
    static String installOverHttp(Path product, Path dir, String feature) throws Exception {
        HttpServer server = SimpleFileServer.createFileServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                site(), SimpleFileServer.OutputLevel.NONE);
        server.start();
        try {
            return p2pchat(product, dir, "install", "http://127.0.0.1:" + server.getAddress().getPort() + "/", feature);
        } finally {
            server.stop(0);
        }
    }

    /** The java of this test JVM, for p2's applications. */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Runs {@code p2pchat ARGS} of the installed product to its end (exit code 0); returns its output. */
    static String p2pchat(Path product, Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(product.resolve("p2pchat").toString()));
        command.addAll(List.of(args));
        return run(dir, args[0], command);
    }

    static String run(Path dir, String label, List<String> command) throws Exception {
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
    static List<JsonObject> methodEvents(Path product, Path profile) throws Exception {
        try (CliProcess methods = CliProcess.start("methods", product, profile, "methods")) {
            assertEquals(0, methods.awaitExit(COMMAND_SECONDS), "'methods' exit code: " + methods.transcript());
            return methods.seen("method");
        }
    }

    /** The ids of the connection methods {@code p2pchat cli methods} lists. */
    static List<String> methods(Path product, Path profile) throws Exception {
        return methodEvents(product, profile).stream().map(m -> m.get("id").getAsString()).toList();
    }

    /** How many jars in {@code plugins} are of the bundle {@code symbolicName}. */
    static long jarsOf(Path plugins, String symbolicName) throws IOException {
        try (var files = Files.list(plugins)) {
            return files.filter(f -> f.getFileName().toString().startsWith(symbolicName + "_")).count();
        }
    }
}
