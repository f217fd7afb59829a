package io.edgestop.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.edgestop.adapter.OpenApiCase.Format;
import io.edgestop.adapter.OpenApiCase.Signature;
import io.edgestop.testkit.KafkaBroker;
import io.edgestop.testkit.RealKafka;

/**
 * Alibaba's current Darabonba runtimes, unchanged, against the whole stack (adapter, real broker,
 * real orchestrator): Java com.aliyun:tea-openapi and Node @alicloud/openapi-client, each with its
 * default V3 signing and with the V2 (HMAC-SHA1) option, JSON and Format=XML. Each mode runs the
 * cases of {@link OpenApiCase#all}: success by POST and GET, and every error code a healthy
 * deployment answers, which the client must report as that code.
 */
@RealKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiRuntimesTest {

    static final String JAVA = "tea";
    static final String NODE = "node";

    final String runId = UUID.randomUUID().toString();
    EndToEndStack stack;

    @BeforeAll
    void setUp(KafkaBroker broker, @TempDir Path stateDir) throws Exception {
        stack = EndToEndStack.start(broker, stateDir, OpenApiCase.jobs(List.of(JAVA, NODE)), "runtimes");
    }

    @AfterAll
    void tearDown() {
        if (stack != null) {
            stack.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Signature.class)
    void teaOpenApiJava(Signature signature) {
        for (Format format : Format.values()) {
            List<OpenApiCase> cases = OpenApiCase.all(JAVA, stack.hostPort(), signature, format, runId);
            Map<String, String> outcomes = new LinkedHashMap<>();
            for (OpenApiCase c : cases) {
                outcomes.put(c.id(), TeaOpenApiCalls.outcome(c));
            }
            assertOutcomes(cases, outcomes);
        }
    }

    @Test
    @Tag("node")
    void openApiClientNode() throws Exception {
        List<OpenApiCase> cases = new ArrayList<>();
        for (Signature signature : Signature.values()) {
            for (Format format : Format.values()) {
                cases.addAll(OpenApiCase.all(NODE, stack.hostPort(), signature, format, runId));
            }
        }
        assertOutcomes(cases, NodeOpenApiClient.outcomes(cases));
    }

    /** Compares all outcomes at once, so a failure lists every case that went wrong. */
    private static void assertOutcomes(List<OpenApiCase> cases, Map<String, String> outcomes) {
        Map<String, String> expected = OpenApiCase.expectations(cases);
        Map<String, String> actual = new LinkedHashMap<>();
        expected.keySet().forEach(id -> actual.put(id, outcomes.get(id)));
        assertEquals(String.join("\n", lines(expected)), String.join("\n", lines(actual)));
    }

    private static List<String> lines(Map<String, String> m) {
        return m.entrySet().stream().map(e -> e.getKey() + " -> " + e.getValue()).toList();
    }
}
