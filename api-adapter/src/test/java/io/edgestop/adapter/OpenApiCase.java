package io.edgestop.adapter;

import static io.edgestop.adapter.EndToEndStack.CLUSTER;
import static io.edgestop.adapter.EndToEndStack.INTERN;
import static io.edgestop.adapter.EndToEndStack.OPS;
import static io.edgestop.adapter.EndToEndStack.QUOTA_ROOT;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.edgestop.adapter.EndToEndStack.Job;
import io.edgestop.adapter.auth.Credential;
import io.edgestop.schema.JobStatus;

/**
 * One StopEdgeTranscodeJob call made through an Alibaba Darabonba runtime ({@code callApi}, style
 * RPC), and the outcome the client must report: {@code OK <JobId>} or the error code. The same
 * cases drive the Java runtime (tea-openapi) and the Node one (openapi-client, via call.js, which
 * reads these fields as JSON).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record OpenApiCase(String id, String endpoint, String accessKeyId, String accessKeySecret, String signature,
                   String method, String format, String action, String version, String reqBodyType,
                   Map<String, String> query, Map<String, String> body, Map<String, String> headers,
                   String expected) {

    /** The signing option of the runtime: its default ACS3-HMAC-SHA256, or {@code v2} (HMAC-SHA1). */
    enum Signature { V3, V2 }

    enum Format { JSON, XML }

    /** Jobs the cases of every client stop or are refused on. */
    static List<Job> jobs(List<String> clients) {
        List<Job> jobs = new ArrayList<>(List.of(Job.running("rt-forbidden"),
                new Job("rt-idle", EndToEndStack.ACCOUNT, JobStatus.NOT_STARTED),
                new Job("rt-quota", EndToEndStack.SMALL_QUOTA_ACCOUNT, JobStatus.RUNNING)));
        for (String client : clients) {
            for (Signature s : Signature.values()) {
                for (Format f : Format.values()) {
                    jobs.add(Job.running(successJob(client, s, f, "POST")));
                    jobs.add(Job.running(successJob(client, s, f, "GET")));
                }
            }
        }
        return jobs;
    }

    private static String successJob(String client, Signature s, Format f, String method) {
        return ("rt-" + client + "-" + s + "-" + f + "-" + method).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Success by POST and GET, then every error code a healthy deployment answers (in the format asked
     * for; not in V2 with XML, see below), each made the way
     * a client really gets it (wrong secret, unknown key, a header or parameter the caller overrides).
     * A case whose {@code expected} is null only sets up the next one. Order matters: the quota and
     * nonce cases come in pairs.
     */
    static List<OpenApiCase> all(String client, String endpoint, Signature s, Format f, String runId) {
        String mode = client + "-" + s + "-" + f;
        boolean v3 = s == Signature.V3;
        String nonce = "nonce-" + mode + "-" + runId;
        Builder b = new Builder(mode, endpoint, s, f);
        b.add("success-post", OPS, "POST").body(CLUSTER, successJob(client, s, f, "POST"))
                .expect("OK " + successJob(client, s, f, "POST"));
        b.add("success-get", OPS, "GET").query(CLUSTER, successJob(client, s, f, "GET"))
                .expect("OK " + successJob(client, s, f, "GET"));
        if (s == Signature.V2 && f == Format.XML) {
            // the V2 path sends Format=json itself and parses every error body as JSON: a caller who
            // overrides Format with XML gets XML errors it cannot read, from Alibaba as from here
            return b.cases;
        }
        b.add("job-not-found", OPS, "POST").body(CLUSTER, "rt-none").expect("JobNotFound");
        b.add("forbidden", INTERN, "POST").body(CLUSTER, "rt-forbidden").expect("Forbidden");
        b.add("not-running", OPS, "POST").body(CLUSTER, "rt-idle").expect("OperationDenied");
        // a quota of one call a minute: whatever the first call gets, the one right after it is throttled
        b.add("quota-used", QUOTA_ROOT, "POST").body(CLUSTER, "rt-quota").expect(null);
        b.add("throttled", QUOTA_ROOT, "POST").body(CLUSTER, "rt-quota").expect("Throttling.User");
        b.add("missing-job-id", OPS, "POST").body(CLUSTER, null).expect("MissingParameter");
        b.add("job-id-twice", OPS, "POST").body(CLUSTER, "rt-none").queryParam("JobId", "rt-none")
                .expect("InvalidParameter");
        b.add("unknown-action", OPS, "POST").action("StopEdgeTranscodeJobs").body(CLUSTER, "rt-none")
                .expect("InvalidAction.NotFound");
        b.add("unknown-version", OPS, "POST").version("2099-01-01").body(CLUSTER, "rt-none").expect("InvalidVersion");
        b.add("put", OPS, "PUT").body(CLUSTER, "rt-none").expect("UnsupportedHTTPMethod");
        if (v3) {
            // the V2 path always sends a form body
            b.add("json-body", OPS, "POST").reqBodyType("json").body(CLUSTER, "rt-none").expect("UnsupportedMediaType");
        }
        b.add("wrong-secret", new Credential(OPS.accessKeyId(), "not-the-secret", OPS.accountId(), null), "POST")
                .body(CLUSTER, "rt-none").expect("SignatureDoesNotMatch");
        b.add("unknown-key", new Credential("LTAI-nobody", "secret", OPS.accountId(), null), "POST")
                .body(CLUSTER, "rt-none").expect("InvalidAccessKeyId.NotFound");
        String timeName = v3 ? "x-acs-date" : "Timestamp";
        String nonceName = v3 ? "x-acs-signature-nonce" : "SignatureNonce";
        b.add("no-timestamp", OPS, "POST").body(CLUSTER, "rt-none").signed(v3, timeName, "").expect("IncompleteSignature");
        b.add("old-timestamp", OPS, "POST").body(CLUSTER, "rt-none").signed(v3, timeName, "2020-01-02T03:04:05Z")
                .expect("InvalidTimeStamp.Expired");
        b.add("bad-timestamp", OPS, "POST").body(CLUSTER, "rt-none").signed(v3, timeName, "yesterday")
                .expect("InvalidTimeStamp.Format");
        b.add("nonce-first-use", OPS, "POST").body(CLUSTER, "rt-none").signed(v3, nonceName, nonce).expect("JobNotFound");
        b.add("nonce-reused", OPS, "POST").body(CLUSTER, "rt-none").signed(v3, nonceName, nonce).expect("SignatureNonceUsed");
        return b.cases;
    }

    /** Expected outcome by case id, for the cases that have one. */
    static Map<String, String> expectations(List<OpenApiCase> cases) {
        Map<String, String> m = new LinkedHashMap<>();
        cases.stream().filter(c -> c.expected() != null).forEach(c -> m.put(c.id(), c.expected()));
        return m;
    }

    private static final class Builder {
        final List<OpenApiCase> cases = new ArrayList<>();
        final String mode;
        final String endpoint;
        final Signature signature;
        final Format format;
        String id;
        Credential credential;
        String method;
        String action;
        String version;
        String reqBodyType;
        Map<String, String> query;
        Map<String, String> body;
        Map<String, String> headers;

        Builder(String mode, String endpoint, Signature signature, Format format) {
            this.mode = mode;
            this.endpoint = endpoint;
            this.signature = signature;
            this.format = format;
        }

        Builder add(String name, Credential c, String httpMethod) {
            id = mode + "/" + name;
            credential = c;
            method = httpMethod;
            action = null;
            version = null;
            reqBodyType = null;
            query = new LinkedHashMap<>();
            body = null;
            headers = new LinkedHashMap<>();
            return this;
        }

        Builder body(String clusterId, String jobId) {
            body = new LinkedHashMap<>();
            body.put("ClusterId", clusterId);
            if (jobId != null) {
                body.put("JobId", jobId);
            }
            return this;
        }

        Builder query(String clusterId, String jobId) {
            query.put("ClusterId", clusterId);
            query.put("JobId", jobId);
            return this;
        }

        Builder queryParam(String name, String value) {
            query.put(name, value);
            return this;
        }

        /** Overrides a signed value the runtime would set itself: a V3 header or a V2 query parameter. */
        Builder signed(boolean v3, String name, String value) {
            (v3 ? headers : query).put(name, value);
            return this;
        }

        Builder action(String a) {
            action = a;
            return this;
        }

        Builder version(String v) {
            version = v;
            return this;
        }

        Builder reqBodyType(String t) {
            reqBodyType = t;
            return this;
        }

        void expect(String outcome) {
            cases.add(new OpenApiCase(id, endpoint, credential.accessKeyId(), credential.accessKeySecret(),
                    signature.name().toLowerCase(java.util.Locale.ROOT), method, format.name(), action, version,
                    reqBodyType, query, body, headers, outcome));
        }
    }
}
