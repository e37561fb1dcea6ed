package org.p2pchat.natlab.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.natlab.tests.LabPeers.FILE_BYTES;
import static org.p2pchat.natlab.tests.LabPeers.START_SECONDS;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.p2pchat.natlab.tests.LabPeers.Exchange;
import org.p2pchat.natlab.tests.LabPeers.SelectedPair;
import org.p2pchat.testing.CliProcess;
import org.p2pchat.testing.NatLab;

/**
 * Two command-line clients of the built product, each in a host of the NAT lab
 * ({@code releng/scripts/natlab.sh}), with the lab's STUN and TURN servers (coturn, TURN over UDP
 * and TCP) in their options as a person would have them, connect in each topology, chat and send
 * a file; each test checks the candidate pair they report selected and what crossed the server.
 */
class NatTopologyEndToEndTest {

    /** Far below the file: keep-alives, STUN and TURN refreshes, no relayed data. */
    private static final long SIGNALING_ONLY_BYTES = 512 * 1024;

    private static Path script;

    @BeforeAll
    static void lab() throws Exception {
        script = LabPeers.scriptOrSkip();
        LabPeers.clientProduct();
    }

    /**
     * Both on one LAN, meeting through the relay product on the server host: a host-to-host pair,
     * and the server carries only the signaling, not the chat or the file.
     */
    @Test
    void onOneLanThePeersConnectHostToHostAndTheServerCarriesOnlySignaling(TestInfo test) throws Exception {
        Path dir = LabPeers.work(test);
        Path inbox = dir.resolve("inbox");
        try (NatLab lab = NatLab.up(script, dir.resolve("lab"), "lan", "--relay", LabPeers.relayProduct().toString())) {
            String rendezvous = lab.get("RENDEZVOUS_URL");
            List<String> bobArgs = new ArrayList<>(LabPeers.iceServers(lab, lab.get("TURN_PASSWORD")));
            bobArgs.addAll(List.of("--rendezvous", rendezvous, "--accept", "--accept-files", inbox.toString(), "listen"));
            try (CliProcess bob = LabPeers.client(lab, "peerB", "bob", dir, bobArgs)) {
                bob.await(e -> "service".equals(e.get("event").getAsString())
                        && "registered".equals(e.get("state").getAsString()), "registration", START_SECONDS);
                List<String> aliceArgs = new ArrayList<>(LabPeers.iceServers(lab, lab.get("TURN_PASSWORD")));
                aliceArgs.addAll(List.of("--rendezvous", rendezvous, "connect", "bob"));
                try (CliProcess alice = LabPeers.client(lab, "peerA", "alice", dir, aliceArgs)) {
                    alice.awaitState("connected", START_SECONDS);
                    bob.awaitState("connected", LabPeers.STEP_SECONDS);

                    Predicate<SelectedPair> hostToHost = p -> "host".equals(p.localType()) && "host".equals(p.remoteType());
                    for (CliProcess side : List.of(alice, bob)) {
                        SelectedPair pair = SelectedPair.settled(side, hostToHost, "a host-to-host pair");
                        assertEquals("direct", pair.summary(), side.output());
                        assertTrue(hostToHost.test(pair), pair.toString());
                        assertTrue(pair.remoteIp().startsWith("10.0.1."), "the peer's LAN address: " + pair);
                    }
                    Exchange exchange = LabPeers.chatAndSendFile(lab, alice, bob, dir, inbox);
                    assertTrue(hostToHost.test(SelectedPair.latest(alice)), SelectedPair.latest(alice).toString());
                    assertTrue(exchange.serverBytes() < SIGNALING_ONLY_BYTES, "the server carried "
                            + exchange.serverBytes() + " bytes during the chat and a file of " + FILE_BYTES);
                    LabPeers.quit(alice, bob);
                }
            }
        }
    }

