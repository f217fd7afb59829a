package io.edgestop.topics;

/**
 * The Kafka key of everything about one job: {@code clusterId + "/" + jobId}. Cluster ids never
 * contain '/', so the first '/' splits the key.
 */
public final class JobKey {

    public static final char SEPARATOR = '/';

    private JobKey() {
    }

    public static String of(String clusterId, String jobId) {
        return clusterId + SEPARATOR + jobId;
    }

    public static String clusterId(String key) {
        int i = key.indexOf(SEPARATOR);
        return i < 0 ? key : key.substring(0, i);
    }

    public static String jobId(String key) {
        int i = key.indexOf(SEPARATOR);
        return i < 0 ? "" : key.substring(i + 1);
    }
}
