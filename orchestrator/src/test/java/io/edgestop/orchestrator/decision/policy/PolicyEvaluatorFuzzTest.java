package io.edgestop.orchestrator.decision.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the RAM policy evaluator: any document and request gives a verdict,
 * never an exception (a decision that throws would stop the account's task); a document that cannot
 * be evaluated never allows (fails closed); the account root is always allowed.
 */
class PolicyEvaluatorFuzzTest {

    private static final String[] SKELETONS = {
        "{\"Statement\":[{\"Effect\":\"%s\",\"Action\":%s,\"Resource\":%s,\"Condition\":%s}]}",
        "{\"Statement\":{\"Effect\":\"%s\",\"NotAction\":%s,\"NotResource\":%s,\"Condition\":%s}}",
        "%s%s%s%s"};

    @FuzzTest(maxDuration = "60s")
    void anyPolicyGivesAVerdictAndAnInvalidOneNeverAllows(FuzzedDataProvider data) {
        String document = String.format(data.pickValue(SKELETONS), data.pickValue(new String[] {"Allow", "Deny", "allow", "Maybe"}),
                data.consumeString(80), data.consumeString(80), data.consumeString(200));
        RequestContext request = new RequestContext(data.consumeString(40), data.consumeString(80),
                data.consumeBoolean() ? data.consumeString(45) : null, data.consumeBoolean(), data.consumeLong());
        String principal = data.consumeString(40);
        Verdict v = PolicyEvaluator.evaluate(principal, "1", List.of(new NamedPolicy("P", document)), request);
        assertNotNull(v.description());
        if (PolicyEvaluator.problem(document) != null && !principal.equals(PolicyEvaluator.rootPrincipal("1"))) {
            assertFalse(v.allowed(), document);
        }
        assertTrue(PolicyEvaluator.evaluate(PolicyEvaluator.rootPrincipal("1"), "1", List.of(new NamedPolicy("P", document)),
                request).allowed());
    }
}
