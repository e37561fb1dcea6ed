package org.p2pchat.natlab.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.p2pchat.testing.NatLab;

/**
 * The lab's coturn carries the hardening a public TURN server needs: a peer behind a NAT, with
 * valid credentials, may relay to public addresses (the lab's "internet") but not to the server's
 * loopback, nor to private, link-local, CGNAT, multicast or reserved addresses, the lab's own
 * private LANs included. Asked by a small TURN client ({@link TurnProbe}) running in the peer's host.
 */
class TurnHardeningTest {

    private static Path script;

    @BeforeAll
    static void lab() throws Exception {
        script = LabPeers.scriptOrSkip();
    }

    @Test
    void aPeerBehindANatMayRelayToPublicAddressesButNotToLoopbackOrPrivateOnes(TestInfo test) throws Exception {
        Path dir = LabPeers.work(test);
        try (NatLab lab = NatLab.up(script, dir.resolve("lab"), "cone")) {
            List<String> forbidden = List.of("127.0.0.1:3478", "127.0.0.53:53", "10.20.30.40:5000",
                    lab.get("PEERB_IP") + ":5000", "172.16.0.1:5000", "192.168.1.1:5000", "169.254.169.254:80",
                    "100.64.0.1:5000", "0.0.0.1:5000", "224.0.0.251:5353", "240.0.0.1:5000");
            List<String> allowed = List.of(lab.get("NATB_PUBLIC") + ":40000", lab.get("SERVER_IP") + ":49200");
            List<String> peers = new ArrayList<>(forbidden);
            peers.addAll(allowed);
            Map<String, String> answers = probe(lab, lab.get("TURN_PASSWORD"), peers);
            assertTrue(answers.get("ALLOCATED").startsWith(lab.get("SERVER_IP") + ":"), answers.toString());
            for (String peer : forbidden) {
                assertEquals("403", code(answers, "PERMISSION " + peer), "CreatePermission to " + peer + ": " + answers);
                assertEquals("403", code(answers, "CHANNEL " + peer), "ChannelBind to " + peer + ": " + answers);
            }
            for (String peer : allowed) {
                assertEquals("200", code(answers, "PERMISSION " + peer), "CreatePermission to " + peer + ": " + answers);
                assertEquals("200", code(answers, "CHANNEL " + peer), "ChannelBind to " + peer + ": " + answers);
            }
            // And only with the right credentials.
            Map<String, String> wrong = probe(lab, "not-the-password", List.of(lab.get("NATB_PUBLIC") + ":40000"));
            assertTrue(wrong.getOrDefault("ALLOCATE-FAILED", "").startsWith("401"), wrong.toString());
            assertTrue(lab.turnLog().stream().anyMatch(l -> l.contains("403")), "coturn logged the refusals");
        }
    }

    /** Runs {@link TurnProbe} in peerA; its answers by the line's first words ("PERMISSION 10.0.0.1:5" -> "403 Forbidden IP"). */
    private static Map<String, String> probe(NatLab lab, String password, List<String> peers) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path classes = Path.of(System.getProperty("p2pchat.natlab.classes", "(p2pchat.natlab.classes not set)"));
        assertTrue(Files.isDirectory(classes), "the tests' classes at " + classes);
        List<String> command = new ArrayList<>(List.of(java, "-cp", classes.toString(), TurnProbe.class.getName(),
                lab.get("SERVER_IP"), lab.get("TURN_URL").replaceAll(".*:", ""), lab.get("TURN_USER"), password));
        command.addAll(peers);
        return lab.exec("peerA", command.toArray(String[]::new)).lines().filter(l -> l.matches("(ALLOCATED|ALLOCATE-FAILED|PERMISSION|CHANNEL) .*"))
                .collect(Collectors.toMap(TurnHardeningTest::key, l -> l.substring(key(l).length()).strip(),
                        (a, b) -> a));
    }

    private static String key(String line) {
        String[] words = line.split(" ");
        return words[0].startsWith("ALLOCATE") ? words[0] : words[0] + " " + words[1];
    }

    private static String code(Map<String, String> answers, String key) {
        String answer = answers.get(key);
        return answer == null ? "(no answer)" : answer.split(" ")[0];
    }
}
