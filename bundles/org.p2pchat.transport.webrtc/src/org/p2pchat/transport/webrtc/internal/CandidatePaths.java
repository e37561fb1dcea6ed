package org.p2pchat.transport.webrtc.internal;

import java.util.Map;
import java.util.Optional;

import org.p2pchat.core.CandidatePath;
import org.p2pchat.core.CandidatePath.CandidateType;

import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;

/** Finds the selected candidate pair in a stats report. */
final class CandidatePaths {

    private CandidatePaths() {
    }

    static Optional<CandidatePath> selected(RTCStatsReport report) {
        Map<String, RTCStats> stats = report.getStats();
        RTCStats pair = null;
        for (RTCStats s : stats.values()) {
            if (s.getType() == RTCStatsType.TRANSPORT) {
                Object id = s.getAttributes().get("selectedCandidatePairId");
                if (id != null) {
                    pair = stats.get(id.toString());
                }
            }
        }
        if (pair == null) {
            // Older stats without selectedCandidatePairId: the nominated, succeeded pair.
            for (RTCStats s : stats.values()) {
                Map<String, Object> a = s.getAttributes();
                if (s.getType() == RTCStatsType.CANDIDATE_PAIR && Boolean.TRUE.equals(a.get("nominated"))
                        && "succeeded".equals(String.valueOf(a.get("state")))) {
                    pair = s;
                }
            }
        }
        if (pair == null) {
            return Optional.empty();
        }
        RTCStats local = stats.get(String.valueOf(pair.getAttributes().get("localCandidateId")));
        RTCStats remote = stats.get(String.valueOf(pair.getAttributes().get("remoteCandidateId")));
        if (local == null || remote == null) {
            return Optional.empty();
        }
        return Optional.of(new CandidatePath(type(local), type(remote), address(local), address(remote),
                protocol(local)));
    }

    /**
     * How our packets travel: a relayed candidate's own protocol is that of the relayed address (UDP
     * for coturn), so what tells TURN over TCP from TURN over UDP is its {@code relayProtocol}.
     */
    private static String protocol(RTCStats local) {
        Map<String, Object> a = local.getAttributes();
        Object relayProtocol = a.get("relayProtocol");
        if (type(local) == CandidateType.RELAY && relayProtocol != null) {
            // "tls" is TURN over TLS over TCP.
            return "udp".equals(String.valueOf(relayProtocol)) ? "udp" : "tcp";
        }
        return String.valueOf(a.getOrDefault("protocol", "udp"));
    }

    private static CandidateType type(RTCStats candidate) {
        return CandidateType.fromStatsName(String.valueOf(candidate.getAttributes().get("candidateType")));
    }

    private static String address(RTCStats candidate) {
        Map<String, Object> a = candidate.getAttributes();
        Object ip = a.containsKey("address") ? a.get("address") : a.get("ip");
        return ip + ":" + a.get("port");
    }
}
