package io.edgestop.orchestrator.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

import org.apache.kafka.streams.state.VersionedRecord;

import io.edgestop.api.Api;
import io.edgestop.api.ApiError;
import io.edgestop.api.query.Caller;
import io.edgestop.api.query.GetJobQuery;
import io.edgestop.api.query.JobPage;
import io.edgestop.api.query.JobView;
import io.edgestop.api.query.ListJobsQuery;
import io.edgestop.api.query.QueryError;
import io.edgestop.ops.NonceCache;
import io.edgestop.orchestrator.decision.policy.PolicyEvaluator;
import io.edgestop.orchestrator.decision.policy.RequestContext;
import io.edgestop.orchestrator.decision.quota.QuotaLedger;
import io.edgestop.orchestrator.state.JobLookup;
import io.edgestop.orchestrator.state.JobOwners;
import io.edgestop.orchestrator.state.PendingStop;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.topics.JobKey;

/**
 * GetEdgeTranscodeJob and ListEdgeTranscodeJob answered from the account's partition on this instance (its
 * active task, or a standby), as typed views ({@link JobView}, {@link JobPage}) of what {@link JobQueries}
 * reads. A read passes the checks of a stop, in its order, with its own RAM action and quota: signature nonce
 * (SignatureNonceUsed, see {@link #checkNonce}), quota (Throttling.User, {@link ReadQuota}), job lookup
 * (JobNotFound, also for another account's job), permission ({@link PolicyEvaluator}, the stop's evaluator,
 * on the account's policies as of now: Forbidden); a read refused by one throws {@link Refused}.
 */
final class JobReadService {

    /** Read nonces this instance remembers (about 100 MB at most); full, reads are answered ServiceUnavailable. */
    static final int READ_NONCES_REMEMBERED = 1_000_000;
    /** ListEdgeTranscodeJob lists the jobs created or last started or stopped within this, as Alibaba's does. */
    static final Duration LIST_WINDOW = Duration.ofDays(180);

    /** A read refused by one of its checks, with the catalog's error to answer. */
    static final class Refused extends RuntimeException {

        private final ApiError error;
        private final QueryError answer;

        Refused(ApiError error, Object... details) {
            this(error, error.fixedRetryAfterMs(), details);
        }

        /** With the retry hint when known. */
        Refused(ApiError error, Long retryAfterMs, Object... details) {
            super(error.code(), null, false, false);
            this.error = error;
            this.answer = QueryError.of(error, retryAfterMs, details);
        }

        ApiError error() {
            return error;
        }

        QueryError answer() {
            return answer;
        }
    }

    private final JobQueries queries;
    private final JobOwners owners;
    private final ReadQuota quota;
    private final NonceCache readNonces;
    private final Clock clock = Clock.systemUTC();

    JobReadService(JobQueries queries, JobOwners owners, int quotaPerMinute, long nonceWindowMs) {
        this.queries = queries;
        this.owners = owners;
        this.quota = new ReadQuota(quotaPerMinute);
        this.readNonces = new NonceCache(nonceWindowMs, READ_NONCES_REMEMBERED);
    }

    JobView get(GetJobQuery query, int partition, boolean active) {
        Caller caller = query.caller();
        long now = clock.millis();
        checkNonce(caller, now);
        acquire(caller, query.action(), now);
        String key = JobKey.of(query.clusterId(), query.jobId());
        JobState job = queries.job(key);
        if (job == null || !caller.accountId().equals(job.getAccountId())) {
            throw new Refused(ApiError.JOB_NOT_FOUND);
        }
        AccountPolicies policies = queries.policies(partition, active, caller.accountId());
        if (!allowed(caller, query.action(), job, policies, arrival(caller, now))) {
            throw new Refused(ApiError.FORBIDDEN);
        }
        return view(key, job, partition, active);
    }

    /**
     * The account's jobs that the caller may {@code live:ListEdgeTranscodeJob} on (their domain) and that
     * match the filters, created or last started or stopped within {@link #LIST_WINDOW} of the request's
     * arrival, sorted by creation time (newest first, the default, or oldest first; a job without one by the
     * time its job-state took effect; ties by cluster and job id), one page. A job the caller may not list is
     * left out exactly like one that does not exist: no answer depends on it (never Forbidden), so jobs in
     * denied domains cannot be enumerated.
     */
    JobPage list(ListJobsQuery query, int partition, boolean active) {
        Caller caller = query.caller();
        long now = clock.millis();
        checkNonce(caller, now);
        acquire(caller, query.action(), now);
        if (!owners.complete()) {
            throw new JobQueries.Unavailable("the job index is still being built after the start");
        }
        if (query.pageNo() < 1 || query.pageSize() < 1 || query.pageSize() > Api.MAX_PAGE_SIZE) {
            throw new Refused(ApiError.INVALID_PARAMETER, "PageNo must be >= 1 and PageSize 1 to " + Api.MAX_PAGE_SIZE + ".");
        }
        long at = arrival(caller, now);
        long since = at - LIST_WINDOW.toMillis();
        AccountPolicies policies = queries.policies(partition, active, caller.accountId());
        List<Listed> matching = new ArrayList<>();
        for (String key : owners.of(caller.accountId())) {
            VersionedRecord<JobState> record = queries.jobRecord(key);
            JobState job = record == null ? null : record.value();
            if (job == null || !caller.accountId().equals(job.getAccountId())
                    || (query.clusterId() != null && !query.clusterId().equals(job.getClusterId()))
                    || (query.type() != null && !query.type().equals(job.getTranscodeType()))
                    || (query.keyword() != null && !matchesKeyword(job, query.keyword()))
                    || !allowed(caller, query.action(), job, policies, at)) {
                continue;
            }
            JobView view = view(key, job, partition, active);
            if (query.running() != null && query.running() != (view.status() == JobStatus.RUNNING)) {
                continue;
            }
            long created = job.getCreateTime() != null ? job.getCreateTime().toEpochMilli() : record.timestamp();
            if (lastOperated(created, view) < since) {
                continue;
            }
            matching.add(new Listed(created, job.getClusterId(), job.getJobId(), view));
        }
        Comparator<Listed> byCreateTime = Comparator.comparingLong(Listed::created)
                .thenComparing(Listed::clusterId).thenComparing(Listed::jobId);
        matching.sort(query.order() == ListJobsQuery.Order.OLDEST_FIRST ? byCreateTime : byCreateTime.reversed());
        long from = (long) (query.pageNo() - 1) * query.pageSize();
        List<JobView> page = from >= matching.size() ? List.of()
                : matching.subList((int) from, (int) Math.min(matching.size(), from + query.pageSize())).stream()
                        .map(Listed::view).toList();
        return new JobPage(page, matching.size());
    }

