package io.edgestop.orchestrator.decision.policy;

/**
 * RAM wildcard matching: {@code *} is any run of characters (also none), {@code ?} exactly one
 * character; everything else matches literally. Linear-time greedy matcher with backtracking to
 * the last star (no regular expressions, so no catastrophic patterns).
 */
public final class Glob {

    private Glob() {
    }

    public static boolean matches(String pattern, String text, boolean ignoreCase) {
        if (pattern == null || text == null) {
            return false;
        }
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || same(pattern.charAt(p), text.charAt(t), ignoreCase))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        if (a == b) {
            return true;
        }
        return ignoreCase && (Character.toLowerCase(a) == Character.toLowerCase(b)
                || Character.toUpperCase(a) == Character.toUpperCase(b));
    }
}
