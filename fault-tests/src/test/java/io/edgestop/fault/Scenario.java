package io.edgestop.fault;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.edgestop.orchestrator.kafka.TopicProvisioner;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;

/**
 * The world every fault test runs in: two accounts, {@code jobs} running jobs spread over three
 * clusters, and a generator of stop commands whose decision is known in advance.
 *
 * <ul>
 * <li>{@link Kind#ACCEPT}: account {@value #OK} (feature on, quota raised so it never throttles),
 *     root principal, a running job no other command targets: ACCEPTED, one attempt-1 directive;</li>
 * <li>{@link Kind#NOT_FOUND}: account {@value #OK}, a job that does not exist: JobNotFound;</li>
 * <li>{@link Kind#FORBIDDEN}: account {@value #OK}, a RAM user without policies, an existing job: Forbidden;</li>
 * <li>{@link Kind#THROTTLE}: account {@value #THROTTLED} (5 calls/minute), a job that does not exist:
 *     Throttling.User, except the calls that pass the quota (at most 5 in any 60 s), which get JobNotFound;
 *     {@link Verifier} checks which ones exactly, from the account's decisions in order;</li>
 * <li>{@link Kind#REPEAT}: account {@value #OK}, root, the job of an earlier accepted command whose stop is still
 *     pending (no edge worker runs): ACCEPTED joining that stop, no second directive.</li>
 * </ul>
 */
final class Scenario {

    static final String OK = "1000001";
    static final String THROTTLED = "1000002";
    static final int THROTTLED_PER_MINUTE = 5;
    static final List<String> CLUSTERS = List.of("edge-a", "edge-b", "edge-c");
    static final int PARTITIONS = 6;
    static final String DOMAIN = "live.example.com";

    enum Kind { ACCEPT, NOT_FOUND, FORBIDDEN, THROTTLE, REPEAT }

    final Topics topics;
    final int jobs;
    private final AtomicInteger nextJob = new AtomicInteger();
    private final AtomicInteger seq = new AtomicInteger();

    Scenario(String prefix, int jobs) {
        this.topics = new Topics(prefix);
        this.jobs = jobs;
    }

    static String root(String account) {
        return "acs:ram::" + account + ":root";
    }

    static String jobId(int i) {
        return "job-" + i;
    }

    static String clusterOf(int i) {
        return CLUSTERS.get(i % CLUSTERS.size());
    }

    /** Creates every topic the way the orchestrator's runner does (replication factor 1); returns once each partition has a leader. */
    void provision(String bootstrap) {
        provision(bootstrap, (short) 1);
    }

