/** The bytes on the chat channel: the web app's JSON messages and our framing for large ones. */
@org.osgi.annotation.versioning.Version("0.2.0")
package org.p2pchat.core.wire;
