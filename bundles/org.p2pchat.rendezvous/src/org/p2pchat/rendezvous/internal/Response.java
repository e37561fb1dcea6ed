package org.p2pchat.rendezvous.internal;

import java.util.concurrent.CompletableFuture;

/**
 * An answer to send: the status and the JSON body (null for none), or an answer that comes
 * later ({@code later} non-null: a 200 with its body, or an {@link ApiException} as its failure).
 */
record Response(int status, byte[] body, CompletableFuture<byte[]> later) {

    Response(int status, byte[] body) {
        this(status, body, null);
    }

    /** A 200 whose body comes when {@code later} completes. */
    static Response later(CompletableFuture<byte[]> later) {
        return new Response(200, null, later);
    }
}
