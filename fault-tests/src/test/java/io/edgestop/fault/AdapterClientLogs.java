package io.edgestop.fault;

import java.util.List;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps the Kafka client log lines of the adapters' own clients (client ids {@code edgestop-adapter-...},
 * which the client's log context puts in every line) and drops those of the test's clients in the same
 * JVM (load, timelines, verifier); the adapter's own Kafka-side lines (result listener) go with them: fault-logback.xml writes them to target/fault-logs, so a stalled reply
 * path after a broker fault can be read from what the adapter's producer and result listener did.
 */
public final class AdapterClientLogs extends Filter<ILoggingEvent> {

    /** Per-fetch bookkeeping that says nothing the fetch responses (high watermark, last stable offset) do not. */
    private static final List<String> NOISE = List.of("pending request", "Added read_committed fetch request",
            "Sending read_committed", "Sending FETCH request", "Updating last seen epoch");

    @Override
    public FilterReply decide(ILoggingEvent event) {
        if (event.getLoggerName().startsWith("io.edgestop.adapter.")) {
            return FilterReply.NEUTRAL;
        }
        String m = event.getFormattedMessage();
        return m.contains("clientId=edgestop-adapter-") && NOISE.stream().noneMatch(m::contains)
                ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
