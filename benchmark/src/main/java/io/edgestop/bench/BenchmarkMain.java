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
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
import io.edgestop.adapter.InMemoryCredentialStore;
import io.edgestop.launcher.EmbeddedKafka;
import io.edgestop.orchestrator.TopicProvisioner;
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

    @Option(names = "--accounts", defaultValue = "10000", description = "Accounts (default ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--throttled-accounts", defaultValue = "20",
            description = "Extra accounts with a quota of 60 calls/minute, for the throttled share (default ${DEFAULT-VALUE}).")
    int throttledAccounts;

    @Option(names = "--jobs", defaultValue = "200000", description = "Running jobs seeded (default ${DEFAULT-VALUE}).")
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

    @Option(names = "--seconds", defaultValue = "10", description = "Length of each fixed-rate phase (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--http-connections", defaultValue = "64", description = "Concurrent HTTP connections (default ${DEFAULT-VALUE}).")
    int httpConnections;

    @Option(names = "--raw-records", defaultValue = "300000", description = "Records for the raw producer phase (default ${DEFAULT-VALUE}).")
    int rawRecords;

    @Option(names = "--orchestrator-heap", defaultValue = "512m", description = "-Xmx of the orchestrator JVM (default ${DEFAULT-VALUE}).")
    String orchestratorHeap;

    @Option(names = "--processing-guarantee", defaultValue = "exactly_once_v2", description = "Orchestrator processing.guarantee (default ${DEFAULT-VALUE}).")
    String processingGuarantee;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Extra orchestrator setting (repeatable), e.g. commit.interval.ms=50.")
    Map<String, String> orchestratorSettings = new LinkedHashMap<>();

    @Option(names = "--orchestrator-jfr", paramLabel = "FILE",
            description = "Record a JFR profile of the orchestrator JVM into FILE (profile settings).")
    Path orchestratorJfr;

    @Option(names = "--compare", paramLabel = "KEY=VALUE[,KEY=VALUE...]",
            description = "After the main run, run the pipeline phases again with these orchestrator settings (repeatable; one"
                    + " fresh orchestrator per variant, same broker and tables), e.g. --compare kafka.num.stream.threads=2.")
    List<String> compare = new ArrayList<>();

    @Option(names = "--skip-http", description = "Skip the HTTP phase.")
    boolean skipHttp;

    @Option(names = "--skip-empty-app", description = "Skip the empty Kafka Streams app of the same shape (the yardstick).")
    boolean skipEmptyApp;

    @Option(names = "--out", description = "Also write the table to this file.")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchmarkMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
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

    private int run(String bootstrap, Path work, boolean embedded) throws Exception {
        Bench.Env env = new Bench.Env(bootstrap);
        String runId = UUID.randomUUID().toString().substring(0, 6);
        Topics topics = new Topics("bench-" + runId + ".");
        Workload workload = new Workload(accounts, throttledAccounts, jobs, clusters, Workload.Mix.parse(mix), 42);
        String rawTopic = topics.prefix() + "raw";
        String emptyIn = topics.prefix() + "empty-app-in";
        String emptyOut = topics.prefix() + "empty-app-out";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicProvisioner.createAll(admin, topics, partitions, (short) 1);
            TopicProvisioner.createDirectiveTopics(admin, topics, workload.clusterIds(), partitions, (short) 1);
            TopicProvisioner.create(admin, List.of(new NewTopic(rawTopic, partitions, (short) 1),
                    new NewTopic(emptyIn, partitions, (short) 1), new NewTopic(emptyOut, partitions, (short) 1)));
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
        settings.put("directive.deadline.ms", "3600000"); // no redelivery during the run: no workers here
        settings.putAll(orchestratorSettings);
        List<Bench.Row> rows = new ArrayList<>();
        Bench.Row emptyRate = null;
        Bench.Row emptyFlat = null;
        Bench.Row pipeRate;
        Bench.Row pipeFlat;
        Bench.Row httpRow = null;
        String heapNote;
        String cpuNote;
        try (OrchestratorProcess orchestrator = OrchestratorProcess.start(orchestratorHeap,
                orchestratorJfr == null ? List.of() : List.of("-XX:StartFlightRecording=settings=profile,filename="
                        + orchestratorJfr.toAbsolutePath()), settings, work.resolve("orchestrator.log"))) {
            long catchUp = System.nanoTime();
            awaitCaughtUp(bootstrap, "bench-" + runId, List.of(topics.jobState(), topics.accountSettings(), topics.accountPolicies()),
                    orchestrator, Duration.ofMinutes(10));
            log.info("orchestrator (pid {}) loaded the tables in {} s", orchestrator.pid(),
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - catchUp) / 1e9));

            int recordBytes = AvroSerdes.stopCommand().serialize("t", workload.next(null).command()).length;
            RawKafkaBench raw = new RawKafkaBench(env);
            try (ResultCollector results = new ResultCollector(env, topics.stopResults())) {
                PipelineBench pipeline = new PipelineBench(env, workload, topics.stopCommands(), results);
                log.info("warm-up");
                pipeline.run("warm-up", 20_000, 0, Duration.ofMinutes(3));

                log.info("raw Kafka");
                rows.add(raw.producerThroughput(rawTopic, rawRecords, recordBytes));
                int fixed = (int) (rate * seconds);
                rows.add(raw.roundTrip(rawTopic, partitions, rate, fixed, recordBytes));

                if (!skipEmptyApp) {
                    log.info("empty Kafka Streams app of the same shape");
                    Map<String, String> emptySettings = new HashMap<>(settings);
                    emptySettings.put("application.id", "bench-" + runId + "-empty");
                    emptySettings.put("state.dir", work.resolve("empty-streams").toString());
                    List<String> args = new ArrayList<>(List.of(emptyIn, emptyOut));
                    emptySettings.forEach((k, v) -> args.add(k + "=" + v));
                    Path emptyLog = work.resolve("empty-app.log");
                    try (OrchestratorProcess empty = OrchestratorProcess.startMain(EmptyStreamsApp.class.getName(), args,
                            orchestratorHeap, List.of(), emptyLog)) {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                        while (!Files.readString(emptyLog).contains("empty streams app running")) {
                            if (System.nanoTime() > deadline || !empty.alive()) {
                                throw new IllegalStateException("the empty Streams app did not start: " + emptyLog);
                            }
                            Thread.sleep(100);
                        }
                        raw.roundTrip("warm-up", emptyIn, emptyOut, partitions, 0, 20_000, recordBytes);
                        emptyRate = raw.roundTrip("empty Streams app (same shape), in->out @" + (int) rate + "/s", emptyIn, emptyOut,
                                partitions, rate, fixed, recordBytes);
                        emptyFlat = raw.roundTrip("empty Streams app (same shape), flat out", emptyIn, emptyOut, partitions, 0,
                                commands, recordBytes);
                        rows.add(emptyRate);
                        rows.add(emptyFlat);
                    }
                }

                PipelinePhases base = pipelinePhases(pipeline, orchestrator, "", fixed);
                pipeRate = base.atRate();
                pipeFlat = base.flatOut();
                rows.add(pipeRate);
                rows.add(pipeFlat);
                cpuNote = base.cpuNote();

                if (!skipHttp) {
                    httpRow = httpPhase(bootstrap, topics, workload, "", fixed);
                    rows.add(httpRow);
                }
            }
            long[] heap = orchestrator.heapAfterGcMiB();
            heapNote = String.format(Locale.ROOT, "orchestrator heap after full GC: %d MiB used of %d MiB committed (-Xmx%s), %d jobs,"
                    + " %d accounts; process RSS (heap + RocksDB, native) %d MiB", heap[0], heap[1], orchestratorHeap, jobs,
                    accounts + throttledAccounts, orchestrator.rssMiB());
        }

        // the same pipeline phases with other orchestrator settings, one fresh orchestrator each, same broker and tables
        List<String> variantNotes = new ArrayList<>();
        int fixed = (int) (rate * seconds);
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
            skipCommandsSoFar(bootstrap, appId, topics.stopCommands());
            workload.reuseJobs();
            log.info("variant {}", variant);
            try (OrchestratorProcess orchestrator = OrchestratorProcess.start(orchestratorHeap, List.of(), variantSettings,
                    work.resolve("orchestrator-v" + v + ".log"));
                 ResultCollector results = new ResultCollector(env, topics.stopResults())) {
                awaitCaughtUp(bootstrap, appId, List.of(topics.jobState(), topics.accountSettings(), topics.accountPolicies()),
                        orchestrator, Duration.ofMinutes(10));
                PipelineBench pipeline = new PipelineBench(env, workload, topics.stopCommands(), results);
                pipeline.run("warm-up", 20_000, 0, Duration.ofMinutes(3));
                PipelinePhases phases = pipelinePhases(pipeline, orchestrator, "[" + variant + "] ", fixed);
                rows.add(phases.atRate());
                rows.add(phases.flatOut());
                if (!skipHttp) {
                    rows.add(httpPhase(bootstrap, topics, workload, "[" + variant + "] ", fixed));
                }
                variantNotes.add(String.format(Locale.ROOT, "[%s] flat-out : baseline flat-out = %.2f; p50/p99 @%d/s : baseline = %.2f / %.2f; %s",
                        variant, phases.flatOut().perSecond() / pipeFlat.perSecond(), (int) rate,
                        phases.atRate().ms(50) / pipeRate.ms(50), phases.atRate().ms(99) / pipeRate.ms(99), phases.cpuNote()));
            }
        }

        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "edge-stop benchmark %s: broker %s, %d partitions, %s, mix %s, %d cores%n",
                Instant.now(), embedded ? "embedded (same JVM as the load generator)" : bootstrap, partitions,
                processingGuarantee, workload.mix, Runtime.getRuntime().availableProcessors()));
        report.append(Bench.table(rows));
        Bench.Row rawProducer = rows.get(0);
        Bench.Row rawRt = rows.get(1);
        report.append(String.format(Locale.ROOT, "ratio pipeline flat-out commands/s : raw producer records/s = %.3f%n",
                pipeFlat.perSecond() / rawProducer.perSecond()));
        report.append(String.format(Locale.ROOT, "ratio pipeline p50/p99 : raw round-trip p50/p99 = %.1f / %.1f%n",
                pipeRate.ms(50) / rawRt.ms(50), pipeRate.ms(99) / rawRt.ms(99)));
        if (emptyFlat != null) {
            report.append(String.format(Locale.ROOT, "ratio pipeline flat-out : empty Streams app flat-out = %.3f%n",
                    pipeFlat.perSecond() / emptyFlat.perSecond()));
            report.append(String.format(Locale.ROOT, "ratio pipeline p50/p99 : empty Streams app p50/p99 = %.1f / %.1f%n",
                    pipeRate.ms(50) / emptyRate.ms(50), pipeRate.ms(99) / emptyRate.ms(99)));
        }
        if (httpRow != null) {
            report.append(String.format(Locale.ROOT, "ratio HTTP p50/p99 : raw round-trip p50/p99 = %.1f / %.1f%n",
                    httpRow.ms(50) / rawRt.ms(50), httpRow.ms(99) / rawRt.ms(99)));
        }
        report.append(cpuNote).append('\n');
        variantNotes.forEach(n -> report.append(n).append('\n'));
        report.append(heapNote).append('\n');
        System.out.print(report);
        if (out != null) {
            Files.writeString(out, report.toString());
        }
        return 0;
    }

    record PipelinePhases(Bench.Row atRate, Bench.Row flatOut, String cpuNote) {
    }

    /** The async path at the fixed rate, then flat out with the orchestrator's CPU over that phase. */
    private PipelinePhases pipelinePhases(PipelineBench pipeline, OrchestratorProcess orchestrator, String label, int fixed)
            throws Exception {
        log.info("{}pipeline at a fixed rate", label);
        Bench.Row atRate = pipeline.run(label + "pipeline async, command->result @" + (int) rate + "/s", fixed, rate,
                Duration.ofMinutes(2));
        log.info("{}pipeline flat out", label);
        double cpu0 = orchestrator.cpuSeconds();
        long t0 = System.nanoTime();
        Bench.Row flat = pipeline.run(label + "pipeline async, flat out", commands, 0, Duration.ofMinutes(10));
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = orchestrator.cpuSeconds() - cpu0;
        String note = String.format(Locale.ROOT, "%sorchestrator CPU during flat out: %.1f s over %.1f s wall = %.2f cores (%.1f us CPU per command)",
                label, cpu, wall, cpu / wall, cpu * 1e6 / Math.max(1, flat.count()));
        return new PipelinePhases(atRate, flat, note);
    }

    /** Signed HTTP calls through an in-process adapter at the fixed rate. */
    private Bench.Row httpPhase(String bootstrap, Topics topics, Workload workload, String label, int fixed) throws Exception {
        log.info("{}HTTP", label);
        Map<String, String> adapterSettings = Map.of("bootstrap.servers", bootstrap, "topic.prefix", topics.prefix(),
                "http.host", "127.0.0.1", "http.port", "0", "reply.timeout.ms", "10000");
        try (ApiAdapter adapter = ApiAdapter.start(AdapterConfig.fromMap(adapterSettings),
                new InMemoryCredentialStore(workload.credentials()))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!adapter.ready() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            URI endpoint = adapter.baseUrl();
            HttpBench http = new HttpBench(endpoint, workload);
            http.run("warm-up", 2000, rate, httpConnections);
            return http.run(label + "HTTP signed call->response @" + (int) rate + "/s (" + httpConnections + " conns)",
                    fixed, rate, httpConnections);
        }
    }

    /** Commits the group's offsets of the command topic at its end, so a new orchestrator decides only new commands. */
    private static void skipCommandsSoFar(String bootstrap, String groupId, String commandTopic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(List.of(commandTopic)).allTopicNames().get().get(commandTopic).partitions()
                    .forEach(p -> request.put(new TopicPartition(commandTopic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, OffsetAndMetadata> at = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> at.put(tp, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(groupId, at).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Writes settings and policies of every account and every job; record times just before now. */
    private long seed(Bench.Env env, Topics topics, Workload workload) throws Exception {
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
            for (int j = 0; j < workload.jobs; j++) {
                var job = workload.job(j, at);
                producer.send(new ProducerRecord<>(topics.jobState(), null, ts, JobKey.of(job.getClusterId(), job.getJobId()),
                        jobSerde.serialize(null, job)));
                n++;
            }
            producer.flush();
        }
        return n;
    }

    /** Waits until the orchestrator's group has committed the end offset of every partition of these topics. */
    private static void awaitCaughtUp(String bootstrap, String groupId, List<String> inputTopics, OrchestratorProcess orchestrator,
            Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(inputTopics).allTopicNames().get().forEach((name, d) -> d.partitions()
                    .forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request).all().get();
            while (System.nanoTime() < deadline) {
                if (!orchestrator.alive()) {
                    throw new IllegalStateException("the orchestrator JVM exited; see its log");
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