    private record Listed(long created, String clusterId, String jobId, JobView view) {
    }

    /**
     * Step 0 of a read, like the stop's: the signature nonce, deployment-wide because every read of an
     * account is answered by the account's owner. Kept in memory like {@link ReadQuota} (a read changes
     * nothing, so it is not worth a write to Kafka): an account that moves to another instance starts
     * with no read nonces there, so a read replayed right after a rebalance can still be answered
     * (see docs/security.md). A query without a nonce (an adapter older than the check) is not checked.
     */
    private void checkNonce(Caller caller, long now) {
        if (caller.nonce() == null) {
            return;
        }
        long signed = caller.signedAt() == null ? now : caller.signedAt().toEpochMilli();
        switch (readNonces.use(caller.accountId() + "\n" + caller.accessKeyId(), caller.nonce(), signed, now)) {
            case FIRST -> { }
            case REPLAY -> throw new Refused(ApiError.SIGNATURE_NONCE_USED);
            case FULL -> throw new Refused(ApiError.SERVICE_UNAVAILABLE, "Too many recent reads to check their nonces; retry later.");
        }
    }

    private void acquire(Caller caller, String action, long now) {
        QuotaLedger.Decision decision = quota.tryAcquire(caller.accountId(), action, now);
        if (!decision.accepted()) {
            throw new Refused(ApiError.THROTTLING_USER, decision.retryAfterMs());
        }
    }

    /** The request's arrival at the adapter: the same answer whichever instance serves it. */
    private static long arrival(Caller caller, long now) {
        return caller.arrivedAt() == null ? now : caller.arrivedAt().toEpochMilli();
    }

    /** The latest of the job's creation and its LastStartAt / LastStopAt as answered, in whole seconds. */
    private static long lastOperated(long created, JobView view) {
        return Stream.of(view.lastStartAt(), view.lastStopAt()).filter(Objects::nonNull)
                .mapToLong(t -> t.truncatedTo(ChronoUnit.SECONDS).toEpochMilli())
                .reduce(created, Math::max);
    }

    /** Alibaba's Keyword: the job id exactly, or part of the name (any case). */
    private static boolean matchesKeyword(JobState job, String keyword) {
        return job.getJobId().equals(keyword) || (job.getName() != null
                && job.getName().toLowerCase(Locale.ROOT).contains(keyword.toLowerCase(Locale.ROOT)));
    }

    private static boolean allowed(Caller caller, String action, JobState job, AccountPolicies policies, long at) {
        return PolicyEvaluator.evaluate(caller.principal(), caller.accountId(), PolicyEvaluator.policiesOf(policies, caller.principal()),
                new RequestContext(Api.ramAction(action), PolicyEvaluator.domainResource(caller.accountId(), job.getDomainName()),
                        caller.sourceIp(), caller.secureTransport(), at)).allowed();
    }

    /**
     * The job with the status in force (job-state, or the account's observation of it once that applies) and
     * its stop's progress: while a stop is in flight, that stop and its directive; once a worker reported the
     * job stopped, the request and directive it reported.
     */
    private JobView view(String key, JobState job, int partition, boolean active) {
        JobObservation observed = queries.observation(partition, active, key);
        PendingStop pending = queries.pendingStop(partition, active, key);
        JobStatus status = JobLookup.statusInForce(job, observed);
        boolean observedApplies = observed != null && status == observed.getStatus()
                && observed.getJobStateRevision() >= job.getRevision();
        Instant lastStop = observedApplies && observed.getStoppedAt() != null ? observed.getStoppedAt() : job.getLastStopAt();
        JobView.StopInFlight inFlight = pending == null ? null : new JobView.StopInFlight(pending.requestId(),
                Instant.ofEpochMilli(pending.issuedAt()), pending.attempt(), Instant.ofEpochMilli(pending.deadline()));
        JobObservation reported = pending == null && observedApplies && status == JobStatus.STOPPED ? observed : null;
        return new JobView(job.getClusterId(), job.getJobId(), job.getName(), status, job.getCreateTime(),
                job.getLastStartAt(), lastStop, job.getStreamInput(), job.getStreamOutput(), job.getTemplateId(),
                job.getTemplateName(), job.getTranscodeType(), inFlight, reported == null ? null : reported.getRequestId(),
                pending != null ? pending.directiveId() : reported == null ? null : reported.getDirectiveId());
    }
}
