package io.edgestop.orchestrator.decision.policy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.edgestop.api.Api;
import io.edgestop.api.Cidr;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.RamPolicy;

/**
 * Pure evaluator of Alibaba Cloud RAM policy documents (JSON) for one request.
 *
 * <ul>
 *   <li>The account root ({@code acs:ram::<accountId>:root}) is allowed.</li>
 *   <li>Otherwise every statement of every policy is checked in order: a matching {@code Deny}
 *       wins over everything; else the first matching {@code Allow} allows; else deny
 *       ("no statement allowed").</li>
 *   <li>{@code Action}/{@code NotAction}/{@code Resource}/{@code NotResource}: a string or an
 *       array; {@code *} and {@code ?} wildcards; actions match case-insensitively, resources
 *       case-sensitively. A statement without an action element or a resource element never
 *       matches.</li>
 *   <li>{@code Condition}: operators are ANDed, keys within an operator are ANDed, the values of
 *       one key are ORed; negated operators ({@code StringNotEquals}, {@code NotIpAddress}, ...)
 *       are true when no value matches. A key the request does not have makes a positive
 *       operator false and a negated operator true.</li>
 *   <li>An unknown operator makes an {@code Allow} statement not match, and (conservatively) makes
 *       a {@code Deny} statement's condition count as met, so an unintelligible Deny still
 *       denies.</li>
 *   <li>A policy that cannot be evaluated ({@link #problem}: not a JSON object, or a statement whose
 *       {@code Effect} is neither Allow nor Deny) denies the request: it fails closed, since it may have
 *       meant a Deny.</li>
 * </ul>
 */
public final class PolicyEvaluator {

    public static final String STOP_ACTION = Api.RAM_ACTION;

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Parsed documents by their text (a policy revision is its text), so each revision is parsed once.
     * Bounded with eviction one entry at a time (not cleared when full): with more documents in use than
     * the bound, the ones used most stay parsed instead of every lookup missing.
     */
    private static final Cache<String, Object> PARSED = Caffeine.newBuilder().maximumSize(10_000).build();
    private static final Object INVALID = new Object();

    private PolicyEvaluator() {
    }

    /** The resource ARN of a live domain of an account. */
    public static String domainResource(String accountId, String domainName) {
        return "acs:live:*:" + accountId + ":domain/" + domainName;
    }

    public static String rootPrincipal(String accountId) {
        return "acs:ram::" + accountId + ":root";
    }

    /** The policies attached to {@code principal} (the stop and the reads evaluate the same ones). */
    public static List<NamedPolicy> policiesOf(AccountPolicies policies, String principal) {
        List<NamedPolicy> out = new ArrayList<>();
        if (policies == null || principal == null || policies.getPrincipals() == null) {
            return out;
        }
        List<RamPolicy> own = policies.getPrincipals().get(principal);
        if (own != null) {
            for (RamPolicy p : own) {
                out.add(new NamedPolicy(p.getPolicyName(), p.getDocument()));
            }
        }
        return out;
    }

    /** Full check: root principal, else the policies attached to the principal. */
    public static Verdict evaluate(String principal, String accountId, Collection<NamedPolicy> policies, RequestContext request) {
        if (principal != null && accountId != null && principal.equals(rootPrincipal(accountId))) {
            return new Verdict(true, "root principal", List.of());
        }
        return evaluate(policies, request);
    }

    /** Policy-only check (no root shortcut). */
    public static Verdict evaluate(Collection<NamedPolicy> policies, RequestContext request) {
        List<String> notes = new ArrayList<>();
        String allowedBy = null;
        for (NamedPolicy policy : policies) {
            JsonNode doc = parse(policy.document());
            String problem = doc == null ? "not a JSON object" : problem(doc);
            if (problem != null) {
                // what it meant is unknown, maybe a Deny: nothing is allowed while it is attached
                return new Verdict(false, "invalid policy " + policy.name() + " denies (fails closed): " + problem, notes);
            }
            List<JsonNode> list = statements(doc);
            for (int i = 0; i < list.size(); i++) {
                JsonNode statement = list.get(i);
                boolean deny = "deny".equalsIgnoreCase(text(statement.get("Effect")));
                if (!matches(statement, request, deny)) {
                    continue;
                }
                if (deny) {
                    return new Verdict(false, "Deny by " + policy.name() + "#" + i, notes);
                }
                if (allowedBy == null) {
                    allowedBy = "Allow by " + policy.name() + "#" + i;
                }
            }
        }
        if (allowedBy != null) {
            return new Verdict(true, allowedBy, notes);
        }
        return new Verdict(false, "no statement allowed", notes);
    }

