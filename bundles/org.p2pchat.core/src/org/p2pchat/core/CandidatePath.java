package org.p2pchat.core;

/**
 * The candidate pair ICE selected, so a user can see how the peers are connected.
 *
 * @param local         our side's candidate type
 * @param remote        the peer's candidate type
 * @param localAddress  {@code ip:port} of our candidate, as ICE reports it
 * @param remoteAddress {@code ip:port} of the peer's candidate
 * @param protocol      {@code udp} or {@code tcp}: how our packets travel, which for a relayed
 *                      candidate is how we reach the TURN server (TURN over TCP is {@code tcp})
 */
public record CandidatePath(CandidateType local, CandidateType remote, String localAddress, String remoteAddress,
        String protocol) {

    /** The kinds of ICE candidate (RFC 8445). */
    public enum CandidateType {
        HOST, SERVER_REFLEXIVE, PEER_REFLEXIVE, RELAY, UNKNOWN;

        /** Maps the stats names {@code host}, {@code srflx}, {@code prflx}, {@code relay}. */
        public static CandidateType fromStatsName(String name) {
            if (name == null) {
                return UNKNOWN;
            }
            return switch (name) {
                case "host" -> HOST;
                case "srflx" -> SERVER_REFLEXIVE;
                case "prflx" -> PEER_REFLEXIVE;
                case "relay" -> RELAY;
                default -> UNKNOWN;
            };
        }
    }

    /**
     * How a person would name the path: {@code relay} (a TURN server relays on either side),
     * {@code STUN} (an address a NAT gave, learned from a STUN server or from the peer's checks),
     * or {@code direct} (both peers' own addresses).
     */
    public String summary() {
        if (local == CandidateType.RELAY || remote == CandidateType.RELAY) {
            return "relay";
        }
        if (local == CandidateType.SERVER_REFLEXIVE || remote == CandidateType.SERVER_REFLEXIVE
                || local == CandidateType.PEER_REFLEXIVE || remote == CandidateType.PEER_REFLEXIVE) {
            return "STUN";
        }
        return "direct";
    }

    /** {@code UDP} or {@code TCP}, as a person reads it. */
    public String transport() {
        return "tcp".equalsIgnoreCase(protocol) ? "TCP" : "UDP";
    }

    /**
     * The path in a few words for a chat window's status line, as its {@link #summary()} and
     * {@link #transport()}: "Direct, UDP", "STUN, UDP" (through a NAT) or "Relay (TURN), TCP".
     */
    public String description() {
        String how = switch (summary()) {
            case "relay" -> "Relay (TURN)";
            case "STUN" -> "STUN";
            default -> "Direct";
        };
        return how + ", " + transport();
    }

    @Override
    public String toString() {
        return summary() + " (" + protocol + " " + localAddress + " -> " + remoteAddress + ", "
                + local.name().toLowerCase() + "/" + remote.name().toLowerCase() + ")";
    }
}
