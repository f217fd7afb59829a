package io.edgestop.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension that starts (or finds) one real Kafka broker per test class.
 *
 * <p>Which broker, in order:
 * <ol>
 *   <li>the one named by the environment variable {@code KAFKA_BOOTSTRAP_SERVERS};</li>
 *   <li>a Testcontainers Kafka container when a Docker engine answers and has (or can pull) the
 *       images; when it cannot, one WARN line says why and names the settings;</li>
 *   <li>an in-process KRaft broker from {@code kafka-test-common-runtime}.</li>
 * </ol>
 * The broker lives in the class-level extension store, so JUnit closes it after the class.
 */
public final class RealKafkaExtension implements BeforeAllCallback, ParameterResolver {

    private static final Logger log = LoggerFactory.getLogger(RealKafkaExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RealKafkaExtension.class);
    private static final String KEY = "broker";

    @Override
    public void beforeAll(ExtensionContext context) {
        broker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return broker(extensionContext);
    }

    private static KafkaBroker broker(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent(KEY, k -> new ClosingBroker(start()), ClosingBroker.class).broker;
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    static KafkaBroker start() {
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            log.info("Using external Kafka at {}", external);
            return new ExternalKafkaBroker(external.trim());
        }
        ContainerKafkaBroker.Availability docker = ContainerKafkaBroker.availability();
        if (docker.usable()) {
            log.info("Docker answers: starting a Kafka container");
            return ContainerKafkaBroker.start();
        }
        if (docker.reason() != null) {
            warnOnce("Docker answers but " + docker.reason() + ": using the in-process broker (KAFKA_TEST_IMAGE names an"
                    + " image the engine has, KAFKA_TEST_DOCKER=false skips Docker)");
        }
        return InProcessKafkaBroker.start();
    }

    private static boolean warned;

    private static synchronized void warnOnce(String message) {
        if (!warned) {
            warned = true;
            log.warn(message);
        }
    }

    /** Store value that JUnit closes when the class context ends. */
    private static final class ClosingBroker implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final KafkaBroker broker;

        ClosingBroker(KafkaBroker broker) {
            this.broker = broker;
        }

        @Override
        public void close() {
            broker.close();
        }
    }
}