    /**
     * Why a policy document cannot be evaluated, or null when it can: it must be a JSON object whose
     * {@code Statement} (an object or an array of them, may be absent) has each an {@code Effect} of
     * Allow or Deny. Such a document is refused when loaded ({@code edge-stop seed}) and, should one
     * reach the orchestrator anyway, denies every request of its principal (fails closed).
     */
    public static String problem(String document) {
        JsonNode doc = parse(document);
        return doc == null ? "not a JSON object" : problem(doc);
    }

    /**
     * {@link #problem(String)} of the policy {@code policyName} attached to {@code principal}, worded
     * "policy NAME of PRINCIPAL: PROBLEM", or null: how {@code edge-stop seed} refuses it and the
     * orchestrator reports it when loaded.
     */
    public static String problem(String policyName, String principal, String document) {
        String problem = problem(document);
        return problem == null ? null : "policy " + policyName + " of " + principal + ": " + problem;
    }

    private static String problem(JsonNode doc) {
        JsonNode statements = doc.get("Statement");
        if (statements != null && !statements.isArray() && !statements.isObject()) {
            return "Statement is neither an object nor an array";
        }
        List<JsonNode> list = statements(doc);
        for (int i = 0; i < list.size(); i++) {
            JsonNode statement = list.get(i);
            if (!statement.isObject()) {
                return "Statement #" + i + " is not an object";
            }
            String effect = text(statement.get("Effect"));
            if (!"allow".equalsIgnoreCase(effect) && !"deny".equalsIgnoreCase(effect)) {
                return "Statement #" + i + " has Effect " + (effect == null ? "missing" : "\"" + truncate(effect) + "\"")
                        + ", not Allow or Deny";
            }
        }
        return null;
    }

