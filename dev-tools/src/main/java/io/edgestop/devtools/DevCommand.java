package io.edgestop.devtools;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.edgestop.adapter.client.StopJobClient;
import io.edgestop.launcher.CallCommand;
import io.edgestop.launcher.Foreground;
import io.edgestop.launcher.Seed;
import io.edgestop.topics.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code edge-stop dev}: the whole system in one process, on an embedded broker. */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Run the whole system in one process (embedded Kafka, orchestrator, HTTP API, edge workers).",
            "Starts an embedded single-node KRaft broker, creates the topics, loads the seed, runs the orchestrator,",
            "simulated edge workers (one per seeded cluster), the HTTP adapter and the operator console (any free port).",
            "Prints one line starting with READY and an example call when everything is ready.",
            "Ctrl-C / SIGTERM stops everything. A second run starts fresh unless --resume is given."})
final class DevCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--http-port", defaultValue = "8080", description = "Port of the HTTP API (0 = any free port; default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--http-host", defaultValue = "127.0.0.1", description = "Address the HTTP API binds to (default ${DEFAULT-VALUE}).")
    String httpHost;

    @Option(names = "--kafka-port", defaultValue = "9092",
            description = "Port of the embedded broker (default ${DEFAULT-VALUE}; a busy port falls back to a free one; 0 = any).")
    int kafkaPort;

    @Option(names = "--data-dir", defaultValue = "data", description = "Broker data and orchestrator state (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--seed", paramLabel = "FILE", description = "Seed file to load (default: the demo seed shipped in the jar).")
    Path seed;

    @Option(names = "--resume",
            description = "Continue the previous run in --data-dir (topics, records, job state) instead of wiping it; the seed is not loaded again.")
    boolean resume;

    @Option(names = "--bootstrap-servers", description = "Use this Kafka cluster instead of the embedded broker.")
    String bootstrapServers;

    @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, description = "Topic prefix (default ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the created topics (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--stop-latency-ms", defaultValue = "100", description = "Simulated time a job takes to stop (default ${DEFAULT-VALUE}).")
    long stopLatencyMs;

    @Option(names = "--failure-rate", defaultValue = "0", description = "Simulated probability that a stop fails (default ${DEFAULT-VALUE}).")
    double failureRate;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (httpPort != 0 && !EmbeddedKafka.isFree(httpPort)) {
            spec.commandLine().getErr().println("edge-stop dev: port " + httpPort
                    + " is in use (another dev stack?); choose another with --http-port, or 0 for any free port");
            return 2;
        }
        long t0 = System.nanoTime();
        DevStack.Options options = new DevStack.Options(bootstrapServers, kafkaPort, dataDir, seed, resume, topicPrefix,
                httpHost, httpPort, partitions, Duration.ofMillis(stopLatencyMs), failureRate);
        DevStack stack = DevStack.start(options);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        printReady(out, stack, seed == null ? "demo" : seed.toString(), ms);
        Foreground.runUntilSignal(stack, null, "edge-stop dev");
        return 0;
    }

    /** Prints the READY line and the example, in one write so that a reader seeing READY also sees the rest. */
    static void printReady(PrintWriter target, DevStack stack, String seedName, long startMillis) {
        java.io.StringWriter buffer = new java.io.StringWriter();
        PrintWriter out = new PrintWriter(buffer);
        URI base = stack.baseUrl();
        String self = System.getenv().getOrDefault("EDGE_STOP_CMD", "java -jar launcher/target/edge-stop.jar");
        String prefixFlag = stack.topics().prefix().equals(Topics.DEFAULT_PREFIX) ? ""
                : " --topic-prefix " + stack.topics().prefix();
        out.println("READY " + base + " kafka=" + stack.bootstrapServers() + " topic-prefix=" + stack.topics().prefix()
                + " clusters=" + String.join(",", stack.seed().clusters()) + " seed=" + seedName
                + (stack.seeded() ? "" : " (resumed)") + " started-in=" + startMillis + "ms");
        out.println("# Metrics: /metrics, /healthz, /readyz of "
                + String.join(", ", stack.adminUrls().entrySet().stream().map(e -> e.getKey() + " at " + e.getValue()).toList()));
        out.println("# Console: " + stack.consoleUrl() + " (user operator, password " + stack.consolePassword()
                + "; made for this run)");
        java.util.Map<String, io.edgestop.schema.JobStatus> now = stack.seeded() ? null : stack.currentJobStatuses();
        var example = now == null ? stack.seed().example()
                : stack.seed().example(j -> now.get(io.edgestop.topics.JobKey.of(j.clusterId(), j.jobId()))
                        == io.edgestop.schema.JobStatus.RUNNING);
        example.ifPresentOrElse(ex -> {
            Seed.Credential c = ex.credential();
            Seed.Job j = ex.job();
            StopJobClient client = new StopJobClient(base, c.accessKeyId(), c.accessKeySecret());
            URI url = client.signedV1Url(j.clusterId(), j.jobId());
            out.println("# Stop the seeded RUNNING job " + j.clusterId() + "/" + j.jobId() + " of account "
                    + j.accountId() + " (AccessKey " + c.accessKeyId() + ", " + c.principalArn() + ").");
            out.println("# Signature V1; the URL is single-use (SignatureNonce) and valid for 15 minutes:");
            out.println("curl -s '" + url + "'");
            out.println("# The same call through the CLI (signs a fresh request each time):");
            out.println(CallCommand.SECRET_ENV + "=" + c.accessKeySecret() + " " + self + " call --endpoint " + base
                    + " --access-key-id " + c.accessKeyId() + " --cluster-id " + j.clusterId()
                    + " --job-id " + j.jobId());
            out.println("# Then watch the audit stream (the command, the decision, the directive, the completion):");
            out.println(self + " tail audit --bootstrap-servers " + stack.bootstrapServers() + prefixFlag
                    + " --from-beginning");
        }, () -> out.println("# no RUNNING job of an enabled account with a root credential in the seed: no example call"));
        out.println("# Ctrl-C stops everything.");
        out.flush();
        target.print(buffer);
        target.flush();
    }
}
