package io.edgestop.adapter.http;

import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * From the moment the adapter begins to close, every answer carries {@code Connection: close}, decided
 * when the answer is written, not when the request came in.
 *
 * <p>Jetty marks answers non-persistent only once its connector has shut down, and then closes each
 * connection after its answer. An answer whose headers went out as keep-alive just before that (a 503
 * while readiness is already false, or a decision) is followed by a close the caller did not expect:
 * its pool reuses the connection for the next call, which gets no answer at all (HTTP/1.1 lets a client
 * retry that by itself only for idempotent methods, and a V3 stop is a POST). Saying
 * {@code Connection: close} from the first moment of closing leaves no such connection behind.
 */
public final class LastAnswerWhenClosing extends Handler.Wrapper {

    private final BooleanSupplier closing;

    public LastAnswerWhenClosing(Handler handler, BooleanSupplier closing) {
        super(handler);
        this.closing = closing;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return super.handle(request, new Response.Wrapper(request, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback written) {
                if (!isCommitted() && closing.getAsBoolean()) {
                    getHeaders().put(HttpHeader.CONNECTION, "close");
                }
                super.write(last, content, written);
            }
        }, callback);
    }
}
