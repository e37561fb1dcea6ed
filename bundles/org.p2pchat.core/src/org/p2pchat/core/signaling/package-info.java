/**
 * The plug-in interface for ways of finding a peer and exchanging session descriptions with it
 * (manual copy and paste, a rendezvous service, ...). The core names no concrete provider: they
 * register as OSGi services and the client lists what is there.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.p2pchat.core.signaling;
