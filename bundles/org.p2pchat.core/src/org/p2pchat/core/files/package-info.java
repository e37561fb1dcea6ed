/**
 * Sending files to a peer: the contract between a transfer engine (a plug-in) and the clients
 * that show transfers. Clients must cope with no engine being installed.
 */
@org.osgi.annotation.versioning.Version("0.4.0")
package org.p2pchat.core.files;
