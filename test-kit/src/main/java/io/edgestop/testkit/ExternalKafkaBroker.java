package io.edgestop.testkit;

/** A broker someone else runs (named by {@code KAFKA_BOOTSTRAP_SERVERS}); never stopped by tests. */
final class ExternalKafkaBroker extends KafkaBroker {
    private final String bootstrap;

    ExternalKafkaBroker(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    @Override
    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public String kind() {
        return "external";
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
