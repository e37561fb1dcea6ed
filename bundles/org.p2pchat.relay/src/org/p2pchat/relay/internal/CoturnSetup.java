package org.p2pchat.relay.internal;

import java.nio.file.Path;
import java.util.List;

/**
 * The coturn the relay supervises ({@code turn = supervise}): what goes into its config, made from
 * stunturn/turnserver.conf.template. {@link #toString()} leaves the secret out.
 *
 * @param listenIp   the address it listens on; empty: every address
 * @param externalIp PUBLIC or PUBLIC/PRIVATE; empty: none
 * @param binary     the program: a path, or a name looked up on PATH
 * @param allowedPeerIps ranges allowed despite the hardening
 */
record CoturnSetup(String listenIp, int port, String externalIp, int minPort, int maxPort, String realm, String secret,
        Path workDir, String binary, List<String> allowedPeerIps) {

    @Override
    public String toString() {
        return "coturn on " + (listenIp.isEmpty() ? "every address" : listenIp) + " port " + port
                + (externalIp.isEmpty() ? "" : ", external " + externalIp) + ", relay ports " + minPort + "-"
                + maxPort + ", realm " + realm + ", work directory " + workDir;
    }
}
