package io.edgestop.bench;

import java.util.Locale;

/** Ratios between rows of one run (the targets themselves are judged in {@link Targets}). */
final class Summary {

    private final StringBuilder text = new StringBuilder();

    /** {@code numerator : denominator}, per second; nothing if either phase was skipped. */
    Summary ratio(String label, Bench.Row numerator, Bench.Row denominator) {
        if (numerator != null && denominator != null) {
            text.append(String.format(Locale.ROOT, "ratio %s = %.3f%n", label, numerator.perSecond() / denominator.perSecond()));
        }
        return this;
    }

    /** p50 and p99 of one row against another's. */
    Summary latencyRatio(String label, Bench.Row row, Bench.Row base) {
        if (row != null && base != null) {
            text.append(String.format(Locale.ROOT, "ratio %s p50/p99 = %.1f / %.1f%n", label, row.ms(50) / base.ms(50),
                    row.ms(99) / base.ms(99)));
        }
        return this;
    }

    Summary note(String s) {
        text.append(s).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
