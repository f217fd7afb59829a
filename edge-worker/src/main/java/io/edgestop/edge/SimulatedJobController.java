package io.edgestop.edge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.edgestop.schema.JobStatus;
import io.edgestop.topics.JobKey;

/**
 * A job controller for the dev stack and tests: jobs "run" until stopped. A stop takes
 * {@code stopLatency}, fails with probability {@code failureRate} (decided by a seeded
 * {@link Random}, so a run is reproducible for a given sequence of calls), and is idempotent:
 * stopping a stopped job answers with the original stop time and does not count as a stop.
 *
 * <p>The controller stands for the edge cluster itself, not for a worker process: share one
 * instance between successive workers to model a worker crash and restart.
 */
public final class SimulatedJobController implements JobController {

    /** Config keys understood by {@link #fromMap(Map)}. */
    public static final String STOP_LATENCY_MS = "simulated.stop.latency.ms";
    public static final String FAILURE_RATE = "simulated.failure.rate";
    public static final String SEED = "simulated.seed";
    public static final String UNKNOWN_JOBS_RUNNING = "simulated.unknown.jobs.running";
    private static final Map<String, String> DEFAULTS = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(
            Map.of(STOP_LATENCY_MS, "0", FAILURE_RATE, "0", SEED, "42", UNKNOWN_JOBS_RUNNING, "true")));

    private static final class SimJob {
        JobStatus status = JobStatus.RUNNING;
        Instant stoppedAt;
        int stops;
    }

    private final Duration stopLatency;
    private final double failureRate;
    private final Random random;
    private final boolean unknownJobsRunning;
    private final Clock clock;
    private final Map<String, SimJob> jobs = new ConcurrentHashMap<>();
    private final AtomicLong stopCalls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /**
     * @param stopLatency        how long each stop of a running job takes
     * @param failureRate        probability in [0,1] that a stop of a running job fails
     * @param seed               seed of the failure draws
     * @param unknownJobsRunning true: a job never registered counts as running (a worker
     *                           started without the job list); false: it is reported UNKNOWN
     */
    public SimulatedJobController(Duration stopLatency, double failureRate, long seed, boolean unknownJobsRunning,
            Clock clock) {
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("failureRate must be within [0,1]: " + failureRate);
        }
        this.stopLatency = stopLatency;
        this.failureRate = failureRate;
        this.random = new Random(seed);
        this.unknownJobsRunning = unknownJobsRunning;
        this.clock = clock;
    }

    /** No latency, no failures, unknown jobs count as running. */
    public SimulatedJobController() {
        this(Duration.ZERO, 0.0, 42L, true, Clock.systemUTC());
    }

    /** Reads {@value #STOP_LATENCY_MS} (0), {@value #FAILURE_RATE} (0), {@value #SEED} (42), {@value #UNKNOWN_JOBS_RUNNING} (true). */
    public static SimulatedJobController fromMap(Map<String, String> config) {
        Map<String, String> m = new java.util.HashMap<>(DEFAULTS);
        config.forEach((k, v) -> {
            if (DEFAULTS.containsKey(k) && v != null) {
                m.put(k, v.trim());
            }
        });
        try {
            return new SimulatedJobController(Duration.ofMillis(Long.parseLong(m.get(STOP_LATENCY_MS))),
                    Double.parseDouble(m.get(FAILURE_RATE)), Long.parseLong(m.get(SEED)),
                    Boolean.parseBoolean(m.get(UNKNOWN_JOBS_RUNNING)), Clock.systemUTC());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("simulated.*: not a number: " + e.getMessage(), e);
        }
    }

    /** The keys {@link #fromMap} reads, with their defaults. */
    public static Map<String, String> defaults() {
        return DEFAULTS;
    }

    /** Registers a running job (e.g. from a seed file). */
    public SimulatedJobController addRunningJob(String clusterId, String jobId) {
        jobs.computeIfAbsent(JobKey.of(clusterId, jobId), k -> new SimJob());
        return this;
    }

    /** Status of a job: RUNNING or STOPPED, or empty when never seen. */
    public Optional<JobStatus> status(String clusterId, String jobId) {
        SimJob job = jobs.get(JobKey.of(clusterId, jobId));
        if (job == null) {
            return Optional.empty();
        }
        synchronized (job) {
            return Optional.of(job.status);
        }
    }

    /** How many times the job really went from running to stopped (0 or 1 for a correct worker). */
    public int stopCount(String clusterId, String jobId) {
        SimJob job = jobs.get(JobKey.of(clusterId, jobId));
        if (job == null) {
            return 0;
        }
        synchronized (job) {
            return job.stops;
        }
    }

    /** Every call of {@link #stop}, including repeats and failures. */
    public long stopCalls() {
        return stopCalls.get();
    }

    public long failures() {
        return failures.get();
    }

    @Override
    public StopOutcome stop(String clusterId, String jobId) throws Exception {
        stopCalls.incrementAndGet();
        String key = JobKey.of(clusterId, jobId);
        SimJob job = unknownJobsRunning ? jobs.computeIfAbsent(key, k -> new SimJob()) : jobs.get(key);
        if (job == null) {
            return new StopOutcome(JobStatus.UNKNOWN, null, false, "no such job on this cluster");
        }
        synchronized (job) {
            if (job.status == JobStatus.STOPPED) {
                return StopOutcome.alreadyStopped(job.stoppedAt);
            }
            if (!stopLatency.isZero()) {
                Thread.sleep(stopLatency.toMillis()); // the simulated work of stopping a job
            }
            boolean fail;
            synchronized (random) {
                fail = failureRate > 0 && random.nextDouble() < failureRate;
            }
            if (fail) {
                failures.incrementAndGet();
                throw new IllegalStateException("simulated stop failure of " + key);
            }
            job.status = JobStatus.STOPPED;
            job.stoppedAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // Avro keeps millis
            job.stops++;
            return StopOutcome.stoppedNow(job.stoppedAt);
        }
    }
}
