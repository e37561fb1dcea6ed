package org.p2pchat.client.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cuts every packet between the addresses of the test's network namespace, as a lost Wi-Fi does,
 * and lets them through again. Two clients in one framework talk over loopback (the kernel
 * delivers traffic between local addresses there, whatever link carries the address), so the
 * cut is a queue of length zero on loopback: everything sent is dropped. Runs inside testnet.sh's
 * namespace only; it never touches the machine's own network.
 */
final class LinkCut implements AutoCloseable {

    private boolean cut;

    void cut() throws IOException, InterruptedException {
        requireTestNetwork();
        tc(true, "qdisc", "add", "dev", "lo", "root", "pfifo", "limit", "0");
        cut = true;
    }

    void restore() throws IOException, InterruptedException {
        if (cut) {
            cut = false;
            tc(true, "qdisc", "del", "dev", "lo", "root");
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        restore();
    }

    private static void requireTestNetwork() {
        if (!"1".equals(System.getenv("P2PCHAT_TESTNET"))) {
            throw new AssertionError("cutting the link needs the test's own network namespace: run inside "
                    + "releng/scripts/testnet.sh");
        }
    }

    private static void tc(boolean mustSucceed, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tcCommand());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end within 30 s");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (mustSucceed) {
            assertEquals(0, p.exitValue(), command + ": " + output);
        }
    }

    private static String tcCommand() {
        for (String candidate : new String[] {"/usr/sbin/tc", "/sbin/tc", "/usr/bin/tc", "/bin/tc"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "tc";
    }
}
