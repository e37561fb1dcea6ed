package org.p2pchat.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ip} and {@code tc}, for tests that change the network of their own namespace (cut a
 * link, add one to a second namespace). Only inside releng/scripts/testnet.sh: they never touch
 * the machine's own network.
 */
public final class NetworkCommands {

    private NetworkCommands() {
    }

    /** Fails unless the test runs in testnet.sh's namespace. */
    public static void requireTestNetwork() {
        if (!"1".equals(System.getenv("P2PCHAT_TESTNET"))) {
            throw new AssertionError("changing the network needs the test's own network namespace: run inside "
                    + "releng/scripts/testnet.sh");
        }
    }

    /** Runs {@code ip args}; with {@code mustSucceed}, a non-zero exit fails the test with its output. */
    public static String ip(boolean mustSucceed, String... args) throws IOException, InterruptedException {
        return run(tool("ip"), mustSucceed, args);
    }

    /** Runs {@code tc args}, as {@link #ip}. */
    public static String tc(boolean mustSucceed, String... args) throws IOException, InterruptedException {
        return run(tool("tc"), mustSucceed, args);
    }

    private static String run(String tool, boolean mustSucceed, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tool);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end within 30 s");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (mustSucceed && p.exitValue() != 0) {
            throw new AssertionError(command + " exited with " + p.exitValue() + ": " + output);
        }
        return output;
    }

    /** The tool in the system directories (a test's PATH may lack sbin). */
    private static String tool(String name) {
        for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return dir + "/" + name;
            }
        }
        return name;
    }
}
