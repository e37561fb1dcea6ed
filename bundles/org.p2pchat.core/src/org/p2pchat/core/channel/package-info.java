/**
 * The chat protocol above any transport: a transport provides {@link MessageChannel}s (ordered,
 * reliable channels of whole text or binary messages, as a WebRTC data channel is) and this
 * package puts the chat on them ({@link ChatChannel}: the web app's JSON messages, our framing of
 * large ones, the join notice, telling our client from the web app, pings) and byte streams
 * ({@link ByteStreamChannel}), so a second transport reuses all of it unchanged.
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package org.p2pchat.core.channel;