    private static String truncate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "...";
    }

    private static List<JsonNode> statements(JsonNode doc) {
        JsonNode statements = doc.get("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statements != null && statements.isArray()) {
            statements.forEach(list::add);
        } else if (statements != null && statements.isObject()) {
            list.add(statements);
        }
        return list;
    }

    /** Whether one statement applies to the request (effect not considered except for unknown operators). */
    static boolean matches(JsonNode statement, RequestContext request, boolean deny) {
        JsonNode action = statement.get("Action");
        JsonNode notAction = statement.get("NotAction");
        if (action != null) {
            if (!anyMatch(action, request.action(), true)) {
                return false;
            }
        } else if (notAction != null) {
            if (anyMatch(notAction, request.action(), true)) {
                return false;
            }
        } else {
            return false;
        }
        JsonNode resource = statement.get("Resource");
        JsonNode notResource = statement.get("NotResource");
        if (resource != null) {
            if (!anyMatch(resource, request.resource(), false)) {
                return false;
            }
        } else if (notResource != null) {
            if (anyMatch(notResource, request.resource(), false)) {
                return false;
            }
        } else {
            return false;
        }
        JsonNode condition = statement.get("Condition");
        if (condition == null || condition.isNull()) {
            return true;
        }
        if (!condition.isObject()) {
            return deny;
        }
        for (Map.Entry<String, JsonNode> op : condition.properties()) {
            if (!op.getValue().isObject()) {
                return deny;
            }
            for (Map.Entry<String, JsonNode> key : op.getValue().properties()) {
                Boolean met = Conditions.evaluate(op.getKey(), request.value(key.getKey()), values(key.getValue()));
                if (met == null) {
                    if (deny) {
                        continue; // unknown operator in a Deny: conservatively treated as met
                    }
                    return false;
                }
                if (!met) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean anyMatch(JsonNode patterns, String value, boolean ignoreCase) {
        for (String pattern : values(patterns)) {
            if (Glob.matches(pattern, value, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> values(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(n -> {
                if (n.isValueNode()) {
                    out.add(n.asText());
                }
            });
        } else if (node.isValueNode()) {
            out.add(node.asText());
        }
        return out;
    }

    private static String text(JsonNode node) {
        return node == null || !node.isValueNode() ? null : node.asText();
    }

    private static JsonNode parse(String document) {
        if (document == null) {
            return null;
        }
        Object cached = PARSED.get(document, PolicyEvaluator::parseOnce);
        return cached == INVALID ? null : (JsonNode) cached;
    }

    private static Object parseOnce(String document) {
        try {
            JsonNode node = JSON.readTree(document);
            return node != null && node.isObject() ? node : INVALID;
        } catch (Exception e) {
            return INVALID;
        }
    }

    /** The condition operators. */
    static final class Conditions {

        private Conditions() {
        }

        /** True/false, or null when the operator is unknown. */
        static Boolean evaluate(String operator, String actual, List<String> expected) {
            String op = operator.toLowerCase(Locale.ROOT);
            switch (op) {
                case "stringequals":
                    return positive(actual, expected, v -> v.equals(actual));
                case "stringnotequals":
                    return negative(actual, expected, v -> v.equals(actual));
                case "stringequalsignorecase":
                    return positive(actual, expected, v -> v.equalsIgnoreCase(actual));
                case "stringnotequalsignorecase":
                    return negative(actual, expected, v -> v.equalsIgnoreCase(actual));
                case "stringlike":
                    return positive(actual, expected, v -> Glob.matches(v, actual, false));
                case "stringnotlike":
                    return negative(actual, expected, v -> Glob.matches(v, actual, false));
                case "bool":
                    return positive(actual, expected, v -> v.equalsIgnoreCase(actual));
                case "ipaddress":
                    return positive(actual, expected, v -> Cidr.contains(v, actual));
                case "notipaddress":
                    return negative(actual, expected, v -> Cidr.contains(v, actual));
                case "dateequals":
                    return positive(actual, expected, v -> compareDates(actual, v, c -> c == 0));
                case "datenotequals":
                    return negative(actual, expected, v -> compareDates(actual, v, c -> c == 0));
                case "datelessthan":
                    return positive(actual, expected, v -> compareDates(actual, v, c -> c < 0));
                case "datelessthanequals":
                    return positive(actual, expected, v -> compareDates(actual, v, c -> c <= 0));
                case "dategreaterthan":
                    return positive(actual, expected, v -> compareDates(actual, v, c -> c > 0));
                case "dategreaterthanequals":
                    return positive(actual, expected, v -> compareDates(actual, v, c -> c >= 0));
                case "numericequals":
                    return positive(actual, expected, v -> compareNumbers(actual, v, c -> c == 0));
                case "numericnotequals":
                    return negative(actual, expected, v -> compareNumbers(actual, v, c -> c == 0));
                case "numericlessthan":
                    return positive(actual, expected, v -> compareNumbers(actual, v, c -> c < 0));
                case "numericlessthanequals":
                    return positive(actual, expected, v -> compareNumbers(actual, v, c -> c <= 0));
                case "numericgreaterthan":
                    return positive(actual, expected, v -> compareNumbers(actual, v, c -> c > 0));
                case "numericgreaterthanequals":
                    return positive(actual, expected, v -> compareNumbers(actual, v, c -> c >= 0));
                default:
                    return null;
            }
        }

        private interface Test {
            boolean test(String expectedValue);
        }

        private interface Cmp {
            boolean ok(int comparison);
        }

        private static boolean positive(String actual, List<String> expected, Test test) {
            if (actual == null) {
                return false;
            }
            for (String v : expected) {
                if (test.test(v)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean negative(String actual, List<String> expected, Test test) {
            if (actual == null) {
                return true;
            }
            return !positive(actual, expected, test);
        }

        private static boolean compareDates(String actual, String expected, Cmp cmp) {
            Instant a = instant(actual);
            Instant e = instant(expected);
            return a != null && e != null && cmp.ok(a.compareTo(e));
        }

        private static boolean compareNumbers(String actual, String expected, Cmp cmp) {
            try {
                return cmp.ok(new BigDecimal(actual.trim()).compareTo(new BigDecimal(expected.trim())));
            } catch (NumberFormatException e) {
                return false;
            }
        }

        /** ISO-8601 with offset or Z, local date-time (UTC), a date (midnight UTC) or epoch millis/seconds. */
        static Instant instant(String value) {
            if (value == null) {
                return null;
            }
            String v = value.trim();
            try {
                return OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException ignored) {
                // next format
            }
            try {
                return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // next format
            }
            try {
                return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // next format
            }
            if (v.matches("\\d{1,13}")) {
                long n = Long.parseLong(v);
                return v.length() <= 10 ? Instant.ofEpochSecond(n) : Instant.ofEpochMilli(n);
            }
            return null;
        }
    }
}
