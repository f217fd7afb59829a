package io.edgestop.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import io.edgestop.adapter.auth.Credential;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.RamPolicy;
import io.edgestop.schema.StopCommand;

/**
 * The synthetic world a benchmark runs against and the command mix it sends.
 *
 * <ul>
 *   <li>{@code accounts} accounts {@code a000000...}, edge transcoding enabled, default quota; each
 *       has a user {@code ops} allowed to stop jobs of its domains and a user {@code viewer} denied;</li>
 *   <li>{@code throttledAccounts} extra accounts {@code t0000...} with a quota of
 *       {@value #THROTTLED_QUOTA} calls/minute, which the "throttled" share of the mix hammers;</li>
 *   <li>{@code jobs} RUNNING jobs over {@code clusters} clusters, job i owned by account i mod accounts, then
 *       {@code reserved} more, for the phases after {@link #useReserve()} (edge workers really stop them).</li>
 * </ul>
 * Accepted commands each take a fresh job (so every one issues a directive and no job is stopped twice) until
 * the jobs of the pool in use run out; from then on they are sent as notfound, and counted ({@link #exhausted()}).
 */
final class Workload {

    static final int THROTTLED_QUOTA = 60;

    enum Kind { ACCEPTED, NOT_FOUND, FORBIDDEN, THROTTLED }

    record Mix(int accepted, int notFound, int forbidden, int throttled) {
        static final Mix ALL_ACCEPTED = new Mix(1, 0, 0, 0);
        static final Mix ALL_NOT_FOUND = new Mix(0, 1, 0, 0);

        static Mix parse(String spec) {
            Map<String, Integer> m = new HashMap<>();
            for (String part : spec.split(",")) {
                String[] kv = part.trim().split("=");
                m.put(kv[0].trim().toLowerCase(), Integer.parseInt(kv[1].trim()));
            }
            return new Mix(m.getOrDefault("accepted", 0), m.getOrDefault("notfound", 0),
                    m.getOrDefault("forbidden", 0), m.getOrDefault("throttled", 0));
        }

        int total() {
            return accepted + notFound + forbidden + throttled;
        }

        @Override
        public String toString() {
            return "accepted=" + accepted + ",notfound=" + notFound + ",forbidden=" + forbidden + ",throttled=" + throttled;
        }
    }

    /** One command to send, with the principal's credential for the HTTP path. */
    record Planned(Kind kind, StopCommand command, String accessKeyId) {
    }

    final int accounts;
    final int throttledAccounts;
    final int jobs;
    final int reserved;
    final int clusters;
    final Mix mix;
    private final SplittableRandom random;
    private int nextAcceptedJob;
    private int nextForbiddenJob;
    private boolean inReserve;
    private long exhausted;
    private long seq;

    Workload(int accounts, int throttledAccounts, int jobs, int reserved, int clusters, Mix mix, long seed) {
        this.accounts = accounts;
        this.throttledAccounts = throttledAccounts;
        this.jobs = jobs;
        this.reserved = reserved;
        this.clusters = clusters;
        this.mix = mix;
        this.random = new SplittableRandom(seed);
        this.nextForbiddenJob = jobs - 1;
    }

    static String account(int i) {
        return String.format("a%07d", i);
    }

    static String throttledAccount(int i) {
        return String.format("t%05d", i);
    }

    String cluster(int job) {
        return String.format("edge-%02d", job % clusters);
    }

    static String jobId(int job) {
        return String.format("job-%08d", job);
    }

    String ownerOf(int job) {
        return account(job % accounts);
    }

    static String domain(String account) {
        return "live-" + account + ".example.com";
    }

    static String ops(String account) {
        return "acs:ram::" + account + ":user/ops";
    }

    static String viewer(String account) {
        return "acs:ram::" + account + ":user/viewer";
    }

    static String opsKey(String account) {
        return "AK" + account + "ops";
    }

    static String viewerKey(String account) {
        return "AK" + account + "viewer";
    }

    static String secret(String accessKeyId) {
        return "secret-" + accessKeyId;
    }

