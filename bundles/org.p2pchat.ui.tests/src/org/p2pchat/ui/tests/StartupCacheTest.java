package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desktop client's start script keeps the JVM's ahead-of-time cache in the user's cache
 * directory: the first start makes it (the JVM writes it when it exits), and a later start, with
 * another profile, loads the classes of the JDK, Equinox and the bundles from it. Starts the
 * materialized product through its script, as a user would.
 */
class StartupCacheTest {

    /** The first start also writes the cache when it exits, in a second JVM: slow on a busy machine. */
    private static final long FIRST_EXIT_SECONDS = 300;
    private static final String CLIENT_PART = "org.p2pchat.ui.internal.parts.ClientPart";

    @Test
    void firstStartMakesTheCacheAndTheNextStartLoadsTheBundlesClassesFromIt(@TempDir Path home) throws Exception {
        if (Runtime.version().feature() < 25) {
            System.out.println("StartupCacheTest: the AOT cache needs Java 25 (the start script uses the newest Java it finds); not tested");
            return;
        }
        Path cache = home.resolve("cache");

        Process first = start(home, cache, home.resolve("first-profile"), "");
        String firstOutput = output(first, FIRST_EXIT_SECONDS);
        assertEquals(0, first.exitValue(), "exit code of the first start:\n" + firstOutput);
        List<Path> made = caches(cache);
        assertEquals(1, made.size(), "one cache after the first start, in " + cache + ":\n" + firstOutput);

        Path classes = home.resolve("classes.log");
        Process second = start(home, cache, home.resolve("second-profile"), "-Xlog:class+load:file=" + classes);
        String secondOutput = output(second, DesktopClientSmokeTest.WAIT_SECONDS);
        assertEquals(0, second.exitValue(), "exit code of the second start:\n" + secondOutput);
        assertEquals(made, caches(cache), "the second start used the cache and made no other");
        String part = Files.readAllLines(classes).stream().filter(l -> l.contains(" " + CLIENT_PART + " "))
                .findFirst().orElse("(not loaded)");
        assertTrue(part.contains("source: shared objects file"),
                "the client part's class comes from the cache: " + part + "\n" + secondOutput);
    }

    private static Process start(Path home, Path cache, Path profile, String vmargs) throws IOException {
        Path script = Path.of(DesktopClientSmokeTest.requiredProperty("p2pchat.product.dir")).resolve("p2pchat");
        Files.createDirectories(profile);
        Files.writeString(profile.resolve("settings.json"), "{\"username\":\"cache-test\"}");
        ProcessBuilder builder = new ProcessBuilder(script.toString(), "--profile", profile.toString())
                .redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        builder.environment().remove("P2PCHAT_AOT_CACHE");
        builder.environment().put("P2PCHAT_VMARGS", "-Dp2pchat.ui.autoclose.ms=500 " + vmargs);
        return builder.start();
    }

    /** Waits for the client to close itself (it does once its window is shown) and returns its output. */
    private static String output(Process client, long seconds) throws Exception {
        try {
            var reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(client.getInputStream().readAllBytes());
                } catch (IOException e) {
                    return "(unreadable: " + e + ")";
                }
            });
            assertTrue(client.waitFor(seconds, TimeUnit.SECONDS), "the client did not exit within " + seconds + " s");
            String out = reader.get(DesktopClientSmokeTest.WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(out.contains(DesktopClientSmokeTest.WINDOW_SHOWN), "no window shown:\n" + out);
            return out;
        } finally {
            client.descendants().forEach(ProcessHandle::destroyForcibly);
            client.destroyForcibly();
        }
    }

    private static List<Path> caches(Path cache) throws IOException {
        Path dir = cache.resolve("p2pchat");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".aot") && Files.isRegularFile(f)).sorted().toList();
        }
    }
}
