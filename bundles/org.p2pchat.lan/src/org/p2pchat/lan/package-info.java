/**
 * The local network provider's settings, stored under its id ({@code lan}) in the profile, for a
 * settings page and for tests.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.p2pchat.lan;
