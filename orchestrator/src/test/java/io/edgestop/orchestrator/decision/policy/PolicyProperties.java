package io.edgestop.orchestrator.decision.policy;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import io.edgestop.api.Cidr;

class PolicyProperties {

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars("ab*?").ofMaxLength(8);
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars("abc").ofMaxLength(8);
    }

    /** Reference semantics through a regular expression. */
    static boolean reference(String pattern, String text) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(text).matches();
    }

    @Property(tries = 1000)
    void globAgreesWithTheRegexReference(@ForAll("patterns") String pattern, @ForAll("texts") String text) {
        assertEquals(reference(pattern, text), Glob.matches(pattern, text, false), pattern + " vs " + text);
    }

    @Property(tries = 300)
    void starMatchesEverythingAndLiteralsMatchThemselves(@ForAll("texts") String text) {
        assertTrue(Glob.matches("*", text, false));
        assertTrue(Glob.matches(text, text, false));
        assertTrue(Glob.matches(text.toUpperCase(), text, true));
    }

    @Property(tries = 500)
    void cidrAgreesWithIntegerArithmetic(@ForAll int address, @ForAll int network, @ForAll @IntRange(min = 0, max = 32) int prefix) {
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        boolean expected = ((address & 0xFFFFFFFFL) & mask) == ((network & 0xFFFFFFFFL) & mask);
        assertEquals(expected, Cidr.contains(dotted(network) + "/" + prefix, dotted(address)));
    }

    static String dotted(int v) {
        return ((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
    }

    /** One generated statement: effect, whether its action matches, whether its resource matches, whether its condition holds. */
    record Stmt(boolean deny, boolean actionMatches, boolean resourceMatches, boolean conditionHolds) {
        boolean applies() {
            return actionMatches && resourceMatches && conditionHolds;
        }

        String json() {
            return "{\"Effect\":\"" + (deny ? "Deny" : "Allow") + "\","
                    + "\"Action\":" + (actionMatches ? "[\"live:Describe*\",\"live:stop*\"]" : "\"live:Start*\"") + ","
                    + "\"Resource\":\"" + (resourceMatches ? "acs:live:*:1234:domain/*" : "acs:live:*:5678:*") + "\","
                    + "\"Condition\":{\"IpAddress\":{\"acs:SourceIp\":\"" + (conditionHolds ? "10.0.0.0/8" : "172.16.0.0/12") + "\"}}}";
        }
    }

    @Provide
    Arbitrary<List<List<Stmt>>> policySets() {
        Arbitrary<Stmt> stmt = Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.of(true, false)).as(Stmt::new);
        return stmt.list().ofMaxSize(4).list().ofMaxSize(4);
    }

    @Property(tries = 500)
    void explicitDenyWinsOtherwiseAnAllowIsNeeded(@ForAll("policySets") List<List<Stmt>> sets) {
        List<NamedPolicy> policies = new ArrayList<>();
        boolean anyDeny = false;
        boolean anyAllow = false;
        for (int i = 0; i < sets.size(); i++) {
            List<String> json = new ArrayList<>();
            for (Stmt s : sets.get(i)) {
                json.add(s.json());
                anyDeny |= s.deny() && s.applies();
                anyAllow |= !s.deny() && s.applies();
            }
            policies.add(new NamedPolicy("P" + i, "{\"Version\":\"1\",\"Statement\":[" + String.join(",", json) + "]}"));
        }
        Verdict v = PolicyEvaluator.evaluate(policies, new RequestContext(PolicyEvaluator.STOP_ACTION,
                PolicyEvaluator.domainResource("1234", "d.example.com"), "10.9.8.7", true, 0L, Map.of()));
        assertEquals(!anyDeny && anyAllow, v.allowed(), v.description());
        if (anyDeny) {
            assertTrue(v.description().startsWith("Deny by "));
        } else if (anyAllow) {
            assertTrue(v.description().startsWith("Allow by "));
        } else {
            assertEquals("no statement allowed", v.description());
        }
    }
}
