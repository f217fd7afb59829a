package io.edgestop.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.TestcontainersConfiguration;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;

/** A Kafka broker in a Testcontainers container, used where a Docker engine answers and has the images. */
final class ContainerKafkaBroker extends KafkaBroker {

    /** Image of the official Apache Kafka broker; override with {@code KAFKA_TEST_IMAGE}. */
    static final String DEFAULT_IMAGE = "apache/kafka:4.3.1";
    /** How long one missing image may take to pull before the in-process broker is used instead. */
    static final Duration PULL_TIMEOUT = Duration.ofSeconds(90);

    /** Whether (and why not) containers are used: decided once per JVM, a pull is not retried per test class. */
    record Availability(boolean usable, String reason) {
    }

    private static Availability availability;

    private final KafkaContainer container;

    private ContainerKafkaBroker(KafkaContainer container) {
        this.container = container;
    }

    static String image() {
        return System.getenv().getOrDefault("KAFKA_TEST_IMAGE", DEFAULT_IMAGE);
    }

    /**
     * Whether a Kafka container can start here. Asks Docker only when an endpoint could exist at
     * all (its probe logs an ERROR when none answers: noise on every machine without Docker; then
     * the reason is null). With an engine, checks that it has the images a container needs (Kafka's
     * and, unless disabled, Testcontainers' Ryuk) or can pull them within {@link #PULL_TIMEOUT},
     * before Testcontainers itself is asked: it would retry an unobtainable pull for minutes.
     */
    static synchronized Availability availability() {
        if (availability == null) {
            availability = probe();
        }
        return availability;
    }

    private static Availability probe() {
        if ("false".equalsIgnoreCase(System.getenv("KAFKA_TEST_DOCKER"))) {
            return new Availability(false, null);
        }
        boolean endpoint = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        if (!endpoint) {
            return new Availability(false, null);
        }
        DockerClient docker;
        try {
            // the engine's client without Testcontainers' start-up (which starts Ryuk, pulling its image)
            docker = DockerClientProviderStrategy.getClientForConfig(DockerClientFactory.instance().getTransportConfig());
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            return new Availability(false, null);
        }
        List<String> images = new ArrayList<>(List.of(image()));
        if (!Boolean.parseBoolean(TestcontainersConfiguration.getInstance().getEnvVarOrProperty("ryuk.disabled", "false"))) {
            images.add(TestcontainersConfiguration.getInstance().getRyukImage());
        }
        for (String image : images) {
            String missing = obtain(docker, image);
            if (missing != null) {
                return new Availability(false, missing);
            }
        }
        return new Availability(true, null);
    }

    /** Null when the engine has {@code image} (pulling it if need be), else why not. */
    private static String obtain(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return null;
        } catch (NotFoundException absent) {
            // pulled below
        }
        PullOutcome pull = new PullOutcome();
        try {
            if (!docker.pullImageCmd(image).exec(pull).awaitCompletion(PULL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                pull.close();
                return "image " + image + " could not be pulled within " + PULL_TIMEOUT.toSeconds() + " s";
            }
            if (pull.error == null) {
                docker.inspectImageCmd(image).exec();
                return null;
            }
            return "image " + image + " cannot be pulled (" + firstLine(pull.error) + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while pulling " + image;
        } catch (IOException | RuntimeException e) {
            return "image " + image + " cannot be pulled (" + firstLine(e) + ")";
        }
    }

    private static String firstLine(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("").trim();
    }

    /** Keeps a failed pull's error for the one WARN line (docker-java's default logs it as an ERROR with a stack trace). */
    private static final class PullOutcome extends ResultCallback.Adapter<PullResponseItem> {
        volatile Throwable error;

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
            try {
                close();
            } catch (IOException ignored) {
                // closing a finished pull's stream
            }
        }
    }

    static ContainerKafkaBroker start() {
        KafkaContainer container = new KafkaContainer(image());
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
