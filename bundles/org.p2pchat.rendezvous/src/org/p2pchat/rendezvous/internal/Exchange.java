package org.p2pchat.rendezvous.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * One request as the routes see it: method, raw path and query, headers, the remote address and
 * the body, read before routing (at most the body limit), and the headers of the answer.
 */
final class Exchange {

    private final Request request;
    private final Response response;
    private final int maxBody;
    private byte[] body = new byte[0];
    private boolean bodyTooLarge;

    Exchange(Request request, Response response, int maxBody) {
        this.request = request;
        this.response = response;
        this.maxBody = maxBody;
    }

    String method() {
        return request.getMethod();
    }

    /** The path as sent, still percent-encoded. */
    String rawPath() {
        String path = request.getHttpURI().getPath();
        return path == null ? "" : path;
    }

    /** The query as sent (percent-encoded), or null if there is none. */
    String rawQuery() {
        return request.getHttpURI().getQuery();
    }

    /** The first value of a request header, or null. */
    String header(String name) {
        return request.getHeaders().get(name);
    }

    /** Every value of a request header (one per header line); null if it is absent, as the JDK server's. */
    List<String> headers(String name) {
        List<String> values = request.getHeaders().getValuesList(name);
        return values.isEmpty() ? null : values;
    }

    void setResponseHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    InetAddress remoteAddress() {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : InetAddress.getLoopbackAddress();
    }

    /** The request body, at most the body limit (413 beyond). */
    byte[] body() throws ApiException {
        if (bodyTooLarge) {
            throw new ApiException(413, "request body exceeds " + maxBody + " bytes");
        }
        return body;
    }

    /** What the front read of the body; {@code tooLarge}: it stopped reading at the limit. */
    void setBody(byte[] body, boolean tooLarge) {
        this.body = body;
        this.bodyTooLarge = tooLarge;
    }

    boolean bodyTooLarge() {
        return bodyTooLarge;
    }

    /**
     * The answer may wait up to {@code seconds} with no byte on the connection (a long-poll): the
     * connection's idle timeout is extended by that much until the request completes.
     */
    void mayWait(int seconds) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        long idleTimeout = endPoint.getIdleTimeout();
        endPoint.setIdleTimeout(idleTimeout + seconds * 1000L);
        Request.addCompletionListener(request, failure -> endPoint.setIdleTimeout(idleTimeout));
    }
}
