package org.p2pchat.rendezvous.internal;

import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/** Jetty's own refusals (a bad request line, headers too large, ...) in the service's JSON shape. */
final class JsonErrors extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int status,
            String message, Throwable cause, Callback callback) {
        String reason = switch (status) {
            case 431 -> "the request headers are too large";
            case 414 -> "the request line is too long";
            case 408 -> "the request took too long to arrive";
            default -> message == null || message.isBlank() ? "bad request" : message;
        };
        response.getHeaders().put("Access-Control-Allow-Origin", "*");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpFront.JSON_TYPE);
        byte[] body = Json.error(reason);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
