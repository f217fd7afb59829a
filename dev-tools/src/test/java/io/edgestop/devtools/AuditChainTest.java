package io.edgestop.devtools;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.adapter.client.StopJobClient;
import io.edgestop.devtools.audit.ChainCheck;
import io.edgestop.launcher.EdgeStopCli;
import io.edgestop.launcher.json.AvroJson;
import io.edgestop.orchestrator.kafka.TopicProvisioner;
import io.edgestop.schema.AuditCheckpoint;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;
import io.edgestop.topics.Topics;

/**
 * {@code edge-stop audit verify} proves the audit stream of a dev stack on the real broker: an
 * untouched stream holds, its head signed, also after the orchestrator restarted from its changelogs
 * with a new key; in copies of the topics, a modified record, a deleted one, two swapped ones, a cut
 * tail and a checkpoint with a forged signature are each found and located; a window of the audit
 * topic without its beginning verifies from a checkpoint saved by an earlier run, and a checkpoint or
 * record deleted, or a record modified, after that checkpoint is found and located;
 * with every command deleted (retention) the stream still verifies; a forged record appended by
 * another producer is found where it was written.
 */
@RealKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditChainTest {

    private static final String ACCOUNT = "1000000000000011";

    private static final String SEED = """
            accounts:
              - {accountId: "1000000000000011", edgeTranscodeEnabled: true}
            credentials:
              - {accessKeyId: AKCHAINROOT1, accessKeySecret: chainRootSecret1xxxx, accountId: "1000000000000011", principal: root}
              - {accessKeyId: AKCHAINVIEW2, accessKeySecret: chainViewSecret2xxxx, accountId: "1000000000000011", principal: user/viewer}
            jobs:
              - {clusterId: edge-a, jobId: job-1, accountId: "1000000000000011", domainName: live.example.com}
              - {clusterId: edge-a, jobId: job-2, accountId: "1000000000000011", domainName: live.example.com}
              - {clusterId: edge-a, jobId: job-3, accountId: "1000000000000011", domainName: live.example.com}
              - {clusterId: edge-a, jobId: job-4, accountId: "1000000000000011", domainName: live.example.com}
              - {clusterId: edge-a, jobId: job-5, accountId: "1000000000000011", domainName: live.example.com}
              - {clusterId: edge-a, jobId: job-6, accountId: "1000000000000011", domainName: live.example.com}
              - {clusterId: edge-a, jobId: job-7, accountId: "1000000000000011", domainName: live.example.com}
            """;

    private KafkaBroker broker;
    private DevStack stack;
    private DevStack.Options options;
    private Path dir;
    private int copies;
    /** The chain's head when the auditor saved its checkpoint, and the next checkpoint's position. */
    private int anchor;
    private long afterAnchor;

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path dir) throws Exception {
        this.broker = broker;
        this.dir = dir;
        Path seed = Files.writeString(dir.resolve("seed.yaml"), SEED);
        options = new DevStack.Options(broker.bootstrapServers(), 0, dir.resolve("data"), seed, false,
                broker.uniquePrefix(), "127.0.0.1", 0, 3, Duration.ofMillis(100), 0.0);
        stack = DevStack.start(options);
        stop("AKCHAINROOT1", "chainRootSecret1xxxx", "job-1", 200);
        stop("AKCHAINVIEW2", "chainViewSecret2xxxx", "job-2", 403);
        stop("AKCHAINROOT1", "chainRootSecret1xxxx", "job-3", 200);
        awaitCompleted(2);
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void anUntouchedStreamVerifiesClean() {
        // 3 decisions and 2 completions (and a redelivery when the machine is slow) on the account's one chain, the head signed
        int n = chainLength();
        assertTrue(n >= 5, "records: " + n);
        awaitCheckpoint(n);
        Run run = cli("audit", "verify", "--topic-prefix", stack.topics().prefix(), "--checkpoint-key", publicKey("data"));
        assertEquals(0, run.rc, run.out + run.err);
        assertTrue(run.out.contains("chains: " + n + " records on 1 chains, 0 breaks, 0 from before the chain existed"), run.out);
        assertTrue(run.out.contains("chain " + auditPartition() + ": head position " + n + " at offset "), run.out);
        assertTrue(run.out.matches("(?s).*last checkpoint at position " + n + " \\([^)]+\\)\n.*"), run.out);
        assertTrue(run.out.matches("(?s).*checkpoints: [1-9][0-9]* with valid signatures.*"), run.out);
        assertTrue(run.out.contains("OK: the chains hold and every recorded decision is what the current code decides"), run.out);
        assertTrue(!run.out.contains("BREAK"), run.out);
    }

    @Test
    @Order(2)
    void aRecordModifiedInACopyIsFoundAtItsOffset() throws Exception {
        String copy = copy(records -> {
            AuditRecord r = AvroSerdes.auditRecord().deserialize("", records.get(1).value());
            r.setMessage("altered"); // the hash left as it was
            records.set(1, with(records.get(1), AvroSerdes.auditRecord().serialize("", r)));
            return records;
        });
        Run run = cli("audit", "verify", "--topic-prefix", copy);
        assertEquals(AuditCommand.DIFFERENCES, run.rc, run.out + run.err);
        List<String> breaks = chainBreaks(run);
        assertEquals(2, breaks.size(), run.out);
        assertTrue(breaks.get(0).startsWith("BREAK partition=" + auditPartition() + " offset=1 auditId=")
                && breaks.get(0).contains(" check=HASH: chain " + auditPartition() + " position 2 "), run.out);
        assertTrue(breaks.get(1).contains(" offset=2 ") && breaks.get(1).contains(" check=GAP: chain " + auditPartition()
                + " position 3: positions 2 missing"), run.out);
        assertTrue(run.out.contains("FAILED: the audit stream was altered: "), run.out);
    }

    @Test
    @Order(3)
    void aRecordDeletedInACopyIsFoundWhereItIsMissing() throws Exception {
        String copy = copy(records -> {
            records.remove(2);
            return records;
        });
        Run run = cli("audit", "verify", "--topic-prefix", copy);
        assertEquals(AuditCommand.DIFFERENCES, run.rc, run.out + run.err);
        assertEquals(1, chainBreaks(run).size(), run.out);
        assertTrue(chainBreaks(run).get(0).startsWith("BREAK partition=" + auditPartition() + " offset=2 ")
                && chainBreaks(run).get(0).contains(" check=GAP: chain " + auditPartition() + " position 4: positions 3 missing"), run.out);
    }

    @Test
    @Order(4)
    void twoRecordsSwappedInACopyAreBothFound() throws Exception {
        String copy = copy(records -> {
            var second = records.get(1);
            records.set(1, records.get(2));
            records.set(2, second);
            return records;
        });
        Run run = cli("audit", "verify", "--topic-prefix", copy);
        assertEquals(AuditCommand.DIFFERENCES, run.rc, run.out + run.err);
        List<String> breaks = chainBreaks(run);
        assertEquals(2, breaks.size(), run.out);
        assertTrue(breaks.get(0).contains(" offset=1 ") && breaks.get(0).contains(" check=GAP: "), run.out);
        assertTrue(breaks.get(1).contains(" offset=2 ") && breaks.get(1).contains(" check=ORDER: chain " + auditPartition()
                + " position 2 after position 3"), run.out);
    }

    @Test
    @Order(5)
    void aCutTailOnlyASignedCheckpointShowsAndAForgedCheckpointFailsItsSignature() throws Exception {
        String cut = copy(records -> {
            records.remove(records.size() - 1);
            return records;
        });
        Run run = cli("audit", "verify", "--topic-prefix", cut, "--checkpoint-key", publicKey("data"));
        assertEquals(AuditCommand.DIFFERENCES, run.rc, run.out + run.err);
        assertTrue(chainBreaks(run).isEmpty(), "the links hold: " + run.out);
        assertTrue(breaks(run).stream().anyMatch(b -> b.contains(" check=CHECKPOINT: checkpoint of chain " + auditPartition()
                + " position " + chainLength() + ": the chain has no such record")), run.out);

        // a checkpoint whose signature is not the key's (forged, or altered in a copy): found where it is
        String forgedCopy = copy(records -> records, checkpoints -> {
            AuditCheckpoint forged = AvroSerdes.auditCheckpoint().deserialize("", checkpoints.get(0).value());
            forged.setSignature(java.nio.ByteBuffer.wrap(new byte[64]));
            checkpoints.set(0, with(checkpoints.get(0), AvroSerdes.auditCheckpoint().serialize("", forged)));
            return checkpoints;
        });
        Run signed = cli("audit", "verify", "--topic-prefix", forgedCopy, "--checkpoint-key", publicKey("data"));
        assertEquals(AuditCommand.DIFFERENCES, signed.rc, signed.out + signed.err);
        AuditCheckpoint first = AvroSerdes.auditCheckpoint().deserialize("", read(stack.topics().auditCheckpoints()).get(0).value());
        assertEquals(List.of("BREAK partition=" + auditPartition() + " offset=0 auditId=null check=SIGNATURE:"
                + " checkpoint of chain " + first.getChain() + " position " + first.getSequence() + ", key " + first.getKeyId()
                + " (" + io.edgestop.devtools.audit.ChainCheck.Check.SIGNATURE.text + ")"), breaks(signed), signed.out);
    }

    @Test
    @Order(6)
    void theChainContinuesAfterTheOrchestratorRestartsFromItsChangelogs() throws Exception {
        stack.close();
        // a new state directory: the orchestrator restores its stores, the chain head among them, from the changelogs
        stack = DevStack.start(options.withDataDir(dir.resolve("data-2")).withResume(true));
        stop("AKCHAINROOT1", "chainRootSecret1xxxx", "job-4", 200);
        awaitCompleted(3);
        int n = chainLength();
        awaitCheckpoint(n);
        // the new data directory made a new key: a rotation; the auditor holds both published keys
        Run run = cli("audit", "verify", "--topic-prefix", stack.topics().prefix(), "--checkpoint-key", publicKey("data"),
                "--checkpoint-key", publicKey("data-2"));
        assertEquals(0, run.rc, run.out + run.err);
        assertTrue(run.out.contains("chains: " + n + " records on 1 chains, 0 breaks"), run.out);
        assertTrue(run.out.contains("last checkpoint at position " + n + " "), run.out);
    }

    @Test
    @Order(7)
    void aRetainedWindowWithoutItsBeginningVerifiesFromASavedCheckpoint() throws Exception {
        // the auditor's run: the chain holds, its last verified checkpoint (at the head) kept in a file
        anchor = chainLength();
        awaitCheckpoint(anchor);
        Run saving = cli("audit", "verify", "--topic-prefix", stack.topics().prefix(), "--checkpoint-key", publicKey("data"),
                "--checkpoint-key", publicKey("data-2"), "--save-checkpoints", saved().toString());
        assertEquals(0, saving.rc, saving.out + saving.err);
        assertTrue(saving.out.contains("saved: the last verified checkpoint of 1 chains to " + saved()), saving.out);
        assertTrue(Files.readString(saved()).contains("chain=" + auditPartition() + " position=" + anchor + " "), Files.readString(saved()));

        // two more stops, each signed: two checkpoints after the anchor
        stop("AKCHAINROOT1", "chainRootSecret1xxxx", "job-6", 200);
        awaitCompleted(4);
        awaitCheckpoint(chainLength());
        stop("AKCHAINROOT1", "chainRootSecret1xxxx", "job-7", 200);
        awaitCompleted(5);
        int n = chainLength();
        awaitCheckpoint(n);
        afterAnchor = checkpointsAfter(anchor).get(0);

        // a copy that retains the audit partition from the record after the anchor, the checkpoints from the one after it
        String window = copy(records -> records, checkpoints -> checkpoints);
        deleteBefore(new Topics(window).audit(), anchor);
        deleteBefore(new Topics(window).auditCheckpoints(), checkpointOffset(window, afterAnchor));
        Run run = cli("audit", "verify", "--topic-prefix", window, "--from-checkpoint", saved().toString(),
                "--checkpoint-key", publicKey("data"), "--checkpoint-key", publicKey("data-2"));
        assertEquals(0, run.rc, run.out + run.err);
        assertTrue(run.out.contains("chains: " + (n - anchor) + " records on 1 chains, 0 breaks"), run.out);
        assertTrue(run.out.contains("  chain " + auditPartition() + " started from the checkpoint at position " + anchor + " ("), run.out);
        assertTrue(run.out.contains("last checkpoint at position " + n + " "), run.out);
        // the replay decides the deleted records' commands again: not recorded, yet not differences
        assertTrue(run.out.contains(" 0 differences, "), run.out);
        assertTrue(run.out.contains("unverifiable: " + io.edgestop.devtools.audit.AuditVerify.Cause.AUDIT_WINDOW.text), run.out);

        // or from a checkpoint the topic still holds, named by chain and position
        Run named = cli("audit", "verify", "--topic-prefix", window, "--from-checkpoint", auditPartition() + ":" + afterAnchor,
                "--checkpoint-key", publicKey("data"), "--checkpoint-key", publicKey("data-2"));
        assertEquals(0, named.rc, named.out + named.err);
        assertTrue(named.out.contains("chains: " + (n - afterAnchor + 1) + " records on 1 chains, 0 breaks"), named.out);
        assertTrue(named.out.contains("  " + (afterAnchor - anchor - 1) + " records before the checkpoints started from: not checked"
                + " again"), named.out);
    }

    @Test
    @Order(8)
    void aCheckpointDeletedAfterTheAnchorIsFoundAtTheNextOne() throws Exception {
        String copy = copy(records -> records, checkpoints -> {
            checkpoints.removeIf(c -> AvroSerdes.auditCheckpoint().deserialize("", c.value()).getSequence() == afterAnchor);
            return checkpoints;
        });
        deleteBefore(new Topics(copy).audit(), anchor);
        long next = checkpointsAfter(anchor).get(1);
        Run run = cli("audit", "verify", "--topic-prefix", copy, "--from-checkpoint", saved().toString(),
                "--checkpoint-key", publicKey("data"), "--checkpoint-key", publicKey("data-2"));
        assertEquals(AuditCommand.DIFFERENCES, run.rc, run.out + run.err);
        assertEquals(List.of("BREAK partition=" + auditPartition() + " offset=" + checkpointOffset(copy, next) + " auditId=null"
                + " check=CHECKPOINT_MISSING: checkpoint of chain " + auditPartition() + " position " + next + ": previous checkpoint at"
                + " position " + afterAnchor + ", found " + anchor + " (" + ChainCheck.Check.CHECKPOINT_MISSING.text + ")"),
                breaks(run), run.out);
    }

    @Test
    @Order(9)
    void aRecordDeletedOrModifiedAfterTheAnchorIsFoundAtItsOffset() throws Exception {
        // retention (or someone) deleted one record more than the anchor: alone, the window would anchor itself
        String cut = copy(records -> records);
        deleteBefore(new Topics(cut).audit(), anchor + 1);
        Run alone = cli("audit", "verify", "--topic-prefix", cut);
        assertTrue(chainBreaks(alone).isEmpty(), "without a checkpoint to start from, nothing shows: " + alone.out);
        Run run = cli("audit", "verify", "--topic-prefix", cut, "--from-checkpoint", saved().toString());
        assertEquals(AuditCommand.DIFFERENCES, run.rc, run.out + run.err);
        assertEquals(List.of("BREAK partition=" + auditPartition() + " offset=" + (anchor + 1) + " auditId="
                + auditIdAt(cut, anchor + 1) + " check=GAP: chain " + auditPartition() + " position " + (anchor + 2) + ": positions "
                + (anchor + 1) + " missing (" + ChainCheck.Check.GAP.text + ")"), chainBreaks(run), run.out);

        // the second record after the anchor modified in a copy of the window
        String modified = copy(records -> {
            AuditRecord r = AvroSerdes.auditRecord().deserialize("", records.get(anchor + 1).value());
            r.setMessage("altered"); // the hash left as it was
            records.set(anchor + 1, with(records.get(anchor + 1), AvroSerdes.auditRecord().serialize("", r)));
            return records;
        });
        deleteBefore(new Topics(modified).audit(), anchor);
        Run altered = cli("audit", "verify", "--topic-prefix", modified, "--from-checkpoint", saved().toString());
        assertEquals(AuditCommand.DIFFERENCES, altered.rc, altered.out + altered.err);
        List<String> breaks = chainBreaks(altered);
        assertEquals(2, breaks.size(), altered.out);
        assertTrue(breaks.get(0).startsWith("BREAK partition=" + auditPartition() + " offset=" + (anchor + 1) + " ")
                && breaks.get(0).contains(" check=HASH: chain " + auditPartition() + " position " + (anchor + 2) + " "), altered.out);
        assertTrue(breaks.get(1).startsWith("BREAK partition=" + auditPartition() + " offset=" + (anchor + 2) + " ")
                && breaks.get(1).contains(" check=GAP: "), altered.out);
    }

    @Test
    @Order(10)
    void withEveryCommandDeletedTheStreamStillVerifies() throws Exception {
        try (Admin admin = broker.admin(); KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<TopicPartition> partitions = c.partitionsFor(stack.topics().stopCommands()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<TopicPartition, RecordsToDelete> all = new HashMap<>();
            c.endOffsets(partitions).forEach((tp, end) -> all.put(tp, RecordsToDelete.beforeOffset(end)));
            admin.deleteRecords(all).all().get();
        }
        Run run = cli("audit", "verify", "--topic-prefix", stack.topics().prefix());
        assertEquals(0, run.rc, run.out + run.err);
        assertTrue(run.out.contains(" 0 differences, " + chainLength() + " unverifiable"), run.out);
        assertTrue(run.out.contains("unverifiable: " + io.edgestop.devtools.audit.AuditVerify.Cause.INPUTS_EXPIRED.text), run.out);

        stop("AKCHAINROOT1", "chainRootSecret1xxxx", "job-5", 200);
        awaitCompleted(6);
        Run later = cli("audit", "verify", "--topic-prefix", stack.topics().prefix());
        assertEquals(0, later.rc, later.out + later.err);
        assertTrue(later.out.contains("chains: " + chainLength() + " records on 1 chains, 0 breaks"), later.out);
    }

    @Test
    @Order(11)
    void aForgedRecordAppendedByAnotherProducerIsFoundWhereItWasWritten() throws Exception {
        ConsumerRecord<String, byte[]> accepted = auditRecords(stack.topics().prefix()).stream()
                .filter(r -> AvroSerdes.auditRecord().deserialize("", r.value()).getOutcome() == Outcome.ACCEPTED)
                .findFirst().orElseThrow();
        AuditRecord forged = AvroSerdes.auditRecord().deserialize("", accepted.value());
        forged.setOutcome(Outcome.REJECTED);
        forged.setCode("Forbidden");
        forged.setHttpStatus(403);
        RecordMetadata written;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            written = producer.send(new ProducerRecord<>(accepted.topic(), accepted.partition(), accepted.timestamp(), accepted.key(),
                    AvroSerdes.auditRecord().serialize("", forged), accepted.headers())).get();
        }
        Run run = cli("audit", "verify", "--topic-prefix", stack.topics().prefix());
        assertEquals(AuditCommand.DIFFERENCES, run.rc, run.out + run.err);
        assertEquals(List.of("BREAK partition=" + written.partition() + " offset=" + written.offset() + " auditId="
                + forged.getAuditId() + " check=HASH: chain " + forged.getChain() + " position " + forged.getChainSequence()
                + " (" + io.edgestop.devtools.audit.ChainCheck.Check.HASH.text + ")"), breaks(run), run.out);
    }

    // ---- helpers

    private record Run(int rc, String out, String err) {
    }

    private Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", stack.bootstrapServers()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = EdgeStopCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new Run(rc, out.toString(), err.toString());
    }

    private static List<String> breaks(Run run) {
        return run.out.lines().filter(l -> l.startsWith("BREAK ")).toList();
    }

    /** The breaks of the links, without those of checkpoints (a checkpoint may or may not fall on a tampered record). */
    private static List<String> chainBreaks(Run run) {
        return breaks(run).stream().filter(l -> !l.contains(" check=CHECKPOINT")).toList();
    }

    /** The auditor's file of checkpoints verified before. */
    private Path saved() {
        return dir.resolve("auditor.checkpoints");
    }

    /** Deletes the records of the account's partition of {@code topic} before {@code offset}, as retention would. */
    private void deleteBefore(String topic, long offset) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.deleteRecords(Map.of(new TopicPartition(topic, auditPartition()), RecordsToDelete.beforeOffset(offset))).all().get();
        }
    }

    /** The positions of the chain's checkpoints after {@code position}, in order. */
    private List<Long> checkpointsAfter(long position) {
        return read(stack.topics().auditCheckpoints()).stream().map(r -> AvroSerdes.auditCheckpoint().deserialize("", r.value()))
                .map(AuditCheckpoint::getSequence).filter(p -> p > position).sorted().toList();
    }

    /** Where the checkpoint of the chain at {@code position} is in the checkpoint topic of {@code prefix}. */
    private long checkpointOffset(String prefix, long position) {
        return read(new Topics(prefix).auditCheckpoints()).stream()
                .filter(r -> AvroSerdes.auditCheckpoint().deserialize("", r.value()).getSequence() == position)
                .findFirst().orElseThrow().offset();
    }

    /** The auditId of the audit record at {@code offset} of the chain's partition under {@code prefix}. */
    private String auditIdAt(String prefix, long offset) {
        return auditRecords(prefix).stream().filter(r -> r.offset() == offset).findFirst()
                .map(r -> AvroSerdes.auditRecord().deserialize("", r.value()).getAuditId()).orElseThrow();
    }

    private String publicKey(String dataDir) {
        return dir.resolve(dataDir).resolve(DevStack.CHECKPOINT_PUBLIC_KEY_FILE).toString();
    }

    /** Waits for the signed checkpoint of the account's chain at {@code position}. */
    private void awaitCheckpoint(long position) {
        await().atMost(Duration.ofSeconds(120)).until(() -> read(stack.topics().auditCheckpoints()).stream()
                .map(r -> AvroSerdes.auditCheckpoint().deserialize("", r.value()))
                .anyMatch(c -> c.getSequence() == position));
    }

    /**
     * A stop call answered {@code status}; on a loaded machine the answer can take longer than the
     * adapter waits (503, the command published all the same): then its decision on the audit stream
     * is what is checked, so every call is decided exactly once either way.
     */
    private void stop(String accessKeyId, String secret, String job, int status) throws Exception {
        assertTrue(stack.orchestrator().awaitRunning(Duration.ofSeconds(120)), "orchestrator running");
        StopJobClient.HttpResult r = new StopJobClient(stack.baseUrl(), accessKeyId, secret).stopV1("edge-a", job);
        if (r.status() == 503) {
            String requestId = AvroJson.MAPPER.readTree(r.body()).path("RequestId").asText();
            await().atMost(Duration.ofSeconds(120)).until(() -> auditRecords(stack.topics().prefix()).stream()
                    .map(a -> AvroSerdes.auditRecord().deserialize("", a.value()))
                    .anyMatch(a -> a.getAuditId().equals(requestId + ":DECISION") && a.getHttpStatus() == status));
            return;
        }
        assertEquals(status, r.status(), job + ": " + r.body());
    }

    private void awaitCompleted(int n) {
        await().atMost(Duration.ofSeconds(120)).until(() -> auditRecords(stack.topics().prefix()).stream()
                .filter(r -> AvroSerdes.auditRecord().deserialize("", r.value()).getEventType() == AuditEventType.COMPLETED)
                .count() == n);
    }

    /** The records on the account's chain (every audit record: one account). */
    private int chainLength() {
        return auditRecords(stack.topics().prefix()).size();
    }

    /** The audit partition of the account (its task's chain). */
    private int auditPartition() {
        return auditRecords(stack.topics().prefix()).get(0).partition();
    }

    /** Every committed audit record under {@code prefix}, partition by partition in offset order. */
    private List<ConsumerRecord<String, byte[]>> auditRecords(String prefix) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        read(new Topics(prefix).audit()).forEach(r -> out.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(),
                r.timestampType(), r.serializedKeySize(), r.serializedValueSize(), new String(r.key()), r.value(), r.headers(),
                r.leaderEpoch())));
        return out;
    }

    /**
     * Copies the stack's inputs and audit stream to topics of a new prefix (same partitions, keys,
     * values, headers and timestamps), the audit records of the account's partition passed through
     * {@code tamper}; returns the prefix.
     */
    private String copy(UnaryOperator<List<ConsumerRecord<byte[], byte[]>>> tamper) throws Exception {
        return copy(tamper, checkpoints -> checkpoints);
    }

    /** {@link #copy(UnaryOperator)}, the checkpoints of the account's chain passed through {@code tamperCheckpoints}. */
    private String copy(UnaryOperator<List<ConsumerRecord<byte[], byte[]>>> tamper,
                        UnaryOperator<List<ConsumerRecord<byte[], byte[]>>> tamperCheckpoints) throws Exception {
        Topics from = stack.topics();
        Topics to = new Topics(from.prefix() + "copy" + (++copies) + ".");
        int tampered = auditPartition();
        try (Admin admin = broker.admin()) {
            TopicProvisioner.createAll(admin, to, 3, (short) 1);
            TopicProvisioner.createDirectiveTopics(admin, to, List.of("edge-a"), 3, (short) 1);
            // a copy keeps the records' timestamps, which a bounded topic (commands, ticks) would refuse once they are old
            for (String bounded : List.of(to.stopCommands(), to.streamTimeTicks())) {
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, bounded), List.of(
                        new AlterConfigOp(new ConfigEntry(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG,
                                Long.toString(Long.MAX_VALUE)), AlterConfigOp.OpType.SET)))).all().get();
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(client(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String topic : List.of(from.jobState(), from.accountSettings(), from.accountPolicies(), from.stopCommands(),
                    from.verifiedReports(), from.streamTimeTicks(), from.audit(), from.auditCheckpoints())) {
                String target = to.prefix() + topic.substring(from.prefix().length());
                Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new HashMap<>();
                read(topic).forEach(r -> byPartition.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r));
                for (var e : byPartition.entrySet()) {
                    List<ConsumerRecord<byte[], byte[]>> records = e.getValue();
                    if (topic.equals(from.audit()) && e.getKey() == tampered) {
                        records = tamper.apply(new ArrayList<>(records));
                    } else if (topic.equals(from.auditCheckpoints()) && e.getKey() == tampered) {
                        records = tamperCheckpoints.apply(new ArrayList<>(records));
                    }
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        producer.send(new ProducerRecord<>(target, r.partition(), r.timestamp(), r.key(), r.value(), r.headers()));
                    }
                }
            }
            producer.flush();
        }
        return to.prefix();
    }

    private static ConsumerRecord<byte[], byte[]> with(ConsumerRecord<byte[], byte[]> r, byte[] value) {
        return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(), r.serializedKeySize(),
                value.length, r.key(), value, r.headers(), r.leaderEpoch());
    }

    private List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            out.sort(java.util.Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                    .thenComparingLong(ConsumerRecord::offset));
            return out;
        }
    }

    private Properties client() {
        Properties p = new Properties();
        p.put("bootstrap.servers", stack.bootstrapServers());
        return p;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = client();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(client(), new org.apache.kafka.common.serialization.StringSerializer(), new ByteArraySerializer());
    }
}
