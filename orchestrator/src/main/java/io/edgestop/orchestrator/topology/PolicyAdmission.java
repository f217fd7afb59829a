package io.edgestop.orchestrator.topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.orchestrator.decision.policy.PolicyEvaluator;
import io.edgestop.schema.AccountPolicies;

/**
 * Reads account-policies records as the orchestrator loads them and reports every document that cannot be
 * evaluated (not JSON, an unknown {@code Effect}, ...): a WARN naming the account, revision, principal, policy
 * and problem, and {@code edgestop_orchestrator_policies_invalid_total}. The record is still stored, so the
 * principal of such a document is denied every call until a valid one replaces it ({@link PolicyEvaluator}
 * fails closed). Dropping it instead would leave the previous version in force, which may be the access its
 * writer meant to revoke; {@code edge-stop seed} refuses such a document before it is written.
 */
final class PolicyAdmission implements Deserializer<AccountPolicies> {

    private static final Logger log = LoggerFactory.getLogger(PolicyAdmission.class);

    private final String policiesTopic;
    private final Deserializer<AccountPolicies> decoder;
    private final Runnable invalid;

    /** {@code topic}: the account-policies topic; the same deserializer also reads the table's own changelog, unreported. */
    PolicyAdmission(String topic, Deserializer<AccountPolicies> decoder, Runnable invalid) {
        this.policiesTopic = topic;
        this.decoder = decoder;
        this.invalid = invalid;
    }

    @Override
    public AccountPolicies deserialize(String topic, byte[] data) {
        AccountPolicies set = decoder.deserialize(topic, data);
        if (set != null && policiesTopic.equals(topic)) {
            for (String problem : problems(set)) {
                invalid.run();
                log.warn("{}: account {} revision {}: {}; every call of that principal is denied until a valid document"
                        + " replaces it", topic, set.getAccountId(), set.getRevision(), problem);
            }
        }
        return set;
    }

    /** Each policy of the set that cannot be evaluated, as "policy NAME of PRINCIPAL: PROBLEM", in order. */
    static List<String> problems(AccountPolicies set) {
        List<String> problems = new ArrayList<>();
        set.getPrincipals().forEach((principal, attached) -> attached.forEach(p -> {
            String problem = PolicyEvaluator.problem(p.getPolicyName(), principal, p.getDocument());
            if (problem != null) {
                problems.add(problem);
            }
        }));
        Collections.sort(problems);
        return problems;
    }
}
