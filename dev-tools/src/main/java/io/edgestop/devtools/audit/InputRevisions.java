package io.edgestop.devtools.audit;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.JobState;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;

/**
 * Which revisions of settings, policies and job states the compacted input topics still hold: a
 * recorded decision that saw a revision compaction has removed cannot be re-decided as it was.
 */
final class InputRevisions {

    private final Topics topics;
    private final AvroSerde<AccountSettings> settingsSerde = AvroSerdes.accountSettings(); // a serde reads the schema history: one each
    private final AvroSerde<AccountPolicies> policiesSerde = AvroSerdes.accountPolicies();
    private final AvroSerde<JobState> jobSerde = AvroSerdes.jobState();
    private final Map<String, Set<Long>> settings = new HashMap<>();
    private final Map<String, Set<Long>> policies = new HashMap<>();
    private final Map<String, Set<Long>> jobs = new HashMap<>();

    InputRevisions(Topics topics) {
        this.topics = topics;
    }

    void observe(RecordedInputs.Input in) {
        if (in.value() == null || in.key() == null) {
            return;
        }
        try {
            if (in.topic().equals(topics.accountSettings())) {
                AccountSettings s = settingsSerde.deserialize(in.topic(), in.value());
                settings.computeIfAbsent(s.getAccountId(), k -> new HashSet<>()).add(s.getRevision());
            } else if (in.topic().equals(topics.accountPolicies())) {
                AccountPolicies p = policiesSerde.deserialize(in.topic(), in.value());
                policies.computeIfAbsent(p.getAccountId(), k -> new HashSet<>()).add(p.getRevision());
            } else if (in.topic().equals(topics.jobState())) {
                JobState j = jobSerde.deserialize(in.topic(), in.value());
                jobs.computeIfAbsent(JobKey.of(j.getClusterId(), j.getJobId()), k -> new HashSet<>()).add(j.getRevision());
            }
        } catch (RuntimeException undecodable) {
            // the topology dead-letters it as live; it is no revision of anything
        }
    }

    boolean hasSettings(String accountId, long revision) {
        return settings.getOrDefault(accountId, Set.of()).contains(revision);
    }

    boolean hasPolicies(String accountId, long revision) {
        return policies.getOrDefault(accountId, Set.of()).contains(revision);
    }

    boolean hasJob(String jobKey, long revision) {
        return jobs.getOrDefault(jobKey, Set.of()).contains(revision);
    }
}
