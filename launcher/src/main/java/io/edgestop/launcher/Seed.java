package io.edgestop.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.edgestop.orchestrator.decision.policy.PolicyEvaluator;
import io.edgestop.schema.JobStatus;
import io.edgestop.topics.Topics;

/**
 * The content of a seed file: what the dev stack (or {@code edge-stop seed}) loads into a fresh
 * cluster. YAML; the commented reference is {@code demo-seed.yaml}, shipped in the launcher jar. Its
 * access keys are public (they are in the README and docs/getting-started.md), so only {@code edge-stop dev} uses it by default;
 * every other command loads it only when it is named: {@code demo} (see {@link #named}).
 */
public record Seed(List<Account> accounts, List<Credential> credentials, List<Policy> policies, List<Job> jobs) {

    /** Classpath resource of the default demo seed. */
    public static final String DEMO_RESOURCE = "/io/edgestop/launcher/demo-seed.yaml";

    /** Account settings: key accountId on the account-settings topic. */
    /** asyncProducers: the async producers that may stop this account's jobs, each with the principals it may act as. */
    public record Account(String accountId, boolean edgeTranscodeEnabled, Integer stopCallsPerMinute,
                          Map<String, List<String>> asyncProducers) {

        /** asyncProducers with every principal as an ARN of this account; null when none. */
        public Map<String, List<String>> asyncProducerArns() {
            if (asyncProducers == null) {
                return null;
            }
            Map<String, List<String>> out = new TreeMap<>();
            asyncProducers.forEach((producer, principals) -> out.put(producer, principals == null ? List.of()
                    : principals.stream().map(p -> principalArn(accountId, p)).toList()));
            return out;
        }
    }

    /** An AccessKey pair and whom it authenticates. principal: root, user/NAME, role/NAME or a full ARN. */
    public record Credential(String accessKeyId, String accessKeySecret, String accountId, String principal) {
        /** The principal as an ARN. */
        public String principalArn() {
            return Seed.principalArn(accountId, principal);
        }
    }

    /** A RAM policy attached to one principal; document is the policy JSON (written as YAML or a JSON string). */
    public record Policy(String accountId, String principal, String policyName, String policyType, JsonNode document) {
        public String principalArn() {
            return Seed.principalArn(accountId, principal);
        }

        /** The document as JSON text. */
        public String documentJson() {
            if (document.isTextual()) {
                try {
                    return JSON.readTree(document.asText()).toString(); // validated
                } catch (IOException e) {
                    throw new IllegalArgumentException("policy " + policyName + ": document is not JSON", e);
                }
            }
            return document.toString();
        }
    }

    /**
     * An edge transcoding job: key clusterId/jobId on the job-state topic. The optional Alibaba fields
     * that Get and List show: {@code createTime} ({@code yyyy-MM-ddTHH:mm:ssZ}), {@code templateName},
     * {@code streamInput}, {@code streamOutput}, {@code type} (the edge transcoding type, e.g. {@code common}).
     */
    public record Job(String clusterId, String jobId, String accountId, String domainName, JobStatus status,
            String name, String templateId, String createTime, String templateName, String streamInput,
            String streamOutput, String type) {

        /** {@link #createTime()} as an instant, or null when not given. */
        @JsonIgnore
        public Instant createdAt() {
            return createTime == null ? null : Instant.parse(createTime);
        }
    }

    /** Alibaba's time format, {@code yyyy-MM-ddTHH:mm:ssZ} (UTC, whole seconds). */
    private static final Pattern ALIBABA_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public Seed {
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
        credentials = credentials == null ? List.of() : List.copyOf(credentials);
        policies = policies == null ? List.of() : List.copyOf(policies);
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }

