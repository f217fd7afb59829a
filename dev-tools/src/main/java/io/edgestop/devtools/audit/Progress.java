package io.edgestop.devtools.audit;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar (redrawn with a carriage return, at most five times a second) over a
 * known number of records, and the throughput at the end. Silent when {@code out} is null.
 */
public final class Progress {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter out;
    private final long total;
    private final long started = System.nanoTime();
    private long done;
    private long lastDraw;
    private boolean drawn;

    /** {@code out}: where the bar goes (stderr), or null for none; {@code total}: records to read (an upper bound). */
    public Progress(PrintWriter out, long total) {
        this.out = out;
        this.total = Math.max(total, 1);
    }

    public void step() {
        done++;
        long now = System.nanoTime();
        if (out != null && now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            draw(now);
        }
    }

    public long done() {
        return done;
    }

    public double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    /** Records per second so far. */
    public double rate() {
        double s = seconds();
        return s <= 0 ? 0 : done / s;
    }

    /** Removes the bar (before the report is printed). */
    public void finish() {
        if (out != null && drawn) {
            out.print("\r" + " ".repeat(WIDTH + 60) + "\r");
            out.flush();
        }
    }

    private void draw(long now) {
        out.print("\r" + bar(done, total, rate()));
        out.flush();
        drawn = true;
    }

    /** {@code [#####.........]  33%  12,345/37,000 records  8,200 records/s}. */
    static String bar(long done, long total, double rate) {
        long shown = Math.min(done, total); // total is an upper bound (transaction markers take offsets)
        int filled = (int) (WIDTH * shown / total);
        return String.format(Locale.ROOT, "[%s%s] %3d%%  %,d/%,d records  %,.0f records/s",
                "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * shown / total, done, total, rate);
    }
}
