package io.edgestop.devtools;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.adapter.AdapterConfig;
import io.edgestop.adapter.ApiAdapter;
import io.edgestop.adapter.auth.InMemoryCredentialStore;
import io.edgestop.devtools.console.Console;
import io.edgestop.devtools.console.ConsoleState;
import io.edgestop.edge.EdgeWorker;
import io.edgestop.edge.EdgeWorkerConfig;
import io.edgestop.edge.SimulatedJobController;
import io.edgestop.kafka.KafkaClientProperties;
import io.edgestop.kafka.KafkaClientSettings;
import io.edgestop.kafka.ReadToEnd;
import io.edgestop.launcher.Seed;
import io.edgestop.launcher.SeedLoader;
import io.edgestop.ops.QueryToken;
import io.edgestop.orchestrator.Orchestrator;
import io.edgestop.orchestrator.kafka.TopicProvisioner;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.orchestrator.state.JobLookup;
import io.edgestop.orchestrator.topology.CheckpointKey;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.Topics;

/**
 * The whole system in one process: an embedded KRaft broker (or any given bootstrap servers),
 * the topics, the seed, the orchestrator, simulated edge workers (one per seeded cluster, and
 * one for every cluster that appears in job-state later, see {@link NewClusterWatch}), the HTTP adapter and
 * the operator console (any free port, a password made for this run). {@link #start(Options)} returns when everything is ready; {@link #close()}
 * stops it all in reverse order.
 */
