package io.edgestop.fault;

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

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return event.getLoggerName().startsWith("io.edgestop.adapter.")
                || event.getFormattedMessage().contains("clientId=edgestop-adapter-") ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
