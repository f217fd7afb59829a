package io.edgestop.adapter.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import io.edgestop.api.ApiError;

/**
 * Answers errors that Jetty raises before the API handler runs (malformed request line, headers
 * too large, bad URI...) in the Alibaba error shape, always with a Code and never a stack trace.
 */
public final class AlibabaErrorHandler implements Request.Handler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() <= 0 ? 500 : response.getStatus();
        String code = (switch (status) {
            case 400 -> ApiError.INVALID_PARAMETER;
            case 404 -> ApiError.INVALID_ACTION;
            case 405 -> ApiError.UNSUPPORTED_HTTP_METHOD;
            case 408 -> ApiError.REQUEST_TIMEOUT;
            case 413 -> ApiError.ENTITY_TOO_LARGE;
            case 414, 431 -> ApiError.REQUEST_HEADER_TOO_LARGE;
            case 415 -> ApiError.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ApiError.SERVICE_UNAVAILABLE;
            default -> status >= 500 ? ApiError.INTERNAL_ERROR : ApiError.BAD_REQUEST;
        }).code();
        Object msg = request.getAttribute(org.eclipse.jetty.server.handler.ErrorHandler.ERROR_MESSAGE);
        String message = "The request could not be processed (HTTP " + status + ")"
                + (msg instanceof String s && !s.isBlank() ? ": " + RequestParser.truncate(s, 200) : "") + ".";
        String body = ResponseBodies.error(io.edgestop.adapter.http.ApiHandler.newRequestId(), "edgestop", code,
                message, false);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ResponseBodies.JSON);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
