package io.edgestop.launcher;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.edgestop.kafka.KafkaClientProperties;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.RamPolicy;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;

/** Writes a {@link Seed} to the account-settings, account-policies and job-state topics. */
public final class SeedLoader {

    /** What was written. */
    public record Loaded(int accounts, int policySets, int jobs) {
        @Override
        public String toString() {
            return accounts + " account settings, " + policySets + " policy sets, " + jobs + " jobs";
        }
    }

    private SeedLoader() {
    }

    /** Loads the seed with a producer of these client properties (bootstrap servers, Kafka client settings). */
    public static Loaded load(Properties client, Topics topics, Seed seed) throws Exception {
        Properties p = KafkaClientProperties.of(client)
                .withDefault(ProducerConfig.ACKS_CONFIG, "all")
                .withDefault(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .withDefault(ProducerConfig.CLIENT_ID_CONFIG, "edge-stop-seed")
                .withDefault(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())
                .withDefault(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName())
                .build();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            return load(producer, topics, seed, Instant.now());
        }
    }

    public static Loaded load(KafkaProducer<String, byte[]> producer, Topics topics, Seed seed, Instant now)
            throws Exception {
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        Map<String, AccountSettings> settings = settingsByAccount(seed);
        for (var e : settings.entrySet()) {
            acks.add(producer.send(new ProducerRecord<>(topics.accountSettings(), e.getKey(),
                    AvroSerdes.accountSettings().serialize(topics.accountSettings(), e.getValue()))));
        }
        Map<String, AccountPolicies> byAccount = policiesByAccount(seed);
        for (var e : byAccount.entrySet()) {
            acks.add(producer.send(new ProducerRecord<>(topics.accountPolicies(), e.getKey(),
                    AvroSerdes.accountPolicies().serialize(topics.accountPolicies(), e.getValue()))));
        }
        for (Seed.Job j : seed.jobs()) {
            JobStatus status = Seed.statusOf(j);
            JobState s = JobState.newBuilder().setClusterId(j.clusterId()).setJobId(j.jobId())
                    .setAccountId(j.accountId()).setDomainName(j.domainName()).setStatus(status)
                    .setName(j.name()).setTemplateId(j.templateId()).setTemplateName(j.templateName())
                    .setCreateTime(j.createdAt()).setStreamInput(j.streamInput()).setStreamOutput(j.streamOutput())
                    .setTranscodeType(j.type())
                    .setLastStartAt(status == JobStatus.NOT_STARTED ? null : at.minus(1, ChronoUnit.HOURS))
                    .setLastStopAt(status == JobStatus.STOPPED ? at.minus(10, ChronoUnit.MINUTES) : null)
                    .setRevision(1).setUpdatedBy("seed").build();
            String key = JobKey.of(j.clusterId(), j.jobId());
            acks.add(producer.send(new ProducerRecord<>(topics.jobState(), key,
                    AvroSerdes.jobState().serialize(topics.jobState(), s))));
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(30, TimeUnit.SECONDS);
        }
        return new Loaded(settings.size(), byAccount.size(), seed.jobs().size());
    }

    /** The account-settings record of each account of the seed's {@code accounts}, in order (revision 1). */
    public static Map<String, AccountSettings> settingsByAccount(Seed seed) {
        Map<String, AccountSettings> out = new LinkedHashMap<>();
        for (Seed.Account a : seed.accounts()) {
            out.put(a.accountId(), AccountSettings.newBuilder().setAccountId(a.accountId())
                    .setEdgeTranscodeEnabled(a.edgeTranscodeEnabled()).setStopCallsPerMinute(a.stopCallsPerMinute())
                    .setAsyncProducers(a.asyncProducerArns()).setRevision(1).build());
        }
        return out;
    }

    /**
     * The account-policies record of every account the seed names anywhere (revision 1): all of its
     * principals' policies in one record, an empty one for an account without policies.
     */
    public static Map<String, AccountPolicies> policiesByAccount(Seed seed) {
        Map<String, Map<String, List<RamPolicy>>> byAccount = new LinkedHashMap<>();
        for (String accountId : seed.accountIds()) {
            byAccount.put(accountId, new HashMap<>());
        }
        for (Seed.Policy pol : seed.policies()) {
            byAccount.get(pol.accountId()).computeIfAbsent(pol.principalArn(), k -> new ArrayList<>())
                    .add(RamPolicy.newBuilder().setPolicyName(pol.policyName())
                            .setPolicyType(pol.policyType() == null ? "Custom" : pol.policyType())
                            .setDocument(pol.documentJson()).build());
        }
        Map<String, AccountPolicies> out = new LinkedHashMap<>();
        byAccount.forEach((account, principals) -> out.put(account, AccountPolicies.newBuilder().setAccountId(account)
                .setPrincipals(new HashMap<>(principals)).setRevision(1).build()));
        return out;
    }
}
