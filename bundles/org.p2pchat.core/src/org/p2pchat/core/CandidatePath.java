package org.p2pchat.core;

/**
 * The candidate pair ICE selected, so a user can see how the peers are connected.
 *
 * @param local         our side's candidate type
 * @param remote        the peer's candidate type
 * @param localAddress  {@code ip:port} of our candidate, as ICE reports it
 * @param remoteAddress {@code ip:port} of the peer's candidate
 * @param protocol      {@code udp} or {@code tcp}
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

    /** How a person would name the path: {@code relay}, {@code STUN} or {@code direct}. */
    public String summary() {
        if (local == CandidateType.RELAY || remote == CandidateType.RELAY) {
            return "relay";
        }
        if (local == CandidateType.SERVER_REFLEXIVE || remote == CandidateType.SERVER_REFLEXIVE) {
            return "STUN";
        }
        return "direct";
    }

    @Override
    public String toString() {
        return summary() + " (" + protocol + " " + localAddress + " -> " + remoteAddress + ", "
                + local.name().toLowerCase() + "/" + remote.name().toLowerCase() + ")";
    }
}
