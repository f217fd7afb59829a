package io.edgestop.orchestrator.topology;

import static io.edgestop.orchestrator.topology.Harness.ACCOUNT;
import static io.edgestop.orchestrator.topology.Harness.CLUSTER;
import static io.edgestop.orchestrator.topology.Harness.JOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.edgestop.orchestrator.runtime.OrchestratorMetrics;
import io.edgestop.orchestrator.state.JobLookup;
import io.edgestop.orchestrator.state.PendingStop;
import io.edgestop.orchestrator.state.PendingStops;
import io.edgestop.schema.AuditEventType;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.JobKey;
import io.edgestop.trace.TraceContext;

/** {@link DirectiveRedelivery} alone: what a stream-time punctuation does to each pending stop. */
class DirectiveRedeliveryTest {

    static final long T = 1_700_000_000_000L;
    static final long DEADLINE_MS = 30_000;
    static final int MAX_ATTEMPTS = 3;
    static final String KEY = JobKey.of(CLUSTER, JOB);

    @TempDir
    Path stateDir;
    MockProcessorContext<String, Emit> context;
    VersionedKeyValueStore<String, JobState> jobs;
    VersionedKeyValueStore<String, JobObservation> observations;
    KeyValueStore<String, PendingStop> stops;
    DirectiveRedelivery redelivery;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void setUp() {
        context = Harness.processorContext(stateDir);
        jobs = Harness.register(context, Harness.jobStates());
        observations = Harness.register(context, Stores.versionedKeyValueStoreBuilder(Stores.persistentVersionedKeyValueStore(
                JobLookup.OBSERVATIONS_STORE, Duration.ofHours(1)), Serdes.String(), AvroSerdes.jobObservation()));
        stops = Harness.register(context, Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PendingStops.STORE),
                Serdes.String(), PendingStop.serde()));
        jobs.put(KEY, Harness.job(JobStatus.RUNNING, 1).build(), T - 1000);
        // the store holds a stop from before this processor started: the deadline order is rebuilt from it
        stops.put(KEY, new PendingStop("r1", ACCOUNT, CLUSTER, JOB, "adapter-1", 1, T, T + DEADLINE_MS,
                List.of(new PendingStop.Joiner("r2", "adapter-2", null)), null));
        redelivery = new DirectiveRedelivery(context, PendingStops.of(context), new JobLookup(context),
                DEADLINE_MS, MAX_ATTEMPTS, new OrchestratorMetrics(meters));
    }

    @AfterEach
    void tearDown() {
        jobs.close();
        observations.close();
        stops.close();
    }

    List<Record<? extends String, ? extends Emit>> forwarded() {
        return context.forwarded().stream().<Record<? extends String, ? extends Emit>>map(f -> f.record()).toList();
    }

    @Test
    void beforeTheDeadlineNothingHappens() {
        redelivery.punctuate(T + DEADLINE_MS - 1);
        assertTrue(context.forwarded().isEmpty());
        assertEquals(1, stops.get(KEY).attempt());
    }

    @Test
    void atTheDeadlineTheDirectiveIsSentAgainTimestampedWithTheDeadline() {
        redelivery.punctuate(T + DEADLINE_MS + 5);
        List<Record<? extends String, ? extends Emit>> out = forwarded();
        assertEquals(2, out.size(), out.toString());
        Emit.Directive directive = (Emit.Directive) out.get(0).value();
        assertEquals("r1#2", directive.value().getDirectiveId());
        assertEquals(T + DEADLINE_MS, out.get(0).timestamp(), "stamped with the deadline, not the punctuation time");
        Emit.Audit audit = (Emit.Audit) out.get(1).value();
        assertEquals(AuditEventType.DIRECTIVE_REDELIVERED, audit.value().getEventType());
        PendingStop now = stops.get(KEY);
        assertEquals(2, now.attempt());
        assertEquals(T + 2 * DEADLINE_MS, now.deadline());
    }

    @Test
    void theRedeliveryCarriesTheTraceparentOfThePendingStop() {
        String caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        PendingStop stop = stops.get(KEY);
        stops.put(KEY, new PendingStop(stop.requestId(), ACCOUNT, CLUSTER, JOB, stop.replyTo(), 1, T, T + DEADLINE_MS,
                stop.joiners(), caller));
        redelivery.punctuate(T + DEADLINE_MS);
        List<Record<? extends String, ? extends Emit>> out = forwarded();
        assertEquals(2, out.size(), out.toString());
        for (Record<? extends String, ? extends Emit> r : out) {
            assertEquals(caller, TraceContext.traceparent(r.headers()), r.toString());
        }
        assertEquals(caller, ((Emit.Audit) out.get(1).value()).value().getTraceparent());
    }

    @Test
    void aLatePunctuationCatchesUpEveryMissedDeadlineAndEndsTimedOut() {
        redelivery.punctuate(T + 10 * DEADLINE_MS);
        List<Record<? extends String, ? extends Emit>> out = forwarded();
        // attempts 2 and 3 (directive + audit each), then TIMED_OUT for the request and its joiner (result + audit each)
        assertEquals(8, out.size(), out.toString());
        assertEquals(T + 3 * DEADLINE_MS, out.get(7).timestamp(), "timed out at the last attempt's deadline");
        long timedOut = out.stream().filter(r -> r.value() instanceof Emit.Result res
                && res.value().getOutcome() == Outcome.TIMED_OUT).count();
        assertEquals(2, timedOut, "the request and the one that joined it");
        assertNull(stops.get(KEY));
        assertEquals(2, meters.counter("edgestop.orchestrator.redeliveries").count(), "attempts 2 and 3");
        assertEquals(1, meters.counter("edgestop.orchestrator.timeouts").count(), "one stop timed out, joiners included");
        redelivery.punctuate(T + 20 * DEADLINE_MS);
        assertEquals(8, context.forwarded().size(), "nothing left to do");
    }

    @Test
    void aJobShownStoppedAsOfTheDeadlineCompletesInsteadOfBeingSentAgain() {
        jobs.put(KEY, Harness.job(JobStatus.STOPPED, 2).build(), T + 1000);
        redelivery.punctuate(T + DEADLINE_MS);
        List<Record<? extends String, ? extends Emit>> out = forwarded();
        assertEquals(4, out.size(), out.toString());
        assertTrue(out.stream().noneMatch(r -> r.value() instanceof Emit.Directive));
        assertTrue(out.stream().filter(r -> r.value() instanceof Emit.Result)
                .allMatch(r -> ((Emit.Result) r.value()).value().getOutcome() == Outcome.COMPLETED));
        assertNull(stops.get(KEY));
    }
}
