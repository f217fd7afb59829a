package io.edgestop.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The targets of issue 19 ("Capacity per core") as one markdown table, ready for docs/benchmarks.md:
 * one row per target with the target, the value of this run and pass / FAIL, or why it is not judged
 * in this run (a phase skipped, another rate or size than the target's).
 */
final class Targets {

    /** One row: what, the target ("-" for a yardstick or a figure), the value and the verdict. */
    record Line(String row, String target, String value, String result) {
    }

    private final List<Line> lines = new ArrayList<>();

    /** A row without a target: a yardstick or a figure reported beside the targets. */
    Targets info(String row, String value, String kind) {
        lines.add(new Line(row, "-", value, kind));
        return this;
    }

    /** A judged row; {@code notJudged} non-null says why this run cannot judge it. */
    Targets judged(String row, String target, String value, boolean pass, String notJudged) {
        lines.add(new Line(row, target, value, notJudged != null ? "not judged: " + notJudged : pass ? "pass" : "**FAIL**"));
        return this;
    }

    /** A row whose phase did not run. */
    Targets skipped(String row, String target, String why) {
        lines.add(new Line(row, target, "not measured", why));
        return this;
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("| row | target | value | result |\n|---|---|---|---|\n");
        lines.forEach(l -> sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", cell(l.row()), cell(l.target()),
                cell(l.value()), cell(l.result()))));
        return sb.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    /** Median of the non-NaN values, NaN for none. */
    static double median(List<Double> values) {
        List<Double> v = values.stream().filter(d -> !Double.isNaN(d)).sorted().toList();
        return v.isEmpty() ? Double.NaN : v.get(v.size() / 2);
    }

    static String us(double micros) {
        return String.format(Locale.ROOT, "%.1f us", micros);
    }

    static String perSecond(double r) {
        return String.format(Locale.ROOT, "%,.0f/s", r);
    }

    static String ms(double m) {
        return String.format(Locale.ROOT, "%,.1f ms", m);
    }
}
