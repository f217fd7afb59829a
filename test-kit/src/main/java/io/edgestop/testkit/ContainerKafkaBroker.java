package io.edgestop.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/** A Kafka broker in a Testcontainers container, used where a Docker engine answers. */
final class ContainerKafkaBroker extends KafkaBroker {

    /** Image of the official Apache Kafka broker; override with {@code KAFKA_TEST_IMAGE}. */
    static final String DEFAULT_IMAGE = "apache/kafka:4.3.1";

    private final KafkaContainer container;

    private ContainerKafkaBroker(KafkaContainer container) {
        this.container = container;
    }

    /**
     * Asks Testcontainers only when a Docker endpoint could exist at all: its probe logs an
     * ERROR when none answers, which would be noise on every machine without Docker.
     */
    static boolean dockerAvailable() {
        if ("false".equalsIgnoreCase(System.getenv("KAFKA_TEST_DOCKER"))) {
            return false;
        }
        boolean endpoint = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        if (!endpoint) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    static ContainerKafkaBroker start() {
        String image = System.getenv().getOrDefault("KAFKA_TEST_IMAGE", DEFAULT_IMAGE);
        KafkaContainer container = new KafkaContainer(image);
        container.start();
        return new ContainerKafkaBroker(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String kind() {
        return "container";
    }

    @Override
    public void close() {
        container.stop();
    }
}
