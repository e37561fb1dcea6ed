package org.p2pchat.rendezvous.internal;

/** An answer to send: the status and the JSON body (null for none). */
record Response(int status, byte[] body) {
}
