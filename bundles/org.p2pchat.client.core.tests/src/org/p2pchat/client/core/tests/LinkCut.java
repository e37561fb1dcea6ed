package org.p2pchat.client.core.tests;

import java.io.IOException;

import org.p2pchat.testing.NetworkCommands;

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
        NetworkCommands.requireTestNetwork();
        NetworkCommands.tc(true, "qdisc", "add", "dev", "lo", "root", "pfifo", "limit", "0");
        cut = true;
    }

    void restore() throws IOException, InterruptedException {
        if (cut) {
            cut = false;
            NetworkCommands.tc(true, "qdisc", "del", "dev", "lo", "root");
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        restore();
    }
}