public final class DevStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DevStack.class);

    /**
     * @param bootstrapServers an existing cluster, or null for the embedded broker
     * @param kafkaPort        port of the embedded broker (0 = any free port)
     * @param dataDir          broker data and orchestrator state
     * @param seedFile         seed file, or null for the demo seed
     * @param resume           keep the data of the previous run (the seed is then not loaded again)
     * @param topicPrefix      prefix of every topic
     * @param httpHost         adapter bind address
     * @param httpPort         adapter port (0 = any free port)
     * @param partitions       partitions of the created topics
     * @param stopLatency      simulated time a job takes to stop
     * @param failureRate      simulated failure rate of a stop
     */
    public record Options(String bootstrapServers, int kafkaPort, Path dataDir, Path seedFile, boolean resume,
            String topicPrefix, String httpHost, int httpPort, int partitions, Duration stopLatency,
            double failureRate) {

        public static Options defaults() {
            return new Options(null, 9092, Path.of("data"), null, false, Topics.DEFAULT_PREFIX, "127.0.0.1", 8080, 3,
                    Duration.ofMillis(100), 0.0);
        }

        public Options withBootstrapServers(String v) {
            return new Options(v, kafkaPort, dataDir, seedFile, resume, topicPrefix, httpHost, httpPort, partitions,
                    stopLatency, failureRate);
        }

        public Options withDataDir(Path v) {
            return new Options(bootstrapServers, kafkaPort, v, seedFile, resume, topicPrefix, httpHost, httpPort,
                    partitions, stopLatency, failureRate);
        }

        public Options withTopicPrefix(String v) {
            return new Options(bootstrapServers, kafkaPort, dataDir, seedFile, resume, v, httpHost, httpPort,
                    partitions, stopLatency, failureRate);
        }

        public Options withHttpPort(int v) {
            return new Options(bootstrapServers, kafkaPort, dataDir, seedFile, resume, topicPrefix, httpHost, v,
                    partitions, stopLatency, failureRate);
        }

        public Options withKafkaPort(int v) {
            return new Options(bootstrapServers, v, dataDir, seedFile, resume, topicPrefix, httpHost, httpPort,
                    partitions, stopLatency, failureRate);
        }

        public Options withStopLatency(Duration v) {
            return new Options(bootstrapServers, kafkaPort, dataDir, seedFile, resume, topicPrefix, httpHost, httpPort,
                    partitions, v, failureRate);
        }

        public Options withResume(boolean v) {
            return new Options(bootstrapServers, kafkaPort, dataDir, seedFile, v, topicPrefix, httpHost, httpPort,
                    partitions, stopLatency, failureRate);
        }
    }

    /** The audit checkpoint key of a dev stack (private and public), in its data directory. */
    public static final String CHECKPOINT_KEY_FILE = "audit-checkpoint-key.pem";
    /** Its public key alone, what {@code edge-stop audit verify --checkpoint-key} takes. */
    public static final String CHECKPOINT_PUBLIC_KEY_FILE = "audit-checkpoint-key.pub.pem";

    private final Options options;
    private final Seed seed;
    private final Topics topics;
    private final List<AutoCloseable> started = new CopyOnWriteArrayList<>(); // the watch adds workers
    private final List<EdgeWorker> workers = new CopyOnWriteArrayList<>();
    private final Map<String, SimulatedJobController> edges = new ConcurrentHashMap<>();
    private boolean closed; // guarded by this
    private EmbeddedKafka kafka;
    private String bootstrapServers;
    private Orchestrator orchestrator;
    private ApiAdapter adapter;
    private Console console;
    private final String consolePassword = Console.newPassword();
    private boolean seeded;

    private DevStack(Options options, Seed seed) {
        this.options = options;
        this.seed = seed;
        this.topics = new Topics(options.topicPrefix());
    }

    /** Starts everything and waits until it is ready (or throws, having stopped what it started). */
    public static DevStack start(Options options) throws Exception {
        Seed seed = Seed.loadOrDemo(options.seedFile());
        DevStack stack = new DevStack(options, seed);
        try {
            stack.startAll();
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Path dataDir = options.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        boolean resumed = false;
        if (options.bootstrapServers() == null) {
            kafka = EmbeddedKafka.start(dataDir, options.kafkaPort(), options.resume());
            started.add(kafka);
            bootstrapServers = kafka.bootstrapServers();
            resumed = kafka.resumed();
            log.info("embedded Kafka {} on {} ({})", resumed ? "resumed" : "started", bootstrapServers,
                    kafka.directory());
        } else {
            bootstrapServers = options.bootstrapServers();
            resumed = options.resume();
        }

        Path stateDir = dataDir.resolve("orchestrator-state");
        if (!resumed) {
            EmbeddedKafka.deleteRecursively(stateDir); // a fresh broker makes old local state meaningless
        }

        try (Admin admin = admin()) {
            TopicProvisioner.createAll(admin, topics, options.partitions(), (short) 1);
            TopicProvisioner.createDirectiveTopics(admin, topics, seed.clusters(), options.partitions(), (short) 1);
        }

        if (!resumed) {
            SeedLoader.Loaded loaded = SeedLoader.load(KafkaClientSettings.none().clientProperties(bootstrapServers), topics, seed);
            seeded = true;
            log.info("seed loaded: {}", loaded);
        } else {
            log.info("resuming: the seed is not loaded again (job state continues from the previous run)");
        }

        Map<String, String> oc = new LinkedHashMap<>();
        oc.put("bootstrap.servers", bootstrapServers);
        oc.put("topic.prefix", topics.prefix());
        oc.put("application.id", topics.prefix() + "orchestrator");
        oc.put("state.dir", stateDir.toString());
        oc.put("replication.factor", "1");
        oc.put("num.standby.replicas", "0");
        oc.put("topic.partitions", Integer.toString(options.partitions()));
        oc.put(OrchestratorConfig.ADMIN_HOST, options.httpHost());
        oc.put(OrchestratorConfig.ADMIN_PORT, "0");
        // the job query endpoint answers any account's jobs to the adapter: loopback only, whatever the HTTP host,
        // with a token made for this run and handed to both sides in memory (never printed)
        String queryToken = QueryToken.generate();
        oc.put(OrchestratorConfig.QUERY_PORT, "0");
        oc.put(OrchestratorConfig.QUERY_TOKEN, queryToken);
        // the audit checkpoints' signing key: made for this data directory (kept on --resume), the private key in a
        // file only the user reads, never printed; the public key beside it for edge-stop audit verify --checkpoint-key
        Path key = dataDir.resolve(CHECKPOINT_KEY_FILE);
        if (!Files.exists(key)) {
            Files.writeString(dataDir.resolve(CHECKPOINT_PUBLIC_KEY_FILE), CheckpointKey.publicPem(CheckpointKey.write(key).publicKey()));
        }
        oc.put(OrchestratorConfig.AUDIT_CHECKPOINT_KEY_FILE, key.toString());
        oc.put(OrchestratorConfig.AUDIT_CHECKPOINT_INTERVAL_MS, "10000"); // dev: a checkpoint soon after each burst of stops
        OrchestratorConfig orchestratorConfig = OrchestratorConfig.fromMap(oc);
        orchestrator = Orchestrator.start(orchestratorConfig);
        started.add(orchestrator);

        for (String cluster : seed.clusters()) {
            startWorker(cluster);
        }
        started.add(new NewClusterWatch(bootstrapServers, topics, Set.copyOf(seed.clusters()), this::startWorker));

        if (!orchestrator.awaitRunning(Duration.ofSeconds(90))) {
            throw new IllegalStateException("the orchestrator did not reach RUNNING: " + orchestrator.state());
        }
        for (EdgeWorker w : workers) {
            if (!w.awaitAssigned(Duration.ofSeconds(60))) {
                throw new IllegalStateException("edge worker " + w.config().workerId() + " got no partitions");
            }
        }

        Map<String, String> ac = new LinkedHashMap<>();
        ac.put("bootstrap.servers", bootstrapServers);
        ac.put("topic.prefix", topics.prefix());
        ac.put("http.host", options.httpHost());
        ac.put("http.port", Integer.toString(options.httpPort()));
        ac.put(AdapterConfig.ADMIN_HOST, options.httpHost());
        ac.put(AdapterConfig.ADMIN_PORT, "0");
        ac.put("instance.id", topics.prefix() + "dev-adapter");
        ac.put("query.urls", "http://127.0.0.1:" + orchestrator.queryPort() + "/");
        ac.put(QueryToken.SETTING, queryToken);
        adapter = ApiAdapter.start(AdapterConfig.fromMap(ac), new InMemoryCredentialStore(seed.adapterCredentials()));
        started.add(adapter);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!adapter.ready()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the HTTP adapter did not become ready");
            }
            Thread.sleep(20);
        }
        console = Console.start(KafkaClientSettings.none().clientProperties(bootstrapServers), topics,
                new Console.Options(options.httpHost(), 0, orchestratorConfig.directiveDeadlineMs(),
                        ConsoleState.DEFAULT_MAX_STORIES), consolePassword);
        started.add(console);
    }

    /**
     * A simulated worker for the cluster: the seed's RUNNING jobs there are registered, and any job it
     * does not know counts as running (a job seeded later). Not after close.
     */
    private synchronized void startWorker(String cluster) {
        if (closed) {
            return;
        }
        SimulatedJobController edge = new SimulatedJobController(options.stopLatency(), options.failureRate(),
                cluster.hashCode(), true, java.time.Clock.systemUTC());
        seed.jobs().stream()
                .filter(j -> j.clusterId().equals(cluster) && Seed.statusOf(j) == JobStatus.RUNNING)
                .forEach(j -> edge.addRunningJob(cluster, j.jobId()));
        edges.put(cluster, edge);
        EdgeWorkerConfig wc = EdgeWorkerConfig.fromMap(Map.of("bootstrap.servers", bootstrapServers,
                "topic.prefix", topics.prefix(), "cluster.id", cluster, "worker.id", "dev-edge-" + cluster,
                "admin.host", options.httpHost(), "admin.port", "0"));
        EdgeWorker worker = EdgeWorker.start(wc, edge);
        workers.add(worker);
        started.add(worker);
    }

    /**
     * The status in force of every job, keyed clusterId/jobId: the job-state topic and the
     * orchestrator's job observations (each read to its end now), combined as the orchestrator
     * does. After {@code --resume} seeded jobs may have been stopped already.
     */
    public Map<String, JobStatus> currentJobStatuses() {
        Map<String, JobObservation> observed = readCompacted(topics.jobObservations(), AvroSerdes.jobObservation());
        Map<String, JobStatus> out = new LinkedHashMap<>();
        readCompacted(topics.jobState(), AvroSerdes.jobState())
                .forEach((key, state) -> out.put(key, JobLookup.statusInForce(state, observed.get(key))));
        return out;
    }

    /** The latest value of every key of a compacted topic, read from its beginning to its end now. */
    private <T> Map<String, T> readCompacted(String topic, Deserializer<T> values) {
        Properties p = KafkaClientProperties.of(bootstrapServers, KafkaClientSettings.none())
                .withDefault(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName())
                .withDefault(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName())
                // the orchestrator writes transactionally: what an aborted transaction wrote was never decided
                .withDefault(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .build();
        Map<String, T> out = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            ReadToEnd.read(c, Duration.ofSeconds(10), r -> {
                if (r.value() == null) {
                    out.remove(r.key());
                } else {
                    out.put(r.key(), values.deserialize(r.topic(), r.value()));
                }
            });
        }
        return out;
    }

    private Admin admin() {
        return Admin.create(KafkaClientSettings.none().clientProperties(bootstrapServers));
    }

    public URI baseUrl() {
        return adapter.baseUrl();
    }

    /** Where the orchestrator and each edge worker serve /metrics, /healthz and /readyz (any free port each). */
    public Map<String, URI> adminUrls() {
        Map<String, URI> urls = new LinkedHashMap<>();
        urls.put("adapter", adminUrl(adapter.adminUrl().getPort()));
        urls.put("orchestrator", adminUrl(orchestrator.adminPort()));
        for (EdgeWorker w : workers) {
            urls.put("edge-worker " + w.config().clusterId(), adminUrl(w.adminPort()));
        }
        return urls;
    }

    private URI adminUrl(int port) {
        return URI.create("http://" + baseUrl().getHost() + ":" + port);
    }

    /** The operator console of this run. */
    public URI consoleUrl() {
        return console.url();
    }

    /** The console's password, made for this run (dev only: printed on the READY lines). */
    public String consolePassword() {
        return consolePassword;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Topics topics() {
        return topics;
    }

    public Seed seed() {
        return seed;
    }

    /** True when this run loaded the seed (false when it resumed). */
    public boolean seeded() {
        return seeded;
    }

    public Optional<SimulatedJobController> edge(String clusterId) {
        return Optional.ofNullable(edges.get(clusterId));
    }

    public List<EdgeWorker> workers() {
        return List.copyOf(workers);
    }

    public Orchestrator orchestrator() {
        return orchestrator;
    }

    /** Stops the adapter, the workers, the orchestrator and the broker, in that order. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        for (int i = started.size() - 1; i >= 0; i--) {
            AutoCloseable c = started.get(i);
            try {
                c.close();
            } catch (Exception e) {
                log.warn("stopping {}: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
        started.clear();
    }
}
