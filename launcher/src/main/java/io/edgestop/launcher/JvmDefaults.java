package io.edgestop.launcher;

/**
 * JVM-wide settings every edge-stop process applies before it opens a socket, unless the operator set
 * them on the command line ({@code -Dname=value} wins).
 */
public final class JvmDefaults {

    /**
     * The JDK keeps, per thread, a direct buffer as large as the largest heap buffer that thread moved
     * through a socket ({@code sun.nio.ch.Util}), and Kafka's clients move whole fetches that way: 19 MB
     * of native memory in an orchestrator with 1,000,000 jobs (NMT "Other"), 1.6 MB with this bound
     * (docs/benchmarks.md). Larger transfers use a temporary buffer, freed at once.
     */
    static final String MAX_CACHED_BUFFER = "jdk.nio.maxCachedBufferSize";
    static final String MAX_CACHED_BUFFER_BYTES = Integer.toString(256 * 1024);

    private JvmDefaults() {
    }

    /** Sets each default the operator did not set; call first in {@code main}, before any socket I/O reads them. */
    public static void apply() {
        if (System.getProperty(MAX_CACHED_BUFFER) == null) {
            System.setProperty(MAX_CACHED_BUFFER, MAX_CACHED_BUFFER_BYTES);
        }
    }
}
