package org.p2pchat.testing;

import java.io.IOException;
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

/**
 * The update site this build made ({@code releng/org.p2pchat.repository/target/repository}, named
 * by the system property {@code p2pchat.update.site.dir}) and a client installed from it with p2's
 * director, as a user with the site and no product archive would have one.
 */
public final class UpdateSites {

    private UpdateSites() {
    }

    /** The update site folder this build made; fails when there is none. */
    public static Path site() {
        Path site = Path.of(System.getProperty("p2pchat.update.site.dir", "(p2pchat.update.site.dir not set)"), "repository");
        if (!Files.isRegularFile(site.resolve("content.jar"))) {
            throw new IllegalStateException("no update site at " + site + ": build releng/org.p2pchat.repository first");
        }
        return site;
    }

    /**
     * Installs the client product from the site into {@code into} with p2's director, run from
     * {@code clientProduct} (the build's client); {@code dir} holds the director's files and output.
     */
    public static Path materializeClient(Path clientProduct, Path into, Path dir, long seconds) throws Exception {
        run(dir, "materialize", List.of(java(), "-jar", launcher(clientProduct).toString(), "-nosplash",
                "-configuration", dir.resolve("director-configuration").toString(),
                "-application", "org.eclipse.equinox.p2.director", "-repository", site().toUri().toString(),
                "-installIU", "org.p2pchat.client", "-destination", into.toString(), "-profile", "DefaultProfile",
                "-profileProperties", "org.eclipse.update.install.features=true"), seconds);
        if (!Files.isExecutable(into.resolve("p2pchat"))) {
            throw new IllegalStateException("the site installed no start script in " + into);
        }
        return into;
    }

    /**
     * Publishes the features and bundles of {@code source} (a folder with {@code features/} and
     * {@code plugins/}) as an update site at {@code site}, with p2's FeaturesAndBundlesPublisher
     * application of {@code product}; {@code dir} holds its files and output.
     */
    public static Path publish(Path product, Path source, Path site, Path dir, long seconds) throws Exception {
        run(dir, "publish", List.of(java(), "-jar", launcher(product).toString(), "-nosplash",
                "-configuration", dir.resolve("publisher-configuration").toString(),
                "-application", "org.eclipse.equinox.p2.publisher.FeaturesAndBundlesPublisher",
                "-metadataRepository", site.toUri().toString(), "-artifactRepository", site.toUri().toString(),
                "-source", source.toString(), "-publishArtifacts"), seconds);
        return site;
    }

    /**
     * Copies the bundle {@code jar} into the folder {@code plugins} as version {@code version}
     * (its manifest's Bundle-Version changed), for a site with a newer version of a feature.
     */
    public static Path renumberedBundle(Path jar, String symbolicName, String version, Path plugins) throws IOException {
        Path copy = Files.createDirectories(plugins).resolve(symbolicName + "_" + version + ".jar");
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = in.getManifest();
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(copy), manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return copy;
    }

    /** The jar of bundle {@code symbolicName} on the build's update site. */
    public static Path siteBundle(String symbolicName) throws IOException {
        try (var jars = Files.newDirectoryStream(site().resolve("plugins"), symbolicName + "_*.jar")) {
            return jars.iterator().next();
        }
    }

    /** Runs {@code p2pchat ARGS} of an installed product to its end (exit code 0), with HOME in {@code dir}; returns its output. */
    public static String p2pchat(Path product, Path dir, long seconds, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(product.resolve("p2pchat").toString()));
        command.addAll(List.of(args));
        return run(dir, args[0], command, seconds);
    }

    /** The Equinox launcher jar of a product. */
    public static Path launcher(Path product) throws IOException {
        try (var jars = Files.newDirectoryStream(product.resolve("plugins"), "org.eclipse.equinox.launcher_*.jar")) {
            return jars.iterator().next();
        }
    }

    /** The java of this test JVM, for p2's applications. */
    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String run(Path dir, String label, List<String> command, long seconds) throws Exception {
        Path output = Files.createTempFile(Files.createDirectories(dir), label, ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end in " + seconds + " s: "
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue() + ": " + printed);
        }
        return printed;
    }
}
