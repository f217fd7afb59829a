package io.edgestop.orchestrator.decision.policy;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {

    static final String ACCOUNT = "1234";
    static final String RESOURCE = PolicyEvaluator.domainResource(ACCOUNT, "live.example.com");
    static final long NOW = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();

    static RequestContext request(String ip, boolean https) {
        return new RequestContext(PolicyEvaluator.STOP_ACTION, RESOURCE, ip, https, NOW, Map.of("acs:UserAgent", "sdk-java/4.7.3"));
    }

    static Verdict eval(String... statements) {
        return PolicyEvaluator.evaluate(List.of(new NamedPolicy("P", "{\"Version\":\"1\",\"Statement\":[" + String.join(",", statements) + "]}")),
                request("10.1.2.3", true));
    }

    static String stmt(String effect, String body) {
        return "{\"Effect\":\"" + effect + "\"," + body + "}";
    }

    @Test
    void rootIsAllowedWithoutPolicies() {
        Verdict v = PolicyEvaluator.evaluate("acs:ram::1234:root", ACCOUNT, List.of(), request("1.1.1.1", false));
        assertTrue(v.allowed());
        assertEquals("root principal", v.description());
        assertFalse(PolicyEvaluator.evaluate("acs:ram::9999:root", ACCOUNT, List.of(), request("1.1.1.1", false)).allowed(),
                "another account's root is nobody here");
    }

    @Test
    void actionAndResourceForms() {
        assertTrue(eval(stmt("Allow", "\"Action\":\"live:StopEdgeTranscodeJob\",\"Resource\":\"" + RESOURCE + "\"")).allowed());
        assertTrue(eval(stmt("Allow", "\"Action\":[\"live:Describe*\",\"LIVE:stop*\"],\"Resource\":[\"acs:live:*:1234:domain/*\"]")).allowed());
        assertTrue(eval(stmt("Allow", "\"Action\":\"live:Stop?dgeTranscodeJob\",\"Resource\":\"*\"")).allowed());
        assertFalse(eval(stmt("Allow", "\"Action\":\"live:Stop?TranscodeJob\",\"Resource\":\"*\"")).allowed());
        assertFalse(eval(stmt("Allow", "\"Action\":\"live:*\",\"Resource\":\"acs:live:*:1234:domain/other.com\"")).allowed());
        assertFalse(eval(stmt("Allow", "\"Action\":\"live:*\",\"Resource\":\"ACS:LIVE:*:1234:DOMAIN/*\"")).allowed(), "resources are case-sensitive");
        assertTrue(eval(stmt("Allow", "\"NotAction\":\"live:Delete*\",\"Resource\":\"*\"")).allowed());
        assertFalse(eval(stmt("Allow", "\"NotAction\":[\"live:Stop*\"],\"Resource\":\"*\"")).allowed());
        assertFalse(eval(stmt("Allow", "\"Resource\":\"*\"")).allowed(), "no action element: never matches");
        assertFalse(eval(stmt("Allow", "\"Action\":\"*\"")).allowed(), "no resource element: never matches");
        assertTrue(eval(stmt("Allow", "\"Action\":\"*\",\"NotResource\":\"acs:live:*:9999:*\"")).allowed());
    }

    @Test
    void denyWinsOverAllowInAnyOrder() {
        String allow = stmt("Allow", "\"Action\":\"live:*\",\"Resource\":\"*\"");
        String deny = stmt("Deny", "\"Action\":\"live:StopEdgeTranscodeJob\",\"Resource\":\"*\"");
        Verdict v = eval(allow, deny);
        assertFalse(v.allowed());
        assertEquals("Deny by P#1", v.description());
        assertEquals("Deny by P#0", eval(deny, allow).description());
        assertEquals("Allow by P#0", eval(allow).description());
        assertEquals("no statement allowed", eval().description());
        assertFalse(eval(stmt("Maybe", "\"Action\":\"*\",\"Resource\":\"*\"")).allowed(), "unknown effect ignored");
    }

    @Test
    void ipConditionsV4AndV6() {
        String cond = "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"acs:SourceIp\":[\"10.0.0.0/8\",\"2001:db8::/32\"]}}";
        List<NamedPolicy> p = List.of(new NamedPolicy("Ip", "{\"Statement\":" + stmt("Allow", cond) + "}"));
        assertTrue(PolicyEvaluator.evaluate(p, request("10.200.0.1", true)).allowed());
        assertFalse(PolicyEvaluator.evaluate(p, request("11.0.0.1", true)).allowed());
        assertTrue(PolicyEvaluator.evaluate(p, request("2001:db8:1::5", true)).allowed());
        assertFalse(PolicyEvaluator.evaluate(p, request("2001:db9::5", true)).allowed());
        assertFalse(PolicyEvaluator.evaluate(p, request(null, true)).allowed(), "no source ip: positive operator false");
        assertFalse(PolicyEvaluator.evaluate(p, request("example.com", true)).allowed(), "never resolves names");

        String not = "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"NotIpAddress\":{\"acs:SourceIp\":\"192.168.1.0/24\"}}";
        List<NamedPolicy> deny = List.of(new NamedPolicy("OnlyOffice", "{\"Statement\":[" + stmt("Allow", "\"Action\":\"*\",\"Resource\":\"*\"")
                + "," + stmt("Deny", not) + "]}"));
        assertTrue(PolicyEvaluator.evaluate(deny, request("192.168.1.77", true)).allowed());
        Verdict outside = PolicyEvaluator.evaluate(deny, request("192.168.2.1", true));
        assertFalse(outside.allowed());
        assertEquals("Deny by OnlyOffice#1", outside.description());
    }

    @Test
    void boolDateAndStringConditions() {
        assertTrue(eval(stmt("Allow", "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"acs:SecureTransport\":\"true\"}}")).allowed());
        assertFalse(eval(stmt("Allow", "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"acs:SecureTransport\":[\"false\"]}}")).allowed());
        assertTrue(eval(stmt("Allow", "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"DateGreaterThanEquals\":{\"acs:CurrentTime\":\"2026-03-01T12:00:00Z\"},"
                + "\"DateLessThan\":{\"acs:CurrentTime\":\"2026-03-01T20:00:01+08:00\"}}")).allowed());
        assertFalse(eval(stmt("Allow", "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"DateGreaterThan\":{\"acs:CurrentTime\":\"2026-03-01T12:00:00Z\"}}")).allowed());
        assertTrue(eval(stmt("Allow", "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"DateLessThanEquals\":{\"acs:CurrentTime\":\"2026-03-01T12:00:00Z\"}}")).allowed());
        assertTrue(eval(stmt("Allow", "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringLike\":{\"acs:UserAgent\":\"sdk-java/*\"}}")).allowed());
        assertFalse(eval(stmt("Allow", "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"acs:UserAgent\":\"SDK-JAVA/4.7.3\"}}")).allowed());
        assertTrue(eval(stmt("Allow", "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEqualsIgnoreCase\":{\"acs:UserAgent\":\"SDK-JAVA/4.7.3\"}}")).allowed());
        assertTrue(eval(stmt("Allow", "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":{\"acs:UserAgent\":[\"a\",\"b\"]}}")).allowed());
        assertFalse(eval(stmt("Allow", "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringNotLike\":{\"acs:UserAgent\":\"sdk-*\"}}")).allowed());
        assertFalse(eval(stmt("Allow", "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"acs:MissingKey\":\"x\"}}")).allowed());
        // ANDed operators: one false makes it false
        assertFalse(eval(stmt("Allow", "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"acs:SecureTransport\":\"true\"},"
                + "\"IpAddress\":{\"acs:SourceIp\":\"8.8.8.8\"}}")).allowed());
    }

    @Test
    void unknownOperatorNeverAllowsButStillDenies() {
        String unknown = "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"GeoWithin\":{\"acs:Region\":\"cn\"}}";
        assertFalse(eval(stmt("Allow", unknown)).allowed());
        Verdict v = eval(stmt("Allow", "\"Action\":\"*\",\"Resource\":\"*\""), stmt("Deny", unknown));
        assertFalse(v.allowed());
        assertEquals("Deny by P#1", v.description());
    }

    @Test
    void aPolicyThatCannotBeEvaluatedDeniesEvenBesideAnAllow() {
        NamedPolicy good = new NamedPolicy("Good", "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"live:*\",\"Resource\":\"*\"}}");
        assertTrue(PolicyEvaluator.evaluate(List.of(good), request("1.2.3.4", true)).allowed());
        for (String bad : List.of("{\"Statement\":[", "[]", "\"text\"", "{\"Statement\":\"Allow\"}", "{\"Statement\":[1]}",
                "{\"Statement\":{\"Effect\":\"Alow\",\"Action\":\"live:*\",\"Resource\":\"*\"}}",
                "{\"Statement\":[{\"Action\":\"live:*\",\"Resource\":\"*\"}]}")) {
            assertTrue(PolicyEvaluator.problem(bad) != null, bad);
            for (List<NamedPolicy> policies : List.of(List.of(new NamedPolicy("Bad", bad), good), List.of(good, new NamedPolicy("Bad", bad)))) {
                Verdict v = PolicyEvaluator.evaluate(policies, request("1.2.3.4", true));
                assertFalse(v.allowed(), bad);
                assertTrue(v.description().startsWith("invalid policy Bad denies (fails closed): "), v.description());
            }
        }
        assertEquals("Statement #0 has Effect \"Alow\", not Allow or Deny",
                PolicyEvaluator.problem("{\"Statement\":{\"Effect\":\"Alow\"}}"));
        assertEquals(null, PolicyEvaluator.problem("{\"Version\":\"1\"}"), "no statement: valid, allows nothing");
        assertEquals(null, PolicyEvaluator.problem(good.document()));
    }
}