    /**
     * Each behind its own endpoint-independent ("cone") NAT: STUN tells each its public address and
     * the two punch through both NATs; TURN is offered but carries nothing.
     */
    @Test
    void behindTwoConeNatsThePeersConnectThroughStunWithoutTurn(TestInfo test) throws Exception {
        Path dir = LabPeers.work(test);
        Path inbox = dir.resolve("inbox");
        try (NatLab lab = NatLab.up(script, dir.resolve("lab"), "cone")) {
            try (CliProcess alice = offerer(lab, dir); CliProcess bob = answerer(lab, dir, inbox)) {
                LabPeers.exchangeDescriptions(alice, bob);
                // ICE may connect on a TURN pair first (its checks need no hole in a NAT) and move on.
                assertPunchedThrough(SelectedPair.settled(alice, p -> !p.relayed(), "a pair without TURN"),
                        lab.get("NATB_PUBLIC"));
                assertPunchedThrough(SelectedPair.settled(bob, p -> !p.relayed(), "a pair without TURN"),
                        lab.get("NATA_PUBLIC"));
                Exchange exchange = LabPeers.chatAndSendFile(lab, alice, bob, dir, inbox);
                assertPunchedThrough(SelectedPair.latest(alice), lab.get("NATB_PUBLIC"));
                assertTrue(exchange.serverBytes() < SIGNALING_ONLY_BYTES, "the TURN server carried "
                        + exchange.serverBytes() + " bytes during the chat and a file of " + FILE_BYTES);
                LabPeers.quit(alice, bob);
            }
        }
    }

    /** Each behind its own symmetric NAT: no hole can be punched, the peers meet on coturn's relay. */
    @Test
    void behindTwoSymmetricNatsThePeersConnectThroughTurn(TestInfo test) throws Exception {
        Path dir = LabPeers.work(test);
        Path inbox = dir.resolve("inbox");
        try (NatLab lab = NatLab.up(script, dir.resolve("lab"), "symmetric")) {
            try (CliProcess alice = offerer(lab, dir); CliProcess bob = answerer(lab, dir, inbox)) {
                LabPeers.exchangeDescriptions(alice, bob);
                Exchange exchange = LabPeers.chatAndSendFile(lab, alice, bob, dir, inbox);
                for (CliProcess side : List.of(alice, bob)) {
                    SelectedPair pair = SelectedPair.latest(side);
                    assertEquals("relay", pair.summary(), side.output());
                    assertTrue(pair.relayed(), pair.toString());
                }
                assertTrue(exchange.serverBytes() >= 2L * FILE_BYTES, "the file goes into coturn and out again: "
                        + exchange.serverBytes() + " bytes for a file of " + FILE_BYTES);
                LabPeers.quit(alice, bob);
            }
        }
    }

    /**
     * Cone NATs, but the network between them drops everything from one to the other (as a
     * firewall between two networks may): only the relay joins them.
     */
    @Test
    void whenTheDirectPathBetweenTwoConeNatsIsBlockedThePeersFallBackToTurn(TestInfo test) throws Exception {
        Path dir = LabPeers.work(test);
        Path inbox = dir.resolve("inbox");
        try (NatLab lab = NatLab.up(script, dir.resolve("lab"), "cone", "--block-direct")) {
            try (CliProcess alice = offerer(lab, dir); CliProcess bob = answerer(lab, dir, inbox)) {
                LabPeers.exchangeDescriptions(alice, bob);
                Exchange exchange = LabPeers.chatAndSendFile(lab, alice, bob, dir, inbox);
                for (CliProcess side : List.of(alice, bob)) {
                    SelectedPair pair = SelectedPair.latest(side);
                    assertTrue(pair.relayed(), pair.toString());
                }
                assertTrue(exchange.serverBytes() >= 2L * FILE_BYTES, "the file goes through coturn: "
                        + exchange.serverBytes() + " bytes for a file of " + FILE_BYTES);
                LabPeers.quit(alice, bob);
            }
        }
    }

