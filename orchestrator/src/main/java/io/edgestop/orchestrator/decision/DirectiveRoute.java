package io.edgestop.orchestrator.decision;

import io.edgestop.topics.Topics;

/** Directive routing: every cluster has a directive topic of its own, named after the cluster. */
public final class DirectiveRoute {

    private DirectiveRoute() {
    }

    /** True when a directive topic can be named after this cluster id (a job on any other "cluster" cannot exist). */
    public static boolean routable(String clusterId) {
        return Topics.validClusterId(clusterId);
    }

    public static String topic(Topics topics, String clusterId) {
        return topics.directives(clusterId);
    }
}
