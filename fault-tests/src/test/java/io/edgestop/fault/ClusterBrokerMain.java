package io.edgestop.fault;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.utils.Time;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * One node of {@link KafkaCluster} in its own JVM: {@code ClusterBrokerMain <server.properties> <cluster id>}
 * formats the node's log directory on its first start (static quorum: {@code controller.quorum.voters}
 * names all three nodes, so no bootstrap controller record is needed), starts a combined KRaft broker +
 * controller on it, prints {@code cluster node ready <node id>} and waits. SIGTERM shuts it down in a
 * controlled way (leadership moved first); SIGKILL is a crash.
 */
public final class ClusterBrokerMain {

    static final String READY = "cluster node ready ";

    private ClusterBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ClusterBrokerMain <server.properties> <cluster id>");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        Path config = Path.of(args[0]);
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(config)) {
            props.load(r);
        }
        Path logDir = Path.of(props.getProperty("log.dirs"));
        boolean formatted = Files.exists(logDir.resolve("meta.properties"));
        if (!formatted) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rc;
            try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                rc = StorageTool.execute(new String[] {"format", "-t", args[1], "-c", config.toString()}, ps);
            }
            if (rc != 0) {
                throw new IllegalStateException("formatting " + logDir + " failed (" + rc + "): "
                        + out.toString(StandardCharsets.UTF_8));
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "cluster-node-shutdown"));
        server.startup();
        System.out.printf("%s%s formatted-now=%s (start took %.1f s)%n", READY, props.getProperty("node.id"), !formatted,
                (System.nanoTime() - t0) / 1e9);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
