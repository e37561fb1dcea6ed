package org.p2pchat.rendezvous.internal;

/**
 * A registered peer's session: requests that carry its id and a MAC made with its key act as
 * the peer, without an Ed25519 signature. Lives as long as the registration that opened it.
 *
 * @param id          the session id clients send, base64url of 16 random bytes
 * @param identityKey the peer the session acts as
 * @param macKey      the HMAC-SHA256 key both sides derived from their X25519 agreement
 */
record Session(String id, String identityKey, byte[] macKey) {
}
