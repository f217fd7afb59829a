package io.edgestop.fault;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.edgestop.devtools.EmbeddedKafka;

/**
 * The broker of {@link BrokerKillTest} in its own JVM: {@code ChildBrokerMain <data dir> <port> <resume>}
 * starts {@link EmbeddedKafka} (KRaft, combined broker + controller), prints
 * {@code child broker ready <bootstrap servers> resumed=<true|false>} and waits to be killed.
 */
public final class ChildBrokerMain {

    static final String READY = "child broker ready ";

    private ChildBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ChildBrokerMain <data dir> <port> <resume>");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(args[0]), Integer.parseInt(args[1]), Boolean.parseBoolean(args[2]));
        // SIGTERM would shut down cleanly; the tests use SIGKILL, which runs no hook
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "child-broker-shutdown"));
        System.out.printf("%s%s resumed=%s (start took %.1f s)%n", READY, kafka.bootstrapServers(), kafka.resumed(),
                (System.nanoTime() - t0) / 1e9);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
