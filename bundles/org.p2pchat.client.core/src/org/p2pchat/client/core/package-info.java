/**
 * The client layer: what a chat client does, once, for every view (the command line, the desktop
 * window). A view opens a {@link org.p2pchat.client.core.ChatClient} from the
 * {@link org.p2pchat.client.core.ChatClientFactory} service, renders its
 * {@link org.p2pchat.client.core.ClientEvent}s and calls its methods; it never names a connection
 * provider or the transport.
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package org.p2pchat.client.core;
