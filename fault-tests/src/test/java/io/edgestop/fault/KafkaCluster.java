package io.edgestop.fault;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * Three KRaft nodes, each a combined broker + controller in its own JVM ({@link ClusterBrokerMain}),
 * with a static quorum of all three, replication factor 3 and {@code min.insync.replicas=2} for every
 * topic including the internal ones, and {@code unclean.leader.election.enable=false}.
 *
 * <p>Each broker has a listener per component of the system ({@link Component}), advertised on a {@link TcpProxy}
 * in this JVM, so each component's path to the cluster can be cut or slowed alone. The test's own
 * clients (load, verifier) use the plain listener, which is also the inter-broker one.
 */
final class KafkaCluster implements AutoCloseable {

    static final int NODES = 3;

    /** A component's own listener on every broker. */
    enum Component { ORCHESTRATOR, ADAPTER, WORKER }

    private static final java.util.Random RANDOM = new java.util.Random();
    private final Set<Integer> used = new java.util.HashSet<>();
    private final String run;
    private final Path dir;
    private final String clusterId = Uuid.randomUuid().toString();
    private final int[] plainPorts = new int[NODES];
    private final int[] controllerPorts = new int[NODES];
    private final List<Map<Component, TcpProxy>> proxies = new ArrayList<>();
    private final ChildJvm[] nodes = new ChildJvm[NODES];
    private final int[] starts = new int[NODES];
    private Admin admin;

    KafkaCluster(Path dir, String run) throws IOException {
        this.dir = dir;
        this.run = run;
        for (int i = 0; i < NODES; i++) {
            plainPorts[i] = port();
            controllerPorts[i] = port();
        }
        String voters = java.util.stream.IntStream.range(0, NODES)
                .mapToObj(i -> nodeId(i) + "@localhost:" + controllerPorts[i]).collect(Collectors.joining(","));
        for (int i = 0; i < NODES; i++) {
            Map<Component, TcpProxy> byPath = new EnumMap<>(Component.class);
            Map<Component, Integer> listenerPorts = new EnumMap<>(Component.class);
            for (Component p : Component.values()) {
                int listener = port();
                listenerPorts.put(p, listener);
                byPath.put(p, new TcpProxy(p + "-" + nodeId(i), port(), listener));
            }
            proxies.add(byPath);
            writeConfig(i, voters, listenerPorts, byPath);
        }
        try {
            for (int i = 0; i < NODES; i++) {
                start(i);
            }
            for (int i = 0; i < NODES; i++) {
                nodes[i].awaitLine(ClusterBrokerMain.READY, Duration.ofSeconds(180));
            }
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
            admin = Admin.create(p);
            await("three brokers registered").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() == NODES);
        } catch (IOException | RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /**
     * A free port below the ephemeral range (which starts at 32768 on Linux): a port picked with bind(0)
     * can be taken by an outgoing connection of a broker before the broker that should listen on it starts.
     */
    private int port() throws IOException {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int candidate = 20_000 + RANDOM.nextInt(12_000);
            if (!used.contains(candidate) && free(candidate)) {
                used.add(candidate);
                return candidate;
            }
        }
        throw new IOException("no free port between 20000 and 32000");
    }

