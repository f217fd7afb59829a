package io.edgestop.adapter.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers errors that Jetty raises before the API handler runs (malformed request line, headers
 * too large, bad URI...) in the Alibaba error shape, always with a Code and never a stack trace.
 */
public final class AlibabaErrorHandler implements Request.Handler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() <= 0 ? 500 : response.getStatus();
        String code = switch (status) {
            case 400 -> "InvalidParameter";
            case 404 -> "InvalidAction.NotFound";
            case 405 -> "UnsupportedHTTPMethod";
            case 408 -> "RequestTimeout";
            case 413 -> "EntityTooLarge";
            case 414, 431 -> "RequestHeaderTooLarge";
            case 415 -> "UnsupportedMediaType";
            case 503 -> "ServiceUnavailable";
            default -> status >= 500 ? "InternalError" : "BadRequest";
        };
        Object msg = request.getAttribute(org.eclipse.jetty.server.handler.ErrorHandler.ERROR_MESSAGE);
        String message = "The request could not be processed (HTTP " + status + ")"
                + (msg instanceof String s && !s.isBlank() ? ": " + RequestParser.truncate(s, 200) : "") + ".";
        String body = ResponseBodies.error(io.edgestop.adapter.http.ApiHandler.newRequestId(), "edgestop", code,
                message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ResponseBodies.JSON);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
