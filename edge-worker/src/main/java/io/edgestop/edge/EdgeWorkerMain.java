package io.edgestop.edge;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Runs one edge worker until SIGTERM/Ctrl-C. Arguments are {@code key=value} settings (see
 * {@link EdgeWorkerConfig} and {@link SimulatedJobController}) and/or {@code --config FILE}
 * (a properties file); later ones win. {@code job.controller} picks the controller:
 * {@code simulated} (default) or the class name of a {@link JobController} with a public
 * no-argument constructor.
 *
 * <pre>java -cp ... io.edgestop.edge.EdgeWorkerMain bootstrap.servers=localhost:9092 cluster.id=cn-hz-edge-1</pre>
 *
 * The operator CLI has the same as {@code edge-stop edge-worker}.
 */
public final class EdgeWorkerMain {

    private EdgeWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                settings.putAll(readProperties(Path.of(args[++i])));
            } else if (args[i].contains("=")) {
                int eq = args[i].indexOf('=');
                settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
            } else {
                System.err.println("usage: EdgeWorkerMain [--config FILE] key=value ...");
                System.exit(2);
            }
        }
        EdgeWorker worker = EdgeWorker.start(EdgeWorkerConfig.fromMap(settings), controllerFrom(settings));
        Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "edge-worker-shutdown"));
        worker.awaitStopped(Duration.ofDays(36_500));
        if (worker.failure() != null) {
            System.exit(1);
        }
    }

    /** The controller named by {@code job.controller}: {@code simulated} (default) or a class name. */
    public static JobController controllerFrom(Map<String, String> settings) throws ReflectiveOperationException {
        String name = settings.getOrDefault("job.controller", "simulated");
        if (name.equals("simulated")) {
            return SimulatedJobController.fromMap(settings);
        }
        return (JobController) Class.forName(name).getDeclaredConstructor().newInstance();
    }

    private static Map<String, String> readProperties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }
}
