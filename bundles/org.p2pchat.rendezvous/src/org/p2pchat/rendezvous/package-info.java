/**
 * The rendezvous ("DHT") service: start and stop a server speaking the original web app's HTTP API
 * and the authenticated API with push delivery ({@code /v1}, the bundle's API.md) within
 * {@link org.p2pchat.rendezvous.RendezvousLimits}. Headless, for the relay product to host.
 */
@org.osgi.annotation.versioning.Version("0.3.0")
package org.p2pchat.rendezvous;
