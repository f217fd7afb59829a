package io.edgestop.orchestrator.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

import io.edgestop.orchestrator.runtime.OrchestratorConfig;

/** {@link CommitPacing}: a fresh record asks for a commit at most once per interval and thread, a late one never. */
class CommitPacingTest {

    static final long NOW = 1_700_000_000_000L;

    @Test
    void aFreshRecordAsksForACommitAtOncePerInterval() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        CommitPacing pacing = new CommitPacing(20, 100, freshThreadRecord());
        context.setCurrentSystemTimeMs(NOW);
        pacing.processed(context, NOW - 5);
        assertTrue(context.committed(), "the first fresh record after a quiet spell is committed at once");

        context.resetCommit();
        context.setCurrentSystemTimeMs(NOW + 19);
        pacing.processed(context, NOW + 15);
        assertFalse(context.committed(), "19 ms after the last ask: the keeping-up interval has not passed");

        context.setCurrentSystemTimeMs(NOW + 20);
        pacing.processed(context, NOW + 18);
        assertTrue(context.committed(), "20 ms after the last ask");
    }

    @Test
    void aRecordOlderThanTheBacklogIntervalNeverAsks() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        CommitPacing pacing = new CommitPacing(20, 100, freshThreadRecord());
        for (long t = 0; t < 1000; t += 10) {
            context.setCurrentSystemTimeMs(NOW + t);
            pacing.processed(context, NOW + t - 101);
        }
        assertFalse(context.committed(), "behind: Kafka Streams' own (backlog) interval commits");
        context.setCurrentSystemTimeMs(NOW + 1000);
        pacing.processed(context, NOW + 900);
        assertTrue(context.committed(), "exactly the backlog interval old still counts as keeping up");
    }

    @Test
    void theProcessorsOfOneThreadShareThePace() {
        ThreadLocal<long[]> thread = freshThreadRecord();
        CommitPacing taskA = new CommitPacing(20, 100, thread);
        CommitPacing taskB = new CommitPacing(20, 100, thread);
        MockProcessorContext<Object, Object> a = new MockProcessorContext<>();
        MockProcessorContext<Object, Object> b = new MockProcessorContext<>();
        a.setCurrentSystemTimeMs(NOW);
        b.setCurrentSystemTimeMs(NOW + 5);
        taskA.processed(a, NOW);
        taskB.processed(b, NOW + 5);
        assertTrue(a.committed());
        assertFalse(b.committed(), "the thread commits all its tasks: task B's fresh record rides on task A's ask");
        b.setCurrentSystemTimeMs(NOW + 20);
        taskB.processed(b, NOW + 20);
        assertTrue(b.committed());
    }

    static ThreadLocal<long[]> freshThreadRecord() {
        return ThreadLocal.withInitial(() -> new long[] {Long.MIN_VALUE});
    }

    @Test
    void kafkaStreamsCommitsAtTheBacklogIntervalAndBothAreValidated() {
        OrchestratorConfig config = OrchestratorConfig.fromMap(Map.of());
        assertEquals(20, config.commitIntervalMs());
        assertEquals("100", config.streamsProperties().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        assertEquals("250", OrchestratorConfig.fromMap(Map.of("commit.backlog.interval.ms", "250"))
                .streamsProperties().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OrchestratorConfig.fromMap(Map.of("commit.interval.ms", "200")));
        assertEquals("commit.backlog.interval.ms must be at least commit.interval.ms (200), was 100", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OrchestratorConfig.fromMap(Map.of("commit.interval.ms", "0")));
    }
}
