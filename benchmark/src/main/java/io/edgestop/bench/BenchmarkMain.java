package io.edgestop.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.adapter.AdapterConfig;
import io.edgestop.adapter.ApiAdapter;
import io.edgestop.adapter.auth.InMemoryCredentialStore;
import io.edgestop.devtools.EmbeddedKafka;
import io.edgestop.kafka.KafkaClientSettings;
import io.edgestop.orchestrator.kafka.TopicProvisioner;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Drives the whole pipeline and raw Kafka on the same broker in one run and prints one table.
 * See docs/benchmarks.md for the commands and the results.
 */
@Command(name = "edge-stop-bench", mixinStandardHelpOptions = true,
        description = "Benchmarks edge-stop against raw Kafka on the same broker, in one run.")
public final class BenchmarkMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(BenchmarkMain.class);

    @Option(names = "--bootstrap-servers", description = "Use this Kafka cluster instead of an embedded broker.")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client settings file (e.g. security.protocol, sasl.*) for every client of the run, the orchestrator's too.")
    Path kafkaConfig;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE", description = "One Kafka client setting (repeatable), over --kafka-config.")
    Map<String, String> kafkaSettings = new LinkedHashMap<>();

    @Option(names = "--accounts", defaultValue = "10000", description = "Accounts (default ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--throttled-accounts", defaultValue = "20",
            description = "Extra accounts with a quota of 60 calls/minute, for the throttled share (default ${DEFAULT-VALUE}).")
    int throttledAccounts;

    @Option(names = "--jobs", defaultValue = "200000",
            description = "Running jobs seeded for the phases without workers (default ${DEFAULT-VALUE}); the phases with"
                    + " workers and the 100%% accepted phase get jobs of their own on top.")
    int jobs;

    @Option(names = "--clusters", defaultValue = "4", description = "Edge clusters (default ${DEFAULT-VALUE}).")
    int clusters;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions of every topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--mix", defaultValue = "accepted=70,notfound=10,forbidden=10,throttled=10",
            description = "Command mix in parts (default ${DEFAULT-VALUE}).")
    String mix;

    @Option(names = "--commands", defaultValue = "150000", description = "Commands sent flat out on the async path (default ${DEFAULT-VALUE}).")
    int commands;

    @Option(names = "--rate", defaultValue = "1000", description = "Rate of the fixed-rate latency phases, per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seconds", defaultValue = "10",
            description = "Length of each phase at --rate and of each HTTP phase (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--http-connections", defaultValue = "4096",
            description = "Most HTTP calls in flight at once, one connection each; a send that finds them all busy waits and"
                    + " is reported late (default ${DEFAULT-VALUE}).")
    int httpConnections;

    @Option(names = "--raw-records", defaultValue = "300000", description = "Records for the raw producer phase (default ${DEFAULT-VALUE}).")
    int rawRecords;

    @Option(names = "--orchestrator-heap", defaultValue = "512m", description = "-Xmx of the orchestrator JVM (default ${DEFAULT-VALUE}).")
    String orchestratorHeap;

    @Option(names = "--processing-guarantee", defaultValue = "exactly_once_v2", description = "Orchestrator processing.guarantee (default ${DEFAULT-VALUE}).")
    String processingGuarantee;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Extra orchestrator setting (repeatable), e.g. commit.interval.ms=50.")
    Map<String, String> orchestratorSettings = new LinkedHashMap<>();

    @Option(names = "--no-pin",
            description = "Do not pin. By default, with 2 cores or more, the orchestrator JVM (and each yardstick app in its"
                    + " place) runs on --orchestrator-core alone (taskset) and this JVM (load generator, embedded broker, HTTP"
                    + " adapter, workers) on the other cores, so flat out is one core's capacity.")
    boolean noPin;

    @Option(names = "--orchestrator-core", defaultValue = "1",
            description = "The core of the orchestrator JVM when pinning (default ${DEFAULT-VALUE}).")
    int orchestratorCore;

    @Option(names = "--fixed-rate", defaultValue = "2000",
            description = "Rate of the CPU phase: the orchestrator's CPU per command at a fixed rate, per second (default"
                    + " ${DEFAULT-VALUE}); 0 skips it.")
    double fixedRate;

    @Option(names = "--fixed-seconds", defaultValue = "30", description = "Length of the CPU phase at --fixed-rate (default ${DEFAULT-VALUE}).")
    int fixedSeconds;

    @Option(names = "--http-rates", split = ",", defaultValue = "1000,2000",
            description = "Offered rates of the HTTP open-loop phases, per second, each for --seconds (default ${DEFAULT-VALUE}).")
    List<Double> httpRates;

    @Option(names = "--profile", paramLabel = "FILE", arity = "0..1", fallbackValue = "target/orchestrator-flat-out.jfr",
            description = "Record JFR (Java and native method samples) of the orchestrator over the flat-out phase into FILE"
                    + " (default target/orchestrator-flat-out.jfr, under benchmark/), kept, and print its top frames.")
    Path profile;

    @Option(names = "--profile-frames", defaultValue = "25", description = "Frames in each table of --profile (default ${DEFAULT-VALUE}).")
    int profileFrames;

    @Option(names = "--logs", paramLabel = "DIR", defaultValue = "target/bench-logs",
            description = "Keep the orchestrator's and the yardstick apps' logs here (default ${DEFAULT-VALUE}, under benchmark/).")
    Path logs;

    @Option(names = "--orchestrator-jfr", paramLabel = "FILE",
            description = "Record a JFR profile of the orchestrator JVM into FILE (profile settings).")
    Path orchestratorJfr;

    @Option(names = "--compare", paramLabel = "KEY=VALUE[,KEY=VALUE...]",
            description = "After the main run, run the pipeline phases again with these orchestrator settings (repeatable; one"
                    + " fresh orchestrator per variant, same broker and tables), e.g. --compare kafka.num.stream.threads=2;"
                    + " orchestrator.classpath=JAR runs the variant from another build's launcher/target/edge-stop.jar.")
    List<String> compare = new ArrayList<>();

    @Option(names = "--skip-http", description = "Skip the HTTP phases (and the HTTP generator's calibration).")
    boolean skipHttp;

    @Option(names = "--skip-empty-app",
            description = "Skip the empty Kafka Streams apps (one hop, one hop writing 5 records per input, two hops: the yardsticks).")
    boolean skipEmptyApp;

    @Option(names = "--skip-lifecycle", description = "Skip the life-cycle phase with simulated edge workers.")
    boolean skipLifecycle;

    @Option(names = "--stop-latency-ms", defaultValue = "0",
            description = "How long a simulated worker takes to stop a job (default ${DEFAULT-VALUE}).")
    long stopLatencyMs;

    @Option(names = "--records-commands", defaultValue = "10000",
            description = "Commands of each of the two flat-out phases (100%% accepted, 100%% notfound) that split records written"
                    + " per command by outcome; 0 skips them (default ${DEFAULT-VALUE}).")
    int recordsCommands;

    @Option(names = "--soak", paramLabel = "MINUTES", defaultValue = "0",
            description = "Finally, run at the fixed rate with the mix and workers for MINUTES, one line per minute (default: no soak).")
    int soakMinutes;

    @Option(names = "--plot", paramLabel = "FILE", defaultValue = "target/latency.png",
            description = "Write the latency distributions of the run as a PNG here (default ${DEFAULT-VALUE}, under benchmark/).")
    Path plot;

    @Option(names = "--out", description = "Also write the report to this file.")
    Path out;

    /** The command line of this run, as given to ./benchmark/run. */
    private String commandLine = "./benchmark/run";

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        BenchmarkMain bench = new BenchmarkMain();
        bench.commandLine = "./benchmark/run" + (args.length == 0 ? "" : " " + String.join(" ", args));
        System.exit(new CommandLine(bench).execute(args));
    }

    /** Where each part runs: see {@link Cores}. */
    private Cores cores = Cores.none();
    /** The machine's cores (this JVM's, before it is pinned). */
    private int online;

    @Override
    public Integer call() throws Exception {
        online = Runtime.getRuntime().availableProcessors();
        if (!noPin && online >= 2) {
            cores = Cores.pinned(orchestratorCore, online);
            cores.pinThisJvm(); // before the broker starts, so its threads (and every thread started later) inherit it
        }
        Path work = Files.createTempDirectory("edge-stop-bench");
        EmbeddedKafka embedded = null;
        String bootstrap = bootstrapServers;
        if (bootstrap == null) {
            embedded = EmbeddedKafka.start(work, 0, false);
            bootstrap = embedded.bootstrapServers();
        }
        try {
            return run(bootstrap, work, embedded != null);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
            deleteRecursively(work);
        }
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Time for the last transaction markers of a phase to land before its end offsets are read. */
    private static final long SETTLE_MS = 1000;

    private int run(String bootstrap, Path work, boolean embedded) throws Exception {
        this.work = work;
        KafkaClientSettings file = kafkaConfig == null ? KafkaClientSettings.none() : KafkaClientSettings.load(kafkaConfig);
        Bench.Env env = new Bench.Env(bootstrap, file.with(KafkaClientSettings.of(kafkaSettings)));
        String runId = UUID.randomUUID().toString().substring(0, 6);
        Topics topics = new Topics("bench-" + runId + ".");
        Workload.Mix theMix = Workload.Mix.parse(mix);
        Workload workload = new Workload(accounts, throttledAccounts, jobs, reservedJobs(theMix), clusters, theMix, 42);
        String rawTopic = topics.prefix() + "raw";
        try (Admin admin = env.admin()) {
            TopicProvisioner.createAll(admin, topics, partitions, (short) 1);
            TopicProvisioner.createDirectiveTopics(admin, topics, workload.clusterIds(), partitions, (short) 1);
            List<NewTopic> benchTopics = new ArrayList<>(List.of(new NewTopic(rawTopic, partitions, (short) 1)));
            for (EmptyStreamsApp.Shape shape : EmptyStreamsApp.Shape.values()) {
                benchTopics.add(new NewTopic(emptyIn(topics, shape), partitions, (short) 1));
                shape.outputs(emptyOut(topics, shape)).forEach(t -> benchTopics.add(new NewTopic(t, partitions, (short) 1)));
            }
            TopicProvisioner.create(admin, benchTopics);
        }

        long seedStart = System.nanoTime();
        long seeded = seed(env, topics, workload);
        log.info("seeded {} records in {} s", seeded, String.format(Locale.ROOT, "%.1f", (System.nanoTime() - seedStart) / 1e9));

        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("topic.prefix", topics.prefix());
        settings.put("application.id", "bench-" + runId);
        settings.put("state.dir", work.resolve("streams").toString());
        settings.put("replication.factor", "1");
        settings.put("topic.partitions", Integer.toString(partitions));
        settings.put("processing.guarantee", processingGuarantee);
        settings.put("directive.deadline.ms", "3600000"); // no redelivery during the run: most directives have no worker
        settings.putAll(orchestratorSettings);
        // topic names shortened in the records table: the run's prefix (its topics and its application ids' internal topics)
        RecordCounter counter = new RecordCounter(env, Set.of(topics.stopCommands()), "bench-" + runId);
        List<RecordCounter.Written> written = new ArrayList<>();
        List<Bench.Row> rows = new ArrayList<>();
        SoakBench.Result soak = null;
        int fixed = (int) (rate * seconds);
        int warmUp = Math.min(20_000, commands);
        Bench.Row rawProducer;
        Bench.Row rawRt;
        Map<EmptyStreamsApp.Shape, EmptyAppBench.Result> yardsticks = new LinkedHashMap<>();
        PipelinePhases base;
        Map<Double, Bench.Row> httpRows = new LinkedHashMap<>();
        LifecycleBench.Result lifecycle = null;
        long rss;
        String profileTable = null;
        String warmUpNote = null;
        String orchestratorCores;
        Path orchestratorLog = work.resolve("orchestrator.log");
        long logMark = 0;
        List<String> jvmOptions = orchestratorJfr != null ? List.of("-XX:StartFlightRecording=settings=profile,filename="
                + orchestratorJfr.toAbsolutePath()) : profile != null ? List.of(OrchestratorProcess.jfrSetUp(work)) : List.of();
        try (OrchestratorProcess orchestrator = OrchestratorProcess.start(cores, orchestratorHeap, jvmOptions, settings,
                env.kafka(), orchestratorLog)) {
            long catchUp = System.nanoTime();
            awaitCaughtUp(env, "bench-" + runId, List.of(topics.accountSettings(), topics.accountPolicies()),
                    orchestrator, Duration.ofMinutes(10));
            orchestratorCores = Cores.allowed(orchestrator.pid());
            log.info("orchestrator (pid {}, cores {}) loaded the tables in {} s", orchestrator.pid(), orchestratorCores,
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - catchUp) / 1e9));

            int recordBytes = AvroSerdes.stopCommand().serialize("t", workload.next(null).command()).length;
            RawKafkaBench raw = new RawKafkaBench(env);
            try (ResultCollector results = new ResultCollector(env, topics.stopResults())) {
                PipelineBench pipeline = new PipelineBench(env, workload, topics.stopCommands(), results);
                warmUpNote = warmUntilJitQuiet(pipeline, orchestrator, warmUp, "");
                logMark = LogScan.lines(orchestratorLog);
                LogCount.mark();

                log.info("raw Kafka");
                rawProducer = raw.producerThroughput(rawTopic, rawRecords, recordBytes);
                rawRt = raw.roundTrip(rawTopic, partitions, rate, fixed, recordBytes);
                rows.add(rawProducer);
                rows.add(rawRt);

                if (!skipEmptyApp) {
                    EmptyAppBench empty = new EmptyAppBench(cores, raw, settings, orchestratorHeap, work, partitions, recordBytes);
                    for (EmptyStreamsApp.Shape shape : EmptyStreamsApp.Shape.values()) {
                        log.info("empty Kafka Streams app, {}", shape.arg);
                        EmptyAppBench.Result r = empty.run(shape, emptyIn(topics, shape), emptyOut(topics, shape), rate, fixed,
                                fixedRate, fixedSeconds, commands);
                        rows.add(r.atRate());
                        rows.add(Bench.Row.info("empty Streams app, " + shape.arg + ", process RSS", r.rssMiB() + " MiB: "
                                + r.memory()));
                        if (r.atFixed() != null) {
                            rows.add(r.atFixed());
                        }
                        rows.add(r.flatOut());
                        yardsticks.put(shape, r);
                    }
                }

                base = pipelinePhases(pipeline, orchestrator, "", fixed, counter, written);
                rows.add(base.atRate());
                if (base.atFixed() != null) {
                    rows.add(base.atFixed());
                }
                rows.add(base.flatOut());
                profileTable = base.profile();
                if (!skipHttp) {
                    // its own workload: planned calls without taking the run's fresh jobs
                    Workload calibration = new Workload(accounts, throttledAccounts, Integer.MAX_VALUE / 2, 0, clusters, theMix, 7);
                    for (double httpRate : httpRates) {
                        log.info("HTTP load generator alone @{}/s", (int) httpRate);
                        rows.add(OpenLoopHttpBench.calibrate(calibration, (int) (httpRate * seconds), httpRate, httpConnections));
                    }
                    for (double httpRate : httpRates) {
                        httpRows.put(httpRate, httpPhase(env, topics, workload, "", httpRate));
                    }
                    rows.addAll(httpRows.values());
                }

                workload.useReserve(); // fresh jobs for what follows, whatever the phases above took
                if (recordsCommands > 0) {
                    for (Workload.Mix only : List.of(Workload.Mix.ALL_ACCEPTED, Workload.Mix.ALL_NOT_FOUND)) {
                        String label = only == Workload.Mix.ALL_ACCEPTED ? "100% accepted" : "100% notfound";
                        log.info("pipeline flat out, {}", label);
                        rows.add(counting(counter, written, label, recordsCommands, () -> pipeline.run(
                                "pipeline async, flat out, " + label, recordsCommands, 0, only, Duration.ofMinutes(5))));
                    }
                }

                if (!skipLifecycle || soakMinutes > 0) {
                    try (LifecycleBench workers = LifecycleBench.start(env, topics, workload.clusterIds(),
                            Duration.ofMillis(stopLatencyMs))) {
                        if (!skipLifecycle) {
                            log.info("life cycle with simulated workers");
                            workers.run(pipeline, results, "warm-up", lifecycleWarmUp(), rate, Duration.ofMinutes(2));
                            String name = "life cycle @" + (int) rate + "/s (stop " + stopLatencyMs + " ms)";
                            lifecycle = counting(counter, written, "life cycle", fixed,
                                    () -> workers.run(pipeline, results, name, fixed, rate, Duration.ofMinutes(2)));
                            rows.add(lifecycle.decisions());
                            rows.add(lifecycle.completions());
                        }
                        if (soakMinutes > 0) {
                            log.info("soak: {} minutes at {}/s", soakMinutes, (int) rate);
                            soak = new SoakBench(pipeline, results, orchestrator, workload).run(soakMinutes, rate);
                            rows.add(soak.decisions());
                            rows.add(soak.completions());
                        }
                    }
                }
            }
            if (base.cpuAtFixed() != null) {
                rows.add(base.cpuAtFixed());
            }
            rows.add(base.cpuFlatOut());
            long[] heap = orchestrator.heapAfterGcMiB();
            rows.add(Bench.Row.info("orchestrator heap after full GC", String.format(Locale.ROOT,
                    "%d MiB used of %d MiB committed (-Xmx%s), %d jobs, %d accounts", heap[0], heap[1], orchestratorHeap,
                    workload.seededJobs(),
                    accounts + throttledAccounts)));
            rss = orchestrator.rssMiB();
            rows.add(Bench.Row.info("orchestrator process RSS", rss + " MiB: " + orchestrator.memoryBreakdown()));
        }
        written.stream().filter(w -> w.phase().equals("mix flat out")).findFirst().ifPresent(w -> rows.add(Bench.Row.info(
                "records written per command, async flat out", String.format(Locale.ROOT,
                        "%.2f records + %.2f commit markers per command, %d aborted records (mix %s); by topic below",
                        w.perCommand(w.records()), w.perCommand(w.offsets() - w.records() - w.aborted()), w.aborted(),
                        workload.mix))));

        // the same pipeline phases with other orchestrator settings, one fresh orchestrator each, same broker and tables
        List<String> variantNotes = new ArrayList<>();
        List<ThreadCpu.Usage> threadUsage = new ArrayList<>(base.threads());
        for (int v = 0; v < compare.size(); v++) {
            String variant = compare.get(v);
            Map<String, String> variantSettings = new HashMap<>(settings);
            for (String kv : variant.split(",")) {
                String[] p = kv.split("=", 2);
                variantSettings.put(p[0].trim(), p[1].trim());
            }
            String appId = "bench-" + runId + "-v" + v;
            variantSettings.put("application.id", appId);
            variantSettings.put("state.dir", work.resolve("streams-v" + v).toString());
            Bench.commitAtEnd(env, appId, topics.stopCommands());
            workload.reuseJobs();
            log.info("variant {}", variant);
            try (OrchestratorProcess orchestrator = OrchestratorProcess.start(cores, orchestratorHeap, List.of(), variantSettings,
                    env.kafka(), work.resolve("orchestrator-v" + v + ".log"));
                 ResultCollector results = new ResultCollector(env, topics.stopResults())) {
                awaitCaughtUp(env, appId, List.of(topics.accountSettings(), topics.accountPolicies()),
                        orchestrator, Duration.ofMinutes(10));
                PipelineBench pipeline = new PipelineBench(env, workload, topics.stopCommands(), results);
                variantNotes.add(warmUntilJitQuiet(pipeline, orchestrator, warmUp, "[" + variant + "] "));
                PipelinePhases phases = pipelinePhases(pipeline, orchestrator, "[" + variant + "] ", fixed, null, null);
                rows.add(phases.atRate());
                if (phases.atFixed() != null) {
                    rows.add(phases.atFixed());
                    rows.add(phases.cpuAtFixed());
                }
                rows.add(phases.flatOut());
                rows.add(phases.cpuFlatOut());
                threadUsage.addAll(phases.threads());
                if (!skipHttp) {
                    for (double httpRate : httpRates) {
                        rows.add(httpPhase(env, topics, workload, "[" + variant + "] ", httpRate));
                    }
                }
                variantNotes.add(String.format(Locale.ROOT, "[%s] flat-out : baseline flat-out = %.2f; p50/p99 @%d/s : baseline = %.2f / %.2f",
                        variant, phases.flatOut().perSecond() / base.flatOut().perSecond(), (int) rate,
                        phases.atRate().ms(50) / base.atRate().ms(50), phases.atRate().ms(99) / base.atRate().ms(99)));
            }
        }

        EmptyAppBench.Result oneHop = yardsticks.get(EmptyStreamsApp.Shape.ONE_HOP);
        EmptyAppBench.Result fanOut5 = yardsticks.get(EmptyStreamsApp.Shape.ONE_HOP_X5);
        EmptyAppBench.Result twoHop = yardsticks.get(EmptyStreamsApp.Shape.TWO_HOP);
        Summary summary = new Summary()
                .ratio("async flat out : one-hop empty app flat out", base.flatOut(), oneHop == null ? null : oneHop.flatOut())
                .ratio("async flat out : one-hop-x5 empty app flat out", base.flatOut(), fanOut5 == null ? null : fanOut5.flatOut())
                .ratio("async flat out : two-hop empty app flat out", base.flatOut(), twoHop == null ? null : twoHop.flatOut())
                .ratio("async flat out commands/s : raw producer records/s", base.flatOut(), rawProducer)
                .latencyRatio("async @rate : raw round trip", base.atRate(), rawRt)
                .latencyRatio("async @rate : one-hop empty app", base.atRate(), oneHop == null ? null : oneHop.atRate())
                .latencyRatio("async @rate : one-hop-x5 empty app", base.atRate(), fanOut5 == null ? null : fanOut5.atRate());
        for (Bench.Row http : httpRows.values()) {
            summary.latencyRatio(http.name() + " : raw round trip", http, rawRt);
        }
        if (fanOut5 != null) {
            summary.note(String.format(Locale.ROOT, "ratio orchestrator CPU per command flat out : one-hop-x5 app CPU per input = %.1f",
                    base.flatOutMicros() / fanOut5.cpuMicrosPerRecord()));
        }
        if (warmUpNote != null) {
            summary.note(warmUpNote);
        }
        variantNotes.forEach(summary::note);

        Files.createDirectories(logs);
        Path keptLog = logs.resolve("orchestrator-" + runId + ".log");
        try (var workLogs = Files.list(work)) {
            for (Path l : workLogs.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                Files.copy(l, logs.resolve(l.getFileName().toString().replace(".log", "-" + runId + ".log")));
            }
        }

        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "edge-stop benchmark %s: broker %s, %d partitions, %s, mix %s, %d cores%n",
                Instant.now(), embedded ? "embedded (same JVM as the load generator)" : bootstrap, partitions,
                processingGuarantee, workload.mix, online));
        report.append(String.format(Locale.ROOT, "cores: %s; orchestrator JVM and yardstick apps on %s; benchmark JVM (load"
                + " generator%s, HTTP adapter, workers) on %s%n", cores.pinning() ? "pinned (taskset)" : "not pinned (--no-pin"
                + " or 1 core)", orchestratorCores, embedded ? ", broker" : "", Cores.allowed(ProcessHandle.current().pid())));
        if (workload.exhausted() > 0) {
            report.append(String.format(Locale.ROOT, "WARNING: %d accepted commands found no fresh job (%d + %d seeded) and were"
                    + " sent as notfound: raise --jobs%n", workload.exhausted(), jobs, workload.reserved));
        }
        report.append(Bench.table(rows)).append('\n');
        report.append(ThreadCpu.table(threadUsage)).append('\n');
        if (!httpThreads.isEmpty()) {
            report.append(ThreadCpu.table("benchmark JVM CPU by thread group (per answer)", ThreadCpu.BENCH_GROUPS, httpThreads))
                    .append('\n');
        }
        if (!written.isEmpty()) {
            report.append(RecordCounter.table(written));
            report.append("(topics: * = the run's prefix \"bench-").append(runId).append("\"; ~ = partly deleted by Kafka Streams before it"
                    + " could be counted, estimated; markers: one per partition per exactly-once transaction that wrote to it;"
                    + " aborted: records of aborted transactions; input topic stop-commands and Kafka's internal topics not counted)\n\n");
        }
        report.append(LogScan.of(orchestratorLog, 10, logMark).report("orchestrator", keptLog)).append('\n');
        report.append(LogCount.report()).append('\n');
        if (profileTable != null) {
            report.append(profileTable).append('\n');
        }
        if (soak != null) {
            soak.minutes().forEach(l -> report.append(l).append('\n'));
        }
        report.append(summary).append('\n');
        report.append(targets(yardsticks, base, httpRows, lifecycle, rss, workload, soak).markdown());
        report.append("\ncommand: ").append(commandLine).append('\n');
        LatencyPlot latencyPlot = new LatencyPlot("edge-stop latency distributions, " + Instant.now())
                .add(rawRt).add(oneHop == null ? null : oneHop.atRate()).add(fanOut5 == null ? null : fanOut5.atRate())
                .add(twoHop == null ? null : twoHop.atRate()).add(base.atRate());
        httpRows.values().forEach(latencyPlot::add);
        if (lifecycle != null) {
            latencyPlot.add(lifecycle.decisions()).add(lifecycle.completions());
        }
        latencyPlot.write(plot);
        report.append("latency plot: ").append(plot.toAbsolutePath()).append('\n');
        System.out.print(report);
        if (out != null) {
            Files.writeString(out, report.toString());
        }
        return 0;
    }

    /** Issue 19's targets against this run (see {@link Targets}). */
    private Targets targets(Map<EmptyStreamsApp.Shape, EmptyAppBench.Result> yardsticks, PipelinePhases base,
            Map<Double, Bench.Row> httpRows, LifecycleBench.Result lifecycle, long rss, Workload workload, SoakBench.Result soak) {
        Targets t = new Targets();
        String core = cores.pinning() ? null : "not pinned (--no-pin): not one core's figure";
        EmptyAppBench.Result oneHop = yardsticks.get(EmptyStreamsApp.Shape.ONE_HOP);
        EmptyAppBench.Result fanOut5 = yardsticks.get(EmptyStreamsApp.Shape.ONE_HOP_X5);
        for (Map.Entry<EmptyStreamsApp.Shape, EmptyAppBench.Result> e : yardsticks.entrySet()) {
            EmptyAppBench.Result y = e.getValue();
            if (e.getKey() != EmptyStreamsApp.Shape.TWO_HOP) {
                t.info("yardstick: " + y.flatOut().name().replace(", flat out", "") + " (core " + y.cores() + ")", String.format(
                        Locale.ROOT, "flat out %s, %s CPU per input; %s@%d/s p50 / p99 %s / %s", Targets.perSecond(y.flatOut().perSecond()),
                        Targets.us(y.cpuMicrosPerRecord()), y.atFixed() == null ? "" : String.format(Locale.ROOT, "@%d/s %s CPU per input; ",
                                (int) fixedRate, Targets.us(y.fixedCpuMicrosPerRecord())), (int) rate, Targets.ms(y.atRate().ms(50)),
                        Targets.ms(y.atRate().ms(99))), "yardstick");
            }
        }
        if (oneHop == null) {
            t.skipped("yardsticks: empty one-hop app, fan-out 1 and 5", "-", "--skip-empty-app");
        }
        if (base.atFixed() != null) {
            t.judged("orchestrator CPU per decision (mix) @" + (int) fixedRate + "/s for " + fixedSeconds + " s", "<= 60 us",
                    Targets.us(base.fixedMicros()) + " (achieved " + Targets.perSecond(base.atFixed().perSecond()) + ")"
                            + (fanOut5 == null || fanOut5.atFixed() == null ? "" : String.format(Locale.ROOT,
                                    "; one-hop-x5 app at the same rate %s per input, ratio %.1f", Targets.us(fanOut5.fixedCpuMicrosPerRecord()),
                                    base.fixedMicros() / fanOut5.fixedCpuMicrosPerRecord())),
                    base.fixedMicros() <= 60, core != null ? core : fixedRate == 2000 ? null : "the target is at 2,000/s");
        } else {
            t.skipped("orchestrator CPU per decision (mix) at a fixed rate", "<= 60 us", "--fixed-rate 0");
        }
        t.judged("orchestrator CPU per decision (mix) flat out", "<= 60 us", Targets.us(base.flatOutMicros()) + " ("
                + Targets.perSecond(base.flatOut().perSecond()) + ")", base.flatOutMicros() <= 60, core);
        ThreadCpu.Usage flatThreads = base.threads().get(base.threads().size() - 1);
        t.info("orchestrator CPU per decision by thread, flat out", ThreadCpu.brief(flatThreads), "figure");
        if (fanOut5 != null) {
            double r = base.flatOut().perSecond() / fanOut5.flatOut().perSecond();
            t.judged("flat out on one core : empty one-hop-x5 app on the same core", ">= 0.6", String.format(Locale.ROOT, "%.3f (%s : %s)",
                    r, Targets.perSecond(base.flatOut().perSecond()), Targets.perSecond(fanOut5.flatOut().perSecond())), r >= 0.6, core);
        } else {
            t.skipped("flat out on one core : empty one-hop-x5 app", ">= 0.6", "--skip-empty-app");
        }
        if (oneHop != null) {
            double r = base.atRate().ms(99) / oneHop.atRate().ms(99);
            t.judged("decision p99 @1,000/s : empty one-hop app p99", "<= 1.2", String.format(Locale.ROOT, "%.2f (%s : %s)", r,
                    Targets.ms(base.atRate().ms(99)), Targets.ms(oneHop.atRate().ms(99))), r <= 1.2,
                    rate == 1000 ? null : "--rate is not 1000");
        } else {
            t.skipped("decision p99 @1,000/s : empty one-hop app p99", "<= 1.2", "--skip-empty-app");
        }
        if (httpRows.isEmpty()) {
            t.skipped("HTTP open loop @1,000/s offered", "achieved >= 990/s, p99 <= 150 ms", "--skip-http");
        }
        httpRows.forEach((r, row) -> {
            String value = String.format(Locale.ROOT, "achieved %s, p99 %s; %s", Targets.perSecond(row.perSecond()),
                    Targets.ms(row.ms(99)), row.note().contains("SENDER BEHIND") ? row.note().substring(row.note().indexOf("SENDER BEHIND"))
                            : "sender on schedule");
            if (r == 1000) {
                t.judged("HTTP open loop @1,000/s offered", "achieved >= 990/s, p99 <= 150 ms", value,
                        row.perSecond() >= 990 && row.ms(99) <= 150, null);
            } else {
                t.info(String.format(Locale.ROOT, "HTTP open loop @%,.0f/s offered", r), value, "figure");
            }
        });
        if (lifecycle != null) {
            Bench.Row c = lifecycle.completions();
            t.judged("life cycle @1,000/s for 60 s: completions, command->COMPLETED p99", ">= 990/s, p99 <= 500 ms",
                    Targets.perSecond(c.perSecond()) + ", p99 " + Targets.ms(c.ms(99)), c.perSecond() >= 990 && c.ms(99) <= 500,
                    rate != 1000 ? "--rate is not 1000" : seconds < 60 ? "--seconds is under 60" : null);
        } else {
            t.skipped("life cycle @1,000/s for 60 s", ">= 990/s, p99 <= 500 ms", "--skip-lifecycle");
        }
        t.judged("orchestrator RSS, 1,000,000 jobs and 100,000 accounts", "<= 400 MiB", rss + " MiB with " + workload.seededJobs()
                + " jobs, " + (accounts + throttledAccounts) + " accounts" + (fanOut5 == null ? "" : "; the one-hop-x5 app (no state, same"
                + " JVM flags) " + fanOut5.rssMiB() + " MiB"), rss <= 400,
                workload.seededJobs() >= 1_000_000 && accounts >= 100_000 ? null : "use --jobs 1000000 --accounts 100000");
        if (soak != null && !soak.figures().isEmpty()) {
            List<SoakBench.Minute> m = soak.figures();
            int window = Math.min(10, Math.max(1, m.size() / 2));
            List<SoakBench.Minute> first = m.subList(0, window);
            List<SoakBench.Minute> last = m.subList(m.size() - window, m.size());
            double p99First = Targets.median(first.stream().map(SoakBench.Minute::decisionP99Ms).toList());
            double p99Last = Targets.median(last.stream().map(SoakBench.Minute::decisionP99Ms).toList());
            long rssFirst = first.stream().mapToLong(SoakBench.Minute::rssMiB).max().orElse(-1);
            long rssLast = last.stream().mapToLong(SoakBench.Minute::rssMiB).max().orElse(-1);
            t.judged("soak " + soakMinutes + " min @" + (int) rate + "/s with workers: first " + window + " min -> last " + window,
                    "flat: median per-minute p99 and max RSS of the last 10 min <= 1.2x / 1.1x the first 10 min",
                    String.format(Locale.ROOT, "p99 %s -> %s, RSS %d -> %d MiB", Targets.ms(p99First), Targets.ms(p99Last), rssFirst,
                            rssLast), p99Last <= 1.2 * p99First && rssLast <= 1.1 * rssFirst,
                    rate != 1000 ? "--rate is not 1000" : soakMinutes < 30 ? "--soak is under 30" : null);
        } else {
            t.skipped("soak 30 min @1,000/s with workers", "RSS and p99 flat", "no --soak");
        }
        t.skipped("single call on an idle ./edge-stop dev, 20 back to back", "median <= 30 ms", "./benchmark/idle-call");
        return t;
    }

    private int lifecycleWarmUp() {
        return (int) Math.min(rate * seconds, 2000);
    }

    /** Jobs seeded on top of --jobs for the phases that need fresh ones however many the others took. */
    private int reservedJobs(Workload.Mix theMix) {
        long n = recordsCommands;
        if (!skipLifecycle) {
            n += lifecycleWarmUp() + (long) (rate * seconds);
        }
        n += (long) Math.ceil(rate * 60 * soakMinutes * theMix.accepted() / (double) theMix.total() * 1.05);
        return (int) n;
    }

    private static String emptyIn(Topics topics, EmptyStreamsApp.Shape shape) {
        return topics.prefix() + "empty-" + shape.arg + "-in";
    }

    private static String emptyOut(Topics topics, EmptyStreamsApp.Shape shape) {
        return topics.prefix() + "empty-" + shape.arg + "-out";
    }

    /** A phase whose records written are counted. */
    @FunctionalInterface
    interface Phase<T> {
        T run() throws Exception;
    }

    /** Runs the phase between two snapshots of every topic's end offsets and adds what it wrote to {@code written}. */
    private static <T> T counting(RecordCounter counter, List<RecordCounter.Written> written, String label, long commands,
            Phase<T> phase) throws Exception {
        Thread.sleep(SETTLE_MS);
        RecordCounter.Snapshot before = counter.snapshot();
        T result = phase.run();
        Thread.sleep(SETTLE_MS);
        written.add(counter.written(label, commands, before, counter.snapshot()));
        return result;
    }

    /**
     * The pipeline rows: the async path at --rate; the CPU phase at --fixed-rate (null if 0); flat out; the
     * orchestrator's CPU per command of the last two, by thread group; the profile of the flat-out phase (or null).
     */
    record PipelinePhases(Bench.Row atRate, Bench.Row atFixed, Bench.Row cpuAtFixed, double fixedMicros, Bench.Row flatOut,
            Bench.Row cpuFlatOut, double flatOutMicros, List<ThreadCpu.Usage> threads, String profile) {
    }

    /** A phase's row and the orchestrator's CPU over it, by thread group. */
    private record Measured(Bench.Row row, ThreadCpu.Usage usage) {
        double microsPerCommand() {
            return usage.processSeconds() * 1e6 / Math.max(1, row.count());
        }

        Bench.Row cpuRow(String name, String cores) {
            return Bench.Row.info(name, String.format(Locale.ROOT, "%.1f us CPU per command (%.1f s CPU over %.1f s wall = %.2f"
                    + " cores, on core %s)", microsPerCommand(), usage.processSeconds(), usage.seconds(),
                    usage.processSeconds() / usage.seconds(), cores));
        }
    }

    /** The run's scratch directory (logs, state, JFR settings). */
    private Path work;

    /** Most flat-out warm-up rounds before the measured phases, however busy the JIT still is. */
    static final int MAX_WARM_UP_ROUNDS = 10;
    /** A round in which the JIT threads took less than this share of the orchestrator's CPU ends the flat-out warm-up. */
    static final double JIT_QUIET_SHARE = 0.10;
    /** Most warm-up rounds at --rate, and how long each lasts. */
    static final int MAX_PACED_WARM_UP_ROUNDS = 12;
    static final int PACED_WARM_UP_SECONDS = 5;
    /** A round at --rate in which the benchmark JVM's JIT threads took less than this many cores ends the warm-up. */
    static final double OWN_JIT_QUIET_CORES = 0.10;

    /**
     * Warms both JVMs before the measured phases, so that they measure decisions, not the JVMs' warm-up: flat-out
     * rounds of {@code n} commands until the orchestrator's JIT threads take under {@link #JIT_QUIET_SHARE} of its CPU
     * (after one round C2 still compiled some 3,800 methods during the flat-out phase, half the pinned core), then
     * rounds at --rate until the benchmark JVM's take under {@link #OWN_JIT_QUIET_CORES} cores: that JVM holds the
     * embedded broker, which compiled its paths for paced traffic on core 0 through the first latency phases and
     * made them two to five times slower than the same phases later in the run (docs/benchmarks.md). Returns the
     * rounds' JIT figures, for the report.
     */
    private String warmUntilJitQuiet(PipelineBench pipeline, OrchestratorProcess orchestrator, int n, String label)
            throws Exception {
        List<String> flat = new ArrayList<>();
        for (int round = 1; round <= MAX_WARM_UP_ROUNDS; round++) {
            log.info("{}warm-up round {}", label, round);
            Measured m = measured(orchestrator, "warm-up", () -> pipeline.run("warm-up", n, 0, Duration.ofMinutes(3)));
            double jit = m.usage().cpuSeconds().getOrDefault("JIT (C1/C2)", 0.0) / Math.max(1e-9, m.usage().processSeconds());
            flat.add(String.format(Locale.ROOT, "%.0f%% (%,.0f/s)", jit * 100, m.row().perSecond()));
            if (jit < JIT_QUIET_SHARE) {
                break;
            }
        }
        List<String> paced = new ArrayList<>();
        if (rate > 0) {
            for (int round = 1; round <= MAX_PACED_WARM_UP_ROUNDS; round++) {
                log.info("{}warm-up at {}/s, round {}", label, (int) rate, round);
                long ownJit = ThreadCpu.ownJitTicks();
                long t0 = System.nanoTime();
                Bench.Row r = pipeline.run("warm-up", (int) (rate * PACED_WARM_UP_SECONDS), rate, Duration.ofMinutes(2));
                double cores = ThreadCpu.ownJitCores(ownJit, (System.nanoTime() - t0) / 1e9);
                paced.add(String.format(Locale.ROOT, "%.2f (p50 %.0f ms)", cores, r.ms(50)));
                if (!(cores >= OWN_JIT_QUIET_CORES)) {
                    break;
                }
            }
        }
        return String.format(Locale.ROOT, "%swarm-up: %d flat-out round(s) of %,d commands until the orchestrator's JIT took"
                + " under %.0f%% of its CPU, by round %s; then %d round(s) of %d s at %d/s until the benchmark JVM's (broker)"
                + " JIT took under %.2f cores, by round (and the round's decision p50) %s", label, flat.size(), n,
                JIT_QUIET_SHARE * 100, String.join(", ", flat), paced.size(), PACED_WARM_UP_SECONDS, (int) rate,
                OWN_JIT_QUIET_CORES, String.join(", ", paced));
    }

    /** Runs {@code phase} between two samples of the orchestrator's threads. */
    private static Measured measured(OrchestratorProcess orchestrator, String label, Phase<Bench.Row> phase) throws Exception {
        ThreadCpu.Sample before = ThreadCpu.sample(orchestrator.pid());
        long t0 = System.nanoTime();
        Bench.Row row = phase.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Measured(row, ThreadCpu.usage(label, row.count(), seconds, before, ThreadCpu.sample(orchestrator.pid())));
    }

    /**
     * The async path at the fixed rate, then (unless --fixed-rate 0) at --fixed-rate for --fixed-seconds, then flat
     * out (with a counter, the records it wrote; with --profile, under JFR), with the orchestrator's CPU over the last two.
     */
    private PipelinePhases pipelinePhases(PipelineBench pipeline, OrchestratorProcess orchestrator, String label, int fixed,
            RecordCounter counter, List<RecordCounter.Written> written) throws Exception {
        String on = Cores.allowed(orchestrator.pid());
        log.info("{}pipeline at a fixed rate", label);
        Bench.Row atRate = pipeline.run(label + "pipeline async, command->decision @" + (int) rate + "/s", fixed, rate,
                Duration.ofMinutes(2));
        List<ThreadCpu.Usage> threads = new ArrayList<>();
        Measured atFixed = null;
        if (fixedRate > 0) {
            log.info("{}pipeline at {}/s for {} s (CPU)", label, (int) fixedRate, fixedSeconds);
            int n = (int) (fixedRate * fixedSeconds);
            atFixed = measured(orchestrator, label + "@" + (int) fixedRate + "/s", () -> pipeline.run(label
                    + "pipeline async, command->decision @" + (int) fixedRate + "/s", n, fixedRate, Duration.ofMinutes(5)));
            threads.add(atFixed.usage());
        }
        log.info("{}pipeline flat out", label);
        boolean profiling = profile != null && label.isEmpty();
        Phase<Measured> flatOut = () -> {
            if (profiling) {
                orchestrator.startProfile(work);
            }
            Measured m = measured(orchestrator, label + "flat out", () -> pipeline.run(label + "pipeline async, flat out", commands,
                    0, Duration.ofMinutes(10)));
            if (profiling) {
                Files.createDirectories(profile.toAbsolutePath().getParent());
                orchestrator.stopProfile(profile);
            }
            return m;
        };
        Measured flat = counter == null ? flatOut.run() : counting(counter, written, "mix flat out", commands, flatOut);
        threads.add(flat.usage());
        String profileTable = null;
        if (profiling) {
            profileTable = "orchestrator, flat out: " + profile.toAbsolutePath() + " (jfr print --events"
                    + " jdk.ExecutionSample,jdk.NativeMethodSample FILE for the stacks)\n" + JfrTop.read(profile).table(profileFrames);
        }
        return new PipelinePhases(atRate, atFixed == null ? null : atFixed.row(),
                atFixed == null ? null : atFixed.cpuRow(label + "orchestrator CPU per command, async @" + (int) fixedRate + "/s", on),
                atFixed == null ? Double.NaN : atFixed.microsPerCommand(), flat.row(),
                flat.cpuRow(label + "orchestrator CPU per command, async flat out", on), flat.microsPerCommand(), threads,
                profileTable);
    }

    /** The benchmark JVM's CPU by thread group over each measured HTTP phase (adapter, broker, load generator). */
    private final List<ThreadCpu.Usage> httpThreads = new ArrayList<>();

    /** Signed HTTP calls through an in-process adapter, open loop at {@code offered} calls per second for --seconds. */
    private Bench.Row httpPhase(Bench.Env env, Topics topics, Workload workload, String label, double offered) throws Exception {
        log.info("{}HTTP @{}/s", label, (int) offered);
        Map<String, String> adapterSettings = env.componentSettings();
        adapterSettings.putAll(Map.of("topic.prefix", topics.prefix(), "http.host", "127.0.0.1", "http.port", "0",
                "reply.timeout.ms", "10000"));
        try (ApiAdapter adapter = ApiAdapter.start(AdapterConfig.fromMap(adapterSettings),
                new InMemoryCredentialStore(workload.credentials()))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!adapter.ready() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            URI endpoint = adapter.baseUrl();
            OpenLoopHttpBench http = new OpenLoopHttpBench(endpoint, workload);
            http.run("warm-up", 2000, offered, httpConnections);
            long self = ProcessHandle.current().pid();
            ThreadCpu.Sample before = ThreadCpu.sample(self);
            long start = System.nanoTime();
            ThreadCpu.Sample[] after = new ThreadCpu.Sample[1];
            long[] end = new long[1];
            Bench.Row row = http.run(label + "HTTP signed call->response, open loop @" + (int) offered + "/s offered",
                    (int) (offered * seconds), offered, httpConnections, () -> {
                        end[0] = System.nanoTime();
                        after[0] = ThreadCpu.sampleOrNull(self); // while the callers still run, so their CPU counts as theirs
                    });
            if (after[0] != null) {
                httpThreads.add(ThreadCpu.usage(label + "HTTP @" + (int) offered + "/s", row.count(), (end[0] - start) / 1e9,
                        before, after[0], ThreadCpu.BENCH_GROUPS, ThreadCpu::benchGroup));
            }
            return row;
        }
    }

    /** Writes settings and policies of every account and every job; record times just before now. */
    static long seed(Bench.Env env, Topics topics, Workload workload) throws Exception {
        Instant at = Instant.now().minusSeconds(30);
        long ts = at.toEpochMilli();
        long n = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(env.producerProps(20), new StringSerializer(),
                new ByteArraySerializer())) {
            var settingsSerde = AvroSerdes.accountSettings();
            var policiesSerde = AvroSerdes.accountPolicies();
            var jobSerde = AvroSerdes.jobState();
            for (String account : workload.allAccounts()) {
                producer.send(new ProducerRecord<>(topics.accountSettings(), null, ts, account,
                        settingsSerde.serialize(null, workload.settings(account))));
                producer.send(new ProducerRecord<>(topics.accountPolicies(), null, ts, account,
                        policiesSerde.serialize(null, workload.policies(account))));
                n += 2;
            }
            for (int j = 0; j < workload.seededJobs(); j++) {
                var job = workload.job(j, at);
                producer.send(new ProducerRecord<>(topics.jobState(), null, ts, JobKey.of(job.getClusterId(), job.getJobId()),
                        jobSerde.serialize(null, job)));
                n++;
            }
            producer.flush();
        }
        return n;
    }

    /**
     * Waits until the orchestrator is RUNNING, which it reaches only once its global job-state store is
     * restored to the end of job-state (seeded before it started), and its group has committed the end
     * offset of every partition of these topics (the account tables).
     */
    private static void awaitCaughtUp(Bench.Env env, String groupId, List<String> inputTopics, OrchestratorProcess orchestrator,
            Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = env.admin()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(inputTopics).allTopicNames().get().forEach((name, d) -> d.partitions()
                    .forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request).all().get();
            while (System.nanoTime() < deadline) {
                if (!orchestrator.alive()) {
                    throw new IllegalStateException("the orchestrator JVM exited; see its log");
                }
                if (!orchestrator.running()) {
                    Thread.sleep(500);
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                        .partitionsToOffsetAndMetadata().get();
                List<TopicPartition> behind = ends.entrySet().stream()
                        .filter(e -> e.getValue().offset() > 0)
                        .filter(e -> committed.get(e.getKey()) == null || committed.get(e.getKey()).offset() < e.getValue().offset())
                        .map(Map.Entry::getKey).collect(Collectors.toList());
                if (behind.isEmpty()) {
                    return;
                }
                Thread.sleep(500);
            }
            throw new IllegalStateException("the orchestrator did not load the tables within " + timeout);
        }
    }
}