    private static boolean free(int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int nodeId(int index) {
        return index + 1;
    }

    private void writeConfig(int i, String voters, Map<Component, Integer> listenerPorts, Map<Component, TcpProxy> byPath)
            throws IOException {
        Path nodeDir = dir.resolve("node-" + nodeId(i));
        Files.createDirectories(nodeDir);
        StringBuilder listeners = new StringBuilder("PLAINTEXT://localhost:" + plainPorts[i] + ",CONTROLLER://localhost:"
                + controllerPorts[i]);
        StringBuilder advertised = new StringBuilder("PLAINTEXT://localhost:" + plainPorts[i]);
        StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        for (Component p : Component.values()) {
            listeners.append(',').append(p).append("://localhost:").append(listenerPorts.get(p));
            advertised.append(',').append(p).append("://localhost:").append(byPath.get(p).port());
            protocols.append(',').append(p).append(":PLAINTEXT");
        }
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(nodeId(i)));
        props.put("controller.quorum.voters", voters);
        props.put("listeners", listeners.toString());
        props.put("advertised.listeners", advertised.toString());
        props.put("listener.security.protocol.map", protocols.toString());
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", nodeDir.resolve("log").toString());
        // what a production cluster needs (docs/reliability.md): three copies, two of them in sync for a write,
        // internal topics included, and no leader that lacks acknowledged records
        props.put("default.replication.factor", "3");
        props.put("min.insync.replicas", "2");
        props.put("offsets.topic.replication.factor", "3");
        props.put("transaction.state.log.replication.factor", "3");
        props.put("transaction.state.log.min.isr", "2");
        props.put("share.coordinator.state.topic.replication.factor", "3");
        props.put("share.coordinator.state.topic.min.isr", "2");
        props.put("unclean.leader.election.enable", "false");
        // small internal topics: the test machine has two cores
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.num.partitions", "6");
        props.put("num.partitions", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        // a crashed broker is fenced after 6 s instead of 9 s
        props.put("broker.session.timeout.ms", "6000");
        props.put("broker.heartbeat.interval.ms", "1000");
        try (Writer w = Files.newBufferedWriter(config(i))) {
            props.store(w, "node " + nodeId(i) + " of the fault-test cluster");
        }
    }

    private Path config(int i) {
        return dir.resolve("node-" + nodeId(i)).resolve("server.properties");
    }

    private void start(int i) throws IOException {
        starts[i]++;
        nodes[i] = ChildJvm.start("broker-" + nodeId(i), ClusterBrokerMain.class.getName(),
                List.of(config(i).toString(), clusterId), ChildJvm.logFile(run + "-node-" + nodeId(i) + "-" + starts[i] + ".log"),
                "384m", "child-broker-logback.xml");
    }

    /** The plain listener of every broker (the test's own clients). */
    String bootstrap() {
        return java.util.Arrays.stream(plainPorts).mapToObj(p -> "localhost:" + p).collect(Collectors.joining(","));
    }

    /** The proxied listener of one component on every broker. */
    String bootstrap(Component path) {
        return proxies.stream().map(m -> "localhost:" + m.get(path).port()).collect(Collectors.joining(","));
    }

    /** The proxies of one component's path, one per broker. */
    List<TcpProxy> proxies(Component path) {
        return proxies.stream().map(m -> m.get(path)).toList();
    }

    Admin admin() {
        return admin;
    }

    ChildJvm node(int nodeId) {
        return nodes[nodeId - 1];
    }

    /** SIGKILL; returns the exit status. */
    int kill(int nodeId) throws InterruptedException {
        return nodes[nodeId - 1].kill();
    }

    /** SIGTERM and wait for the controlled shutdown to finish. */
    int stop(int nodeId) throws InterruptedException {
        return nodes[nodeId - 1].terminate(Duration.ofSeconds(90));
    }

    /** Starts the node again on its data and ports; returns once it says it is up. */
    void restart(int nodeId) throws IOException {
        start(nodeId - 1);
        nodes[nodeId - 1].awaitLine(ClusterBrokerMain.READY, Duration.ofSeconds(180));
    }

    /** The node id of the active controller (the quorum leader). */
    int activeController() throws Exception {
        return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
    }

    /** Leaders of the partitions of these topics, by partition. */
    Map<String, List<Integer>> leaders(Collection<String> topics) throws Exception {
        Map<String, TopicDescription> d = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
        Map<String, List<Integer>> out = new java.util.TreeMap<>();
        d.forEach((t, td) -> out.put(t, td.partitions().stream()
                .map(p -> p.leader() == null || p.leader().isEmpty() ? -1 : p.leader().id()).toList()));
        return out;
    }

    /** Waits until every partition of every topic (internal ones included) has all its replicas in sync. */
    Duration awaitFullyInSync(Duration timeout) {
        long t0 = System.nanoTime();
        await("every partition fully in sync").atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> underReplicated().isEmpty());
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Partitions whose in-sync replicas are fewer than their replicas, e.g. {@code stop-commands-3 isr=[1, 2]}. */
    List<String> underReplicated() throws Exception {
        Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
        List<String> out = new ArrayList<>();
        for (TopicDescription td : admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
            for (TopicPartitionInfo p : td.partitions()) {
                if (p.isr().size() < p.replicas().size() || p.leader() == null || p.leader().isEmpty()) {
                    out.add(td.name() + "-" + p.partition() + " isr=" + p.isr().stream().map(n -> n.id()).toList());
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        for (ChildJvm n : nodes) {
            if (n != null) {
                n.close();
            }
        }
        proxies.forEach(m -> m.values().forEach(TcpProxy::close));
    }
}
