package org.p2pchat.testing;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;

/**
 * Guards the network rule: a test that opens WebRTC connections may only run inside the network
 * namespace {@code releng/scripts/testnet.sh} makes, where the only interfaces are loopback and
 * the {@code p2ptest*} veth pair. libwebrtc offers candidates on every interface, so running such
 * a test on the host would send traffic to the machine's own address.
 */
public final class NetworkIsolation {

    /** The addresses testnet.sh puts on its veth pair. */
    public static final String TEST_ADDRESS = "192.0.2.1";
    public static final String TEST_PEER_ADDRESS = "192.0.2.2";

    private NetworkIsolation() {
    }

    /** Throws with instructions unless every interface is loopback or a test interface. */
    public static void requireIsolatedNetwork() {
        List<String> foreign;
        try {
            foreign = NetworkInterface.networkInterfaces()
                    .filter(NetworkIsolation::isUp)
                    .map(NetworkInterface::getName)
                    .filter(name -> !name.equals("lo") && !name.startsWith("p2ptest"))
                    .toList();
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list network interfaces", e);
        }
        if (!foreign.isEmpty()) {
            throw new IllegalStateException("This test opens WebRTC connections and must run in the test network "
                    + "namespace, but interfaces " + foreign + " are present. Run the tests with ./run-tests.sh "
                    + "(or wrap the command in releng/scripts/testnet.sh).");
        }
    }

    private static boolean isUp(NetworkInterface nif) {
        try {
            return nif.isUp();
        } catch (SocketException e) {
            return true;
        }
    }
}
