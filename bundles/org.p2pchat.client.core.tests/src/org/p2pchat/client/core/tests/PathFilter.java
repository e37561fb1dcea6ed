package org.p2pchat.client.core.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.p2pchat.testing.NetworkCommands;

/**
 * Lets only relayed paths through between the test network's addresses, as a network that blocks
 * peer-to-peer traffic does: packets to and from the TURN server's port pass, and those between
 * two of its relay ports (one peer's relay to the other's, inside the server); every other UDP and
 * TCP packet between 192.0.2.x addresses is dropped. {@link #noUdp} also drops UDP to the TURN
 * server, as a network that blocks all UDP. Two clients in one
 * framework talk over loopback, so the filter sits on {@code lo}: an htb root whose filters put
 * the dropped packets in a class with a queue of length zero (the kernel here has no tc actions).
 * Loopback's own 127.0.0.1 traffic passes. Runs inside testnet.sh's namespace only.
 */
final class PathFilter implements AutoCloseable {

    /** coturn's relay ports ({@link org.p2pchat.testing.Coturn}: 49152-49200) lie in 49152-49215. */
    private static final String RELAY_PORTS = "49152";
    private static final String RELAY_MASK = "0xffc0";
    private static final String TEST_NET = "192.0.2.0/24";

    private final int turnPort;
    private boolean on;

    PathFilter(int turnPort) {
        this.turnPort = turnPort;
    }

    /** Only relayed paths from now on. */
    void relayOnly() throws IOException, InterruptedException {
        install(true);
    }

    /** Only relayed paths, reached over TCP: no UDP to the TURN server either. */
    void noUdp() throws IOException, InterruptedException {
        install(false);
    }

    private void install(boolean udpToTurn) throws IOException, InterruptedException {
        NetworkCommands.requireTestNetwork();
        keepHostPortsOutOfTheRelayRange();
        tc("qdisc", "add", "dev", "lo", "root", "handle", "1:", "htb", "default", "1");
        on = true;
        tc("class", "add", "dev", "lo", "parent", "1:", "classid", "1:1", "htb", "rate", "10gbit");
        tc("class", "add", "dev", "lo", "parent", "1:", "classid", "1:2", "htb", "rate", "10gbit");
        tc("qdisc", "add", "dev", "lo", "parent", "1:2", "handle", "2:", "pfifo", "limit", "0");
        String port = Integer.toString(turnPort);
        for (String protocol : udpToTurn ? new String[] {"17", "6"} : new String[] {"6"}) {
            pass("match", "ip", "protocol", protocol, "0xff", "match", "ip", "dport", port, "0xffff");
            pass("match", "ip", "protocol", protocol, "0xff", "match", "ip", "sport", port, "0xffff");
        }
        pass("match", "ip", "protocol", "17", "0xff", "match", "ip", "sport", RELAY_PORTS, RELAY_MASK,
                "match", "ip", "dport", RELAY_PORTS, RELAY_MASK);
        drop("17");
        drop("6");
    }

    private void pass(String... match) throws IOException, InterruptedException {
        filter("1", "1:1", match);
    }

    private void drop(String protocol) throws IOException, InterruptedException {
        filter("2", "1:2", "match", "ip", "src", TEST_NET, "match", "ip", "dst", TEST_NET, "match", "ip", "protocol",
                protocol, "0xff");
    }

    private static void filter(String prio, String classId, String... match) throws IOException, InterruptedException {
        String[] head = {"filter", "add", "dev", "lo", "parent", "1:", "protocol", "ip", "prio", prio, "u32"};
        String[] args = new String[head.length + match.length + 2];
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(match, 0, args, head.length, match.length);
        args[args.length - 2] = "classid";
        args[args.length - 1] = classId;
        tc(args);
    }

    /**
     * Host candidates must not take a port in the relay range, or a direct pair could pass as a
     * relayed one: this namespace's ephemeral ports are moved below it.
     */
    private static void keepHostPortsOutOfTheRelayRange() throws IOException {
        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"), "20000 40000");
    }

    private static void tc(String... args) throws IOException, InterruptedException {
        NetworkCommands.tc(true, args);
    }

    /** Lets everything through again. */
    void off() throws IOException, InterruptedException {
        if (on) {
            on = false;
            NetworkCommands.tc(true, "qdisc", "del", "dev", "lo", "root");
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        off();
    }
}
