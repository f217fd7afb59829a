package io.edgestop.devtools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

import io.edgestop.kafka.KafkaClientSettings;

/**
 * A real single-node Kafka (KRaft, combined broker + controller) running in this JVM, for the
 * dev stack and {@code edge-stop broker}. Its data lives in {@code <dataDir>/kafka}.
 *
 * <ul>
 * <li>fresh start (default): the directory is wiped, formatted with a new cluster id
 *     ({@code kafka.tools.StorageTool format --standalone}) and started;</li>
 * <li>resume: an already formatted directory is started as it is, with all its topics and
 *     records (and the ports it used last time, kept in {@code ports.properties}).</li>
 * </ul>
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dir;
    private final boolean resumed;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dir, boolean resumed) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
        this.resumed = resumed;
    }

    /**
     * Starts the dev stack's broker (listening on and advertising localhost) and waits until it answers.
     *
     * @param dataDir    parent directory; the broker uses {@code dataDir/kafka}
     * @param brokerPort client port; 0 picks a free one; a busy port falls back to a free one
     * @param resume     keep the data of the previous run when there is one
     */
    public static EmbeddedKafka start(Path dataDir, int brokerPort, boolean resume) throws IOException {
        Path dir = dataDir.toAbsolutePath().resolve("kafka");
        Path logDir = dir.resolve("log");
        Path portsFile = dir.resolve("ports.properties");
        boolean formatted = Files.exists(logDir.resolve("meta.properties"));
        boolean resumed = resume && formatted && Files.exists(portsFile);
        if (!resumed) {
            deleteRecursively(dir);
        }
        Files.createDirectories(logDir);

        int port;
        int controllerPort;
        if (resumed) {
            Properties ports = new Properties();
            try (var r = Files.newBufferedReader(portsFile)) {
                ports.load(r);
            }
            port = Integer.parseInt(ports.getProperty("broker"));
            controllerPort = Integer.parseInt(ports.getProperty("controller"));
            if (brokerPort != 0 && brokerPort != port) {
                log.warn("resuming on the broker port of the previous run ({}), not {}", port, brokerPort);
            }
        } else {
            port = brokerPort == 0 || !isFree(brokerPort) ? freePort() : brokerPort;
            if (brokerPort != 0 && port != brokerPort) {
                log.warn("port {} is busy: the embedded broker listens on {}", brokerPort, port);
            }
            controllerPort = freePort();
            Properties ports = new Properties();
            ports.setProperty("broker", Integer.toString(port));
            ports.setProperty("controller", Integer.toString(controllerPort));
            try (Writer w = Files.newBufferedWriter(portsFile)) {
                ports.store(w, "ports of the embedded broker, reused by --resume");
            }
        }
        Listeners listeners = new Listeners("PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
                "PLAINTEXT://localhost:" + port);
        return start(dir, listeners, resumed);
    }

    /**
     * Starts a broker with the given listeners (for {@code edge-stop broker}, e.g. in a container) and
     * waits until it answers. Data in {@code dataDir/kafka}: an already formatted directory is started as
     * it is, otherwise it is formatted with a new cluster id.
     */
    public static EmbeddedKafka start(Path dataDir, Listeners listeners) throws IOException {
        Path dir = dataDir.toAbsolutePath().resolve("kafka");
        boolean formatted = Files.exists(dir.resolve("log").resolve("meta.properties"));
        Files.createDirectories(dir.resolve("log"));
        return start(dir, listeners, formatted);
    }

    private static EmbeddedKafka start(Path dir, Listeners listeners, boolean formatted) throws IOException {
        Path logDir = dir.resolve("log");
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.bootstrap.servers", "localhost:" + listeners.port(Listeners.CONTROLLER));
        props.put("listeners", listeners.listeners());
        props.put("advertised.listeners", listeners.advertised());
        props.put("listener.security.protocol.map", listeners.protocolMap());
        props.put("controller.listener.names", Listeners.CONTROLLER);
        props.put("inter.broker.listener.name", Listeners.INTER_BROKER);
        props.put("log.dirs", logDir.toString());
        // one broker: internal topics with 3 replicas would never get a leader
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "false");
        props.put("log.retention.check.interval.ms", "300000");

        if (!formatted) {
            Path config = dir.resolve("server.properties");
            try (Writer w = Files.newBufferedWriter(config)) {
                props.store(w, "embedded broker");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rc;
            try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                        config.toString(), "--standalone"}, ps);
            }
            if (rc != 0) {
                throw new IOException("formatting " + logDir + " failed (" + rc + "): " + out.toString(StandardCharsets.UTF_8));
            }
        }

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka = new EmbeddedKafka(server, "localhost:" + listeners.port(Listeners.INTER_BROKER), dir, formatted);
        try {
            kafka.awaitReady(Duration.ofSeconds(60));
        } catch (IOException | RuntimeException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    /**
     * Where the broker listens ({@code NAME://host:port,...}; an empty host binds every interface) and
     * what it advertises to clients. Every listener is PLAINTEXT; {@value #CONTROLLER} is the KRaft
     * controller's, {@value #INTER_BROKER} the one the broker itself and the readiness check use.
     */
    public record Listeners(String listeners, String advertised) {

        static final String CONTROLLER = "CONTROLLER";
        static final String INTER_BROKER = "PLAINTEXT";

        public Listeners {
            Map<String, Integer> ports = ports(listeners, "listeners");
            for (String required : List.of(CONTROLLER, INTER_BROKER)) {
                if (!ports.containsKey(required)) {
                    throw new IllegalArgumentException("listeners must name a " + required + " listener: " + listeners);
                }
            }
            Set<String> advertisedNames = ports(advertised, "advertised listeners").keySet();
            if (advertisedNames.contains(CONTROLLER) || !ports.keySet().containsAll(advertisedNames)) {
                throw new IllegalArgumentException("advertised listeners must be listeners other than " + CONTROLLER
                        + ": " + advertised);
            }
        }

        int port(String name) {
            return ports(listeners, "listeners").get(name);
        }

        String protocolMap() {
            return ports(listeners, "listeners").keySet().stream().map(n -> n + ":PLAINTEXT").collect(Collectors.joining(","));
        }

        private static Map<String, Integer> ports(String list, String what) {
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (String listener : list.split(",")) {
                Matcher m = LISTENER.matcher(listener.trim());
                if (!m.matches()) {
                    throw new IllegalArgumentException(what + ": not NAME://host:port: " + listener.trim());
                }
                if (ports.put(m.group(1), Integer.parseInt(m.group(2))) != null) {
                    throw new IllegalArgumentException(what + ": " + m.group(1) + " named twice");
                }
            }
            return ports;
        }

        private static final Pattern LISTENER = Pattern.compile("([A-Z][A-Z0-9_]*)://[^:/,]*:(\\d{1,5})");
    }

    private void awaitReady(Duration timeout) throws IOException {
        try (Admin admin = Admin.create(KafkaClientSettings.none().clientProperties(bootstrapServers))) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the embedded broker", e);
        } catch (Exception e) {
            throw new IOException("the embedded broker did not become ready on " + bootstrapServers, e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** True when this run continued the data of a previous one. */
    public boolean resumed() {
        return resumed;
    }

    public Path directory() {
        return dir;
    }

    /** Controlled shutdown; the data stays for {@code --resume}. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("embedded broker shutdown: {}", e.toString());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("localhost", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