    /** The same with this replication factor (and so its min ISR, {@link io.edgestop.orchestrator.runtime.MinInsyncReplicas}). */
    void provision(String bootstrap, short replicationFactor) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            TopicProvisioner.createAll(admin, topics, PARTITIONS, replicationFactor);
            TopicProvisioner.createDirectiveTopics(admin, topics, CLUSTERS, PARTITIONS, replicationFactor); // returns once led
        }
    }

    /**
     * Writes settings, policies and the running jobs; waits for every ack. Seeding is idempotent
     * (compacted topics, same keys and values), so a producer that does not finish within 45 s is
     * abandoned and the seed written again by a new one (seen once on a freshly started embedded
     * broker: one partition's batch never sent).
     */
    void seed(String bootstrap) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                seedOnce(bootstrap);
                return;
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                if (attempt == 3) {
                    throw e;
                }
                System.out.println("[seed] attempt " + attempt + " did not complete (" + e + "); seeding again");
            }
        }
    }

    private void seedOnce(String bootstrap) throws Exception {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(bootstrap));
        boolean done = false;
        try {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            acks.add(producer.send(new ProducerRecord<>(topics.accountSettings(), OK, AvroSerdes.accountSettings()
                    .serialize(topics.accountSettings(), AccountSettings.newBuilder().setAccountId(OK)
                            .setEdgeTranscodeEnabled(true).setStopCallsPerMinute(10_000_000).setRevision(1).build()))));
            acks.add(producer.send(new ProducerRecord<>(topics.accountSettings(), THROTTLED, AvroSerdes.accountSettings()
                    .serialize(topics.accountSettings(), AccountSettings.newBuilder().setAccountId(THROTTLED)
                            .setEdgeTranscodeEnabled(true).setStopCallsPerMinute(THROTTLED_PER_MINUTE).setRevision(1).build()))));
            for (String account : List.of(OK, THROTTLED)) {
                acks.add(producer.send(new ProducerRecord<>(topics.accountPolicies(), account, AvroSerdes.accountPolicies()
                        .serialize(topics.accountPolicies(), AccountPolicies.newBuilder().setAccountId(account)
                                .setPrincipals(new HashMap<>()).setRevision(1).build()))));
            }
            Instant started = Instant.now().minusSeconds(3600);
            for (int i = 0; i < jobs; i++) {
                JobState s = JobState.newBuilder().setClusterId(clusterOf(i)).setJobId(jobId(i)).setAccountId(OK)
                        .setDomainName(DOMAIN).setStatus(JobStatus.RUNNING).setLastStartAt(started).setRevision(1)
                        .setUpdatedBy("fault-tests").build();
                acks.add(producer.send(new ProducerRecord<>(topics.jobState(), JobKey.of(clusterOf(i), jobId(i)),
                        AvroSerdes.jobState().serialize(topics.jobState(), s))));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            done = true;
        } finally {
            producer.close(done ? java.time.Duration.ofSeconds(30) : java.time.Duration.ZERO);
        }
    }

    /** An idempotent, retrying producer: acks=all, unbounded retries within a generous delivery timeout. */
    static Properties producerProps(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** Reserves a running job no other command targets (for HTTP calls that must be accepted). */
    int takeJob() {
        int j = nextJob.getAndIncrement();
        if (j >= jobs) {
            throw new IllegalStateException("scenario has only " + jobs + " jobs to accept stops for");
        }
        return j;
    }

    /** A command of the given kind with a fresh request id ({@link Kind#REPEAT}: see {@link #repeat(StopCommand)}). */
    StopCommand command(Kind kind) {
        int n = seq.incrementAndGet();
        String requestId = String.format("cmd-%s-%06d", kind.name().toLowerCase(), n);
        StopCommand.Builder b = StopCommand.newBuilder().setRequestId(requestId).setRequestTime(Instant.now())
                .setSourceIp("10.0.0.1").setSecureTransport(true);
        switch (kind) {
            case ACCEPT -> {
                int j = takeJob();
                b.setAccountId(OK).setPrincipal(root(OK)).setClusterId(clusterOf(j)).setJobId(jobId(j));
            }
            case NOT_FOUND -> b.setAccountId(OK).setPrincipal(root(OK)).setClusterId(clusterOf(n)).setJobId("absent-" + n);
            case FORBIDDEN -> b.setAccountId(OK).setPrincipal("acs:ram::" + OK + ":user/intruder")
                    .setClusterId(clusterOf(0)).setJobId(jobId(0));
            case THROTTLE -> b.setAccountId(THROTTLED).setPrincipal(root(THROTTLED)).setClusterId(clusterOf(n))
                    .setJobId("absent-" + n);
            case REPEAT -> throw new IllegalArgumentException("a repeat names the command it repeats: repeat(StopCommand)");
        }
        return b.build();
    }

    /** A second stop (new request id) for the job of an accepted command: it joins that command's stop. */
    StopCommand repeat(StopCommand accepted) {
        int n = seq.incrementAndGet();
        return StopCommand.newBuilder(accepted).setRequestId(String.format("cmd-repeat-%06d", n))
                .setRequestTime(Instant.now()).build();
    }

    /** The usual mix: 40% accepted, 20% each of not found, forbidden and throttled. */
    static Kind kindFor(long i) {
        return switch ((int) (i % 5)) {
            case 0, 1 -> Kind.ACCEPT;
            case 2 -> Kind.NOT_FOUND;
            case 3 -> Kind.FORBIDDEN;
            default -> Kind.THROTTLE;
        };
    }

    /** Null when the decision is the one this kind must get, else what is wrong. */
    static String mismatch(Kind kind, StopResult r) {
        boolean ok = switch (kind) {
            case ACCEPT -> r.getOutcome() == Outcome.ACCEPTED && r.getJoinedRequestId() == null;
            case NOT_FOUND -> r.getOutcome() == Outcome.REJECTED && "JobNotFound".equals(r.getCode());
            case FORBIDDEN -> r.getOutcome() == Outcome.REJECTED && "Forbidden".equals(r.getCode());
            case THROTTLE -> r.getOutcome() == Outcome.REJECTED
                    && ("Throttling.User".equals(r.getCode()) || "JobNotFound".equals(r.getCode()));
            case REPEAT -> r.getOutcome() == Outcome.ACCEPTED && r.getJoinedRequestId() != null;
        };
        return ok ? null : kind + " command " + r.getRequestId() + " got " + r.getOutcome() + "/" + r.getCode()
                + " joined=" + r.getJoinedRequestId();
    }

    /** Orchestrator settings shared by every test: replication factor 1, redelivery far away. */
    Map<String, String> orchestratorSettings(String bootstrap, String applicationId, String stateDir) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("bootstrap.servers", bootstrap);
        m.put("topic.prefix", topics.prefix());
        m.put("application.id", applicationId);
        m.put("state.dir", stateDir);
        m.put("replication.factor", "1");
        m.put("num.standby.replicas", "0");
        m.put("directive.deadline.ms", "600000");
        // a killed member leaves the group after 6 s instead of 45 s
        m.put("kafka.session.timeout.ms", "6000");
        m.put("kafka.heartbeat.interval.ms", "1500");
        return m;
    }
}
