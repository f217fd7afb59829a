package io.edgestop.bench;

import java.util.Locale;

/** The ratios between rows of one run and the targets of issue 10, each marked reached or missed. */
final class Summary {

    static final double TARGET_RATE = 1000;

    private final StringBuilder text = new StringBuilder();

    /** {@code numerator : denominator}, per second, with a target minimum (NaN for none). */
    Summary ratio(String label, Bench.Row numerator, Bench.Row denominator, double atLeast) {
        if (numerator == null || denominator == null) {
            if (!Double.isNaN(atLeast)) {
                text.append(String.format(Locale.ROOT, "ratio %s (target >= %.2f): not measured (phase skipped)%n", label, atLeast));
            }
            return this;
        }
        double r = numerator.perSecond() / denominator.perSecond();
        line(String.format(Locale.ROOT, "ratio %s = %.3f", label, r), Double.isNaN(atLeast) ? null : r >= atLeast,
                Double.isNaN(atLeast) ? null : String.format(Locale.ROOT, ">= %.2f", atLeast));
        return this;
    }

    /** p50 and p99 of one row against another's. */
    Summary latencyRatio(String label, Bench.Row row, Bench.Row base) {
        if (row != null && base != null) {
            line(String.format(Locale.ROOT, "ratio %s p50/p99 = %.1f / %.1f", label, row.ms(50) / base.ms(50),
                    row.ms(99) / base.ms(99)), null, null);
        }
        return this;
    }

    /** Target: decision p99 <= 50 ms at 1,000 commands/s. */
    Summary decisionTarget(Bench.Row atRate, double rate) {
        if (atRate != null) {
            line(String.format(Locale.ROOT, "target decision p99 <= 50 ms at 1,000/s: p99 %.1f ms at %.0f/s", atRate.ms(99), rate),
                    rate == TARGET_RATE ? atRate.ms(99) <= 50 : null, "");
        }
        return this;
    }

    /** Target: HTTP open loop at 1,000/s offered answers >= 990/s with p99 <= 60 ms. */
    Summary httpTarget(Bench.Row http, double rate) {
        if (http == null) {
            text.append("target HTTP open loop at 1,000/s offered: not measured (--skip-http)\n");
        } else {
            line(String.format(Locale.ROOT, "target HTTP open loop at 1,000/s offered: achieved >= 990/s and p99 <= 60 ms:"
                    + " %.0f/s, p99 %.1f ms at %.0f/s offered", http.perSecond(), http.ms(99), rate),
                    rate == TARGET_RATE ? http.perSecond() >= 990 && http.ms(99) <= 60 : null, "");
        }
        return this;
    }

    Summary note(String s) {
        text.append(s).append('\n');
        return this;
    }

    private void line(String s, Boolean reached, String target) {
        text.append(s);
        if (reached != null) {
            text.append(target.isEmpty() ? "" : " (target " + target + ")").append(reached ? ": REACHED" : ": MISSED");
        } else if ("".equals(target)) {
            text.append(": not judged (the target is for 1,000/s; use --rate 1000)");
        }
        text.append('\n');
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