    public static Seed parse(InputStream in, String origin) throws IOException {
        Seed seed;
        try {
            seed = YAML.readValue(in, Seed.class);
        } catch (IOException e) {
            throw new IOException("cannot read seed " + origin + ": " + e.getMessage(), e);
        }
        if (seed == null) {
            seed = new Seed(null, null, null, null);
        }
        List<String> problems = seed.validate();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid seed " + origin + ":\n  " + String.join("\n  ", problems));
        }
        return seed;
    }

    public static Seed load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        }
    }

    /** The demo seed shipped with the launcher. */
    public static Seed demo() throws IOException {
        try (InputStream in = Objects.requireNonNull(Seed.class.getResourceAsStream(DEMO_RESOURCE), DEMO_RESOURCE)) {
            return parse(in, "demo-seed.yaml");
        }
    }

    /** Where a command takes {@code FILE|demo}, the word that names the demo seed (a file called so: {@code ./demo}). */
    public static final String DEMO = "demo";

    /** The seed a {@code FILE|demo} argument names. */
    public static Seed named(String fileOrDemo) throws IOException {
        return DEMO.equals(fileOrDemo) ? demo() : load(Path.of(fileOrDemo));
    }

    /** The seed in {@code file}, or the demo seed when {@code file} is null (for {@code edge-stop dev} only). */
    public static Seed loadOrDemo(Path file) throws IOException {
        return file == null ? demo() : load(file);
    }

    /** Problems found (empty when valid). */
    public List<String> validate() {
        List<String> p = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Account a : accounts) {
            if (blank(a.accountId())) {
                p.add("account without accountId");
            } else if (!seen.add(a.accountId())) {
                p.add("account " + a.accountId() + " declared twice");
            }
            if (a.stopCallsPerMinute() != null && a.stopCallsPerMinute() < 1) {
                p.add("account " + a.accountId() + ": stopCallsPerMinute must be >= 1");
            }
            if (a.asyncProducers() != null) {
                a.asyncProducers().forEach((producer, principals) -> {
                    if (!Topics.validProducerName(producer)) {
                        p.add("account " + a.accountId() + ": async producer '" + producer + "' cannot name a topic ("
                                + Topics.CLUSTER_ID_RULE + ")");
                    }
                    if (principals == null || principals.isEmpty() || principals.stream().anyMatch(Seed::blank)) {
                        p.add("account " + a.accountId() + ": async producer '" + producer + "' needs the principals it may act as");
                    }
                });
            }
        }
        Set<String> keys = new TreeSet<>();
        for (Credential c : credentials) {
            if (blank(c.accessKeyId()) || blank(c.accessKeySecret()) || blank(c.accountId()) || blank(c.principal())) {
                p.add("credential " + c.accessKeyId() + ": accessKeyId, accessKeySecret, accountId and principal are required");
            } else if (!keys.add(c.accessKeyId())) {
                p.add("credential " + c.accessKeyId() + " declared twice");
            }
        }
        for (Policy pol : policies) {
            if (blank(pol.accountId()) || blank(pol.principal()) || blank(pol.policyName()) || pol.document() == null) {
                p.add("policy " + pol.policyName() + ": accountId, principal, policyName and document are required");
            } else {
                try {
                    String problem = PolicyEvaluator.problem(pol.policyName(), pol.principal(), pol.documentJson());
                    if (problem != null) {
                        p.add(problem + " (the orchestrator would deny every call of the principal)");
                    }
                } catch (IllegalArgumentException e) {
                    p.add(e.getMessage());
                }
            }
        }
        Set<String> jobKeys = new TreeSet<>();
        for (Job j : jobs) {
            if (blank(j.clusterId()) || blank(j.jobId()) || blank(j.accountId()) || blank(j.domainName())) {
                p.add("job " + j.jobId() + ": clusterId, jobId, accountId and domainName are required");
            } else if (j.clusterId().contains("/")) {
                p.add("job " + j.jobId() + ": clusterId must not contain '/'");
            } else if (!jobKeys.add(j.clusterId() + "/" + j.jobId())) {
                p.add("job " + j.clusterId() + "/" + j.jobId() + " declared twice");
            }
            if (j.createTime() != null && !ALIBABA_TIME.matcher(j.createTime()).matches()) {
                p.add("job " + j.jobId() + ": createTime must look like 2023-07-24T16:44:55Z, was '" + j.createTime() + "'");
            } else if (j.createTime() != null) {
                try {
                    j.createdAt();
                } catch (DateTimeParseException e) {
                    p.add("job " + j.jobId() + ": createTime is not a date: '" + j.createTime() + "'");
                }
            }
        }
        return p;
    }

    /** Every cluster that has a seeded job, sorted. */
    @JsonIgnore
    public List<String> clusters() {
        return List.copyOf(new TreeSet<>(jobs.stream().map(Job::clusterId).toList()));
    }

    /** The seed's credentials for the adapter's credential store. */
    @JsonIgnore
    public List<io.edgestop.adapter.auth.Credential> adapterCredentials() {
        return credentials.stream().map(c -> new io.edgestop.adapter.auth.Credential(c.accessKeyId(), c.accessKeySecret(),
                c.accountId(), c.principalArn())).toList();
    }

    /** Every account named anywhere in the seed, in order of appearance. */
    @JsonIgnore
    public Set<String> accountIds() {
        Set<String> ids = new LinkedHashSet<>();
        accounts.forEach(a -> ids.add(a.accountId()));
        policies.forEach(a -> ids.add(a.accountId()));
        credentials.forEach(a -> ids.add(a.accountId()));
        jobs.forEach(a -> ids.add(a.accountId()));
        return ids;
    }

    public Optional<Account> account(String accountId) {
        return accounts.stream().filter(a -> a.accountId().equals(accountId)).findFirst();
    }

    /** Status of a job, RUNNING when the seed does not say. */
    public static JobStatus statusOf(Job j) {
        return j.status() == null ? JobStatus.RUNNING : j.status();
    }

    /**
     * The pair for a ready-made example call: the first credential whose account has the feature
     * enabled and a RUNNING job, with that job.
     */
    public Optional<Example> example() {
        return example(j -> statusOf(j) == JobStatus.RUNNING);
    }

    /** Like {@link #example()}, with the caller's idea of which jobs run now (e.g. after --resume). */
    public Optional<Example> example(java.util.function.Predicate<Job> running) {
        for (Credential c : credentials) {
            boolean enabled = account(c.accountId()).map(Account::edgeTranscodeEnabled).orElse(false);
            if (!enabled || !c.principalArn().endsWith(":root")) {
                continue;
            }
            for (Job j : jobs) {
                if (j.accountId().equals(c.accountId()) && running.test(j)) {
                    return Optional.of(new Example(c, j));
                }
            }
        }
        return Optional.empty();
    }

    public record Example(Credential credential, Job job) {
    }

    static String principalArn(String accountId, String principal) {
        if (principal.startsWith("acs:")) {
            return principal;
        }
        if (principal.equals("root")) {
            return "acs:ram::" + accountId + ":root";
        }
        return "acs:ram::" + accountId + ":" + principal;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