    /** Alice's NAT drops all UDP: only her TURN allocation over TCP reaches anything. */
    @Test
    void behindANatThatDropsUdpThePeerConnectsThroughTurnOverTcp(TestInfo test) throws Exception {
        Path dir = LabPeers.work(test);
        Path inbox = dir.resolve("inbox");
        try (NatLab lab = NatLab.up(script, dir.resolve("lab"), "udp-blocked")) {
            try (CliProcess alice = offerer(lab, dir); CliProcess bob = answerer(lab, dir, inbox)) {
                LabPeers.exchangeDescriptions(alice, bob);
                Predicate<String> fromAlice = c -> c.contains(lab.get("NATA_PUBLIC") + ":");
                List<String> tcp = lab.turnTcpConnections();
                assertTrue(tcp.stream().anyMatch(fromAlice), "alice's NAT holds a TCP connection to coturn: " + tcp);

                Exchange exchange = LabPeers.chatAndSendFile(lab, alice, bob, dir, inbox);
                SelectedPair pair = SelectedPair.latest(alice);
                assertEquals("relay", pair.summary(), alice.output());
                assertEquals("relay", pair.localType(), "alice's own candidate is her TURN allocation: " + pair);
                assertTrue(exchange.serverBytes() >= 2L * FILE_BYTES, "the file goes through coturn: "
                        + exchange.serverBytes() + " bytes for a file of " + FILE_BYTES);
                assertTrue(lab.turnTcpConnections().stream().anyMatch(fromAlice), "still over TCP after the file");
                LabPeers.quit(alice, bob);
            }
        }
    }

    /**
     * Behind symmetric NATs only TURN could connect the two, but the credentials they have are
     * wrong (or expired): each is told which server refused them, and the chat does not come about.
     */
    @Test
    void turnCredentialsTheServerRefusesAreReportedNamingTheServer(TestInfo test) throws Exception {
        Path dir = LabPeers.work(test);
        try (NatLab lab = NatLab.up(script, dir.resolve("lab"), "symmetric")) {
            String expired = "an-expired-password";
            try (CliProcess alice = offerer(lab, dir, expired); CliProcess bob = answerer(lab, dir, dir.resolve("inbox"), expired)) {
                bob.send(alice.await("offer", START_SECONDS).get("text").getAsString());
                alice.send(bob.await("answer", START_SECONDS).get("text").getAsString());
                String server = "turn:" + lab.get("SERVER_IP") + ":" + lab.get("TURN_URL").replaceAll(".*:", "");
                for (CliProcess side : List.of(alice, bob)) {
                    JsonObject told = side.first(e -> e.has("text") && e.get("text").isJsonPrimitive()
                            && e.get("text").getAsString().contains(server), "a message naming " + server, LabPeers.STEP_SECONDS);
                    String text = told.get("text").getAsString();
                    assertTrue(text.contains("401") && text.contains("wrong or has expired"), text);
                }
                assertTrue(lab.turnLog().stream().anyMatch(l -> l.contains("credentials are incorrect")),
                        "coturn refused them");
                for (CliProcess side : List.of(alice, bob)) {
                    assertTrue(side.seen("state").stream().noneMatch(e -> "connected".equals(e.get("state").getAsString())),
                            "no path without TURN: " + side.output());
                }
            }
        }
    }

    private static CliProcess offerer(NatLab lab, Path dir) throws Exception {
        return offerer(lab, dir, lab.get("TURN_PASSWORD"));
    }

    private static CliProcess answerer(NatLab lab, Path dir, Path inbox) throws Exception {
        return answerer(lab, dir, inbox, lab.get("TURN_PASSWORD"));
    }

    private static CliProcess offerer(NatLab lab, Path dir, String turnPassword) throws Exception {
        List<String> args = new ArrayList<>(LabPeers.iceServers(lab, turnPassword));
        args.add("offer");
        return LabPeers.client(lab, "peerA", "alice", dir, args);
    }

    private static CliProcess answerer(NatLab lab, Path dir, Path inbox, String turnPassword) throws Exception {
        List<String> args = new ArrayList<>(LabPeers.iceServers(lab, turnPassword));
        args.addAll(List.of("--accept-files", inbox.toString(), "answer"));
        return LabPeers.client(lab, "peerB", "bob", dir, args);
    }

    /** A pair straight to the peer NAT's public address, found by STUN or by the checks themselves. */
    private static void assertPunchedThrough(SelectedPair pair, String peerNatAddress) {
        assertFalse(pair.relayed(), "no TURN: " + pair);
        assertEquals(peerNatAddress, pair.remoteIp(), "straight to the peer's NAT: " + pair);
        assertTrue(List.of("server_reflexive", "peer_reflexive").contains(pair.remoteType()), pair.toString());
    }
}
