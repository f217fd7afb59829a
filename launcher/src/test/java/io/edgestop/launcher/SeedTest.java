package io.edgestop.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.edgestop.launcher.json.AvroJson;
import io.edgestop.schema.JobStatus;

class SeedTest {

    @Test
    void theDemoSeedIsValidAndHasARunnableExample() throws Exception {
        Seed seed = Seed.demo();
        assertEquals(List.of("edge-hangzhou-1", "edge-shanghai-1"), seed.clusters());
        assertTrue(seed.validate().isEmpty());
        Seed.Example ex = seed.example().orElseThrow();
        assertEquals("acs:ram::1000000000000001:root", ex.credential().principalArn());
        assertEquals(JobStatus.RUNNING, Seed.statusOf(ex.job()));
        assertEquals(ex.credential().accountId(), ex.job().accountId());
        assertTrue(seed.account("1000000000000001").orElseThrow().edgeTranscodeEnabled());

        Seed.Policy policy = seed.policies().get(0);
        assertEquals("acs:ram::1000000000000001:user/live-ops", policy.principalArn());
        JsonNode doc = AvroJson.MAPPER.readTree(policy.documentJson());
        assertEquals("Allow", doc.at("/Statement/0/Effect").asText());
        assertEquals("live:StopEdgeTranscodeJob", doc.at("/Statement/0/Action").asText());
    }

    @Test
    void aPolicyDocumentMayBeAJsonStringAndAStatusMayBeLeftOut() throws Exception {
        Seed seed = parse("""
                accounts:
                  - accountId: "42"
                    edgeTranscodeEnabled: true
                credentials:
                  - {accessKeyId: k, accessKeySecret: s, accountId: "42", principal: "acs:ram::42:role/ops"}
                policies:
                  - accountId: "42"
                    principal: role/ops
                    policyName: P
                    document: '{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}'
                jobs:
                  - {clusterId: c, jobId: j, accountId: "42", domainName: d.example}
                """);
        assertEquals("acs:ram::42:role/ops", seed.credentials().get(0).principalArn());
        assertEquals("acs:ram::42:role/ops", seed.policies().get(0).principalArn());
        assertTrue(seed.policies().get(0).documentJson().contains("\"Deny\""));
        assertEquals(JobStatus.RUNNING, Seed.statusOf(seed.jobs().get(0)));
        assertTrue(seed.example().isEmpty(), "a role credential is not used for the example");
    }

    @Test
    void anAccountNamesItsAsyncProducersAndThePrincipalsEachMayActAs() throws Exception {
        Seed seed = parse("""
                accounts:
                  - accountId: "42"
                    edgeTranscodeEnabled: true
                    asyncProducers: {billing: ["user/bot", "root"], audit-sweeper: ["acs:ram::42:role/sweeper"]}
                  - accountId: "43"
                """);
        var settings = SeedLoader.settingsByAccount(seed);
        assertEquals(Map.of("billing", List.of("acs:ram::42:user/bot", "acs:ram::42:root"),
                "audit-sweeper", List.of("acs:ram::42:role/sweeper")), settings.get("42").getAsyncProducers());
        assertNull(settings.get("43").getAsyncProducers(), "no producer may act for an account that names none");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("""
                accounts:
                  - accountId: "1"
                    asyncProducers: {"bad/name": ["root"], empty: []}
                """));
        assertTrue(e.getMessage().contains("async producer 'bad/name' cannot name a topic"), e.getMessage());
        assertTrue(e.getMessage().contains("async producer 'empty' needs the principals it may act as"), e.getMessage());
    }

    @Test
    void mistakesAreReportedWithTheirPlace() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("""
                accounts:
                  - accountId: "1"
                  - accountId: "1"
                jobs:
                  - {clusterId: "a/b", jobId: j, accountId: "1", domainName: d}
                  - {clusterId: c, jobId: j2, accountId: "1"}
                """));
        assertTrue(e.getMessage().contains("declared twice"), e.getMessage());
        assertTrue(e.getMessage().contains("must not contain '/'"), e.getMessage());
        assertTrue(e.getMessage().contains("domainName are required"), e.getMessage());
        assertThrows(java.io.IOException.class, () -> parse("jobz: []\n"), "unknown keys are typos");
    }

    @Test
    void aJobMayCarryAlibabasOptionalFields() throws Exception {
        Seed.Job job = Seed.demo().jobs().get(0);
        assertEquals(java.time.Instant.parse("2026-11-02T08:30:00Z"), job.createdAt());
        assertEquals("main-1080p", job.templateName());
        assertEquals("rtmp://live.example.com/app/main", job.streamInput());
        assertEquals("rtmp://live.example.com/app/main_1080p", job.streamOutput());
        assertEquals("common", job.type());
        assertEquals(null, Seed.demo().jobs().get(1).createdAt(), "all optional");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("""
                jobs:
                  - {clusterId: c, jobId: j1, accountId: "1", domainName: d, createTime: "2026-11-02 08:30:00"}
                  - {clusterId: c, jobId: j2, accountId: "1", domainName: d, createTime: "2026-13-02T08:30:00Z"}
                """));
        assertTrue(e.getMessage().contains("job j1: createTime must look like 2023-07-24T16:44:55Z"), e.getMessage());
        assertTrue(e.getMessage().contains("job j2: createTime is not a date"), e.getMessage());
    }

    @Test
    void aPolicyThatCannotBeEvaluatedIsRefusedAtLoad() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("""
                policies:
                  - accountId: "1"
                    principal: user/ops
                    policyName: Typo
                    document:
                      Statement:
                        - {Effect: Alow, Action: "live:*", Resource: "*"}
                  - accountId: "1"
                    principal: user/ops
                    policyName: NotAnObject
                    document: '["Allow"]'
                """));
        assertTrue(e.getMessage().contains("policy Typo of user/ops: Statement #0 has Effect \"Alow\", not Allow or Deny"),
                e.getMessage());
        assertTrue(e.getMessage().contains("policy NotAnObject of user/ops: not a JSON object"), e.getMessage());
    }

    private static Seed parse(String yaml) throws Exception {
        return Seed.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
    }
}
