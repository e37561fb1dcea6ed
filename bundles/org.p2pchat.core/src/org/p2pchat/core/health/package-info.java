/** Checking that configured network services (STUN/TURN, rendezvous, trackers) answer. */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.p2pchat.core.health;
