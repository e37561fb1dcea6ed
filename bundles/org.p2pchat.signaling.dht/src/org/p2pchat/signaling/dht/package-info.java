/**
 * The rendezvous ("DHT") provider's settings, stored under its id ({@code dht}) in the profile, for
 * the settings page and the migration of older profiles.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.p2pchat.signaling.dht;
