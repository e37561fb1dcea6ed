/**
 * Test support shared by the test bundles: the network isolation guard, drivers for the
 * command-line client, the relay, the web app and a window manager, and server fixtures. Only our
 * tests import it, so its API is not compared with the API baseline.
 */
@org.osgi.annotation.versioning.Version("0.3.0")
package org.p2pchat.testing;
