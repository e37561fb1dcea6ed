package org.p2pchat.history.tests;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.p2pchat.history.internal.H2Histories;

/**
 * Starts {@link HistoryProcess} in a JVM of its own, like a second program on the same profile:
 * the java command of this process, and a class path of the bundles it needs (H2, the history,
 * these tests) found from where the framework installed them.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    static Process start(String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", classPath(),
                HistoryProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String classPath() {
        Bundle tests = FrameworkUtil.getBundle(ChildJvm.class);
        Bundle history = FrameworkUtil.getBundle(H2Histories.class);
        Bundle h2 = null;
        for (Bundle b : tests.getBundleContext().getBundles()) {
            if ("com.h2database".equals(b.getSymbolicName())) {
                h2 = b;
            }
        }
        if (h2 == null) {
            throw new IllegalStateException("H2 (com.h2database) is not installed in this framework");
        }
        Path base = installArea(tests);
        return String.join(File.pathSeparator, path(h2, base), path(history, base), path(tests, base));
    }

    /** Where relative bundle locations start: the framework's install area. */
    private static Path installArea(Bundle any) {
        String area = any.getBundleContext().getProperty("osgi.install.area");
        if (area != null && area.startsWith("file:")) {
            try {
                return Path.of(new URI(area.replace(" ", "%20")));
            } catch (URISyntaxException | IllegalArgumentException e) {
                return Path.of(area.substring("file:".length()));
            }
        }
        return Path.of(System.getProperty("user.dir"));
    }

    /**
     * The jar or folder a bundle was installed from ("reference:file:/...", "initial@reference:file:...",
     * relative to the install area); a bundle of this build run from its project folder has its
     * classes in target/classes.
     */
    private static String path(Bundle bundle, Path base) {
        String location = bundle.getLocation();
        int file = location.indexOf("file:");
        if (file < 0) {
            throw new IllegalStateException("Cannot find " + bundle.getSymbolicName() + " on disk: " + location);
        }
        Path path = base.resolve(location.substring(file + "file:".length())).normalize();
        if (Files.isDirectory(path) && Files.isDirectory(path.resolve("target/classes"))
                && !Files.exists(path.resolve("org"))) {
            path = path.resolve("target/classes");
        }
        return path.toString();
    }
}
