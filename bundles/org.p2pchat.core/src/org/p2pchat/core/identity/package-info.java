/**
 * Who a peer is: each profile's long-term Ed25519 identity, proofs that bind a session
 * description's DTLS fingerprints to it, safety numbers people compare, and contacts remembered
 * on first use.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.p2pchat.core.identity;