    List<String> clusterIds() {
        List<String> ids = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            ids.add(String.format("edge-%02d", c));
        }
        return ids;
    }

    List<String> allAccounts() {
        List<String> all = new ArrayList<>(accounts + throttledAccounts);
        for (int i = 0; i < accounts; i++) {
            all.add(account(i));
        }
        for (int i = 0; i < throttledAccounts; i++) {
            all.add(throttledAccount(i));
        }
        return all;
    }

    AccountSettings settings(String account) {
        boolean throttled = account.startsWith("t");
        return AccountSettings.newBuilder().setAccountId(account).setEdgeTranscodeEnabled(true)
                .setStopCallsPerMinute(throttled ? THROTTLED_QUOTA : null).setRevision(1).build();
    }

    AccountPolicies policies(String account) {
        RamPolicy allow = RamPolicy.newBuilder().setPolicyName("LiveEdgeOps").setPolicyType("Custom")
                .setDocument("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"live:StopEdgeTranscodeJob\","
                        + "\"Resource\":\"acs:live:*:" + account + ":domain/*\"}]}")
                .build();
        RamPolicy deny = RamPolicy.newBuilder().setPolicyName("NoEdgeStops").setPolicyType("Custom")
                .setDocument("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"live:Describe*\",\"Resource\":\"*\"},"
                        + "{\"Effect\":\"Deny\",\"Action\":\"live:Stop*\",\"Resource\":\"*\"}]}")
                .build();
        return AccountPolicies.newBuilder().setAccountId(account)
                .setPrincipals(Map.of(ops(account), List.of(allow), viewer(account), List.of(deny)))
                .setRevision(1).build();
    }

    JobState job(int job, Instant at) {
        String owner = ownerOf(job);
        return JobState.newBuilder().setClusterId(cluster(job)).setJobId(jobId(job)).setAccountId(owner)
                .setDomainName(domain(owner)).setStatus(JobStatus.RUNNING).setName("bench " + job)
                .setTemplateId("tpl-1").setLastStartAt(at).setRevision(1).setUpdatedBy("benchmark-seed").build();
    }

    /** Credentials of every principal (ops and viewer of each account), for the HTTP adapter. */
    List<Credential> credentials() {
        List<Credential> all = new ArrayList<>();
        for (String account : allAccounts()) {
            all.add(new Credential(opsKey(account), secret(opsKey(account)), account, ops(account)));
            all.add(new Credential(viewerKey(account), secret(viewerKey(account)), account, viewer(account)));
        }
        return all;
    }

    /** Every job seeded, both pools. */
    int seededJobs() {
        return jobs + reserved;
    }

    /**
     * Hands out every job of the first pool again: for a new orchestrator (new application id), whose pending stops
     * are empty; no worker ever saw those jobs' directives, so they are still RUNNING.
     */
    void reuseJobs() {
        inReserve = false;
        nextAcceptedJob = 0;
        nextForbiddenJob = jobs - 1;
    }

    /** From now on accepted commands take the reserved jobs, which are never handed out again. */
    void useReserve() {
        if (!inReserve) {
            inReserve = true;
            nextAcceptedJob = jobs;
        }
    }

    /** Fresh jobs left in the pool in use. */
    int freshJobsLeft() {
        return inReserve ? jobs + reserved - nextAcceptedJob : Math.max(0, nextForbiddenJob - nextAcceptedJob + 1);
    }

    /** Accepted commands sent as notfound because the pool in use had no fresh job left. */
    long exhausted() {
        return exhausted;
    }

    /** The next command of the run's mix (not thread-safe: one generator thread). */
    Planned next(String replyTo) {
        return next(replyTo, mix);
    }

    /** The next command of the given mix (not thread-safe: one generator thread). */
    Planned next(String replyTo, Mix mix) {
        int r = random.nextInt(mix.total());
        Kind kind;
        if ((r -= mix.accepted) < 0) {
            kind = freshJobsLeft() > 0 ? Kind.ACCEPTED : Kind.NOT_FOUND;
            if (kind == Kind.NOT_FOUND) {
                exhausted++;
            }
        } else if ((r -= mix.notFound) < 0) {
            kind = Kind.NOT_FOUND;
        } else if ((r -= mix.forbidden) < 0) {
            kind = Kind.FORBIDDEN;
        } else {
            kind = throttledAccounts > 0 ? Kind.THROTTLED : Kind.NOT_FOUND;
        }
        String account;
        String principal;
        String key;
        String cluster;
        String job;
        switch (kind) {
            case ACCEPTED -> {
                int j = nextAcceptedJob++;
                account = ownerOf(j);
                principal = ops(account);
                key = opsKey(account);
                cluster = cluster(j);
                job = jobId(j);
            }
            case FORBIDDEN -> {
                int j = nextForbiddenJob > nextAcceptedJob ? nextForbiddenJob-- : random.nextInt(jobs);
                account = ownerOf(j);
                principal = viewer(account);
                key = viewerKey(account);
                cluster = cluster(j);
                job = jobId(j);
            }
            case THROTTLED -> {
                account = throttledAccount(random.nextInt(throttledAccounts));
                principal = ops(account);
                key = opsKey(account);
                cluster = cluster(0);
                job = "missing-" + seq;
            }
            default -> {
                account = account(random.nextInt(accounts));
                principal = ops(account);
                key = opsKey(account);
                cluster = cluster(random.nextInt(clusters));
                job = "missing-" + seq;
            }
        }
        seq++;
        StopCommand command = StopCommand.newBuilder()
                .setRequestId(new UUID(random.nextLong(), random.nextLong()).toString().toUpperCase())
                .setAccountId(account).setPrincipal(principal).setAccessKeyId(key)
                .setSourceIp("198.51.100.7").setSecureTransport(true).setRequestTime(Instant.now())
                .setClusterId(cluster).setJobId(job).setReplyTo(replyTo)
                .build();
        return new Planned(kind, command, key);
    }
}
