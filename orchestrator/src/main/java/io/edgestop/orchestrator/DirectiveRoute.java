package io.edgestop.orchestrator;

import java.util.regex.Pattern;

import io.edgestop.topics.Topics;

/** Directive routing: every cluster has a directive topic of its own, named after the cluster. */
public final class DirectiveRoute {

    /** Kafka topic names allow only these characters, and directive topics are named after the cluster. */
    private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private DirectiveRoute() {
    }

    /** True when a directive topic can be named after this cluster id (a job on any other "cluster" cannot exist). */
    public static boolean routable(String clusterId) {
        return clusterId != null && CLUSTER_ID.matcher(clusterId).matches();
    }

    static String topic(Topics topics, String clusterId) {
        return topics.directives(clusterId);
    }
}
