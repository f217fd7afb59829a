package io.edgestop.orchestrator.topology;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link DirectiveTopics} for tests without a broker: remembers every cluster it was asked to prepare,
 * in order, and answers that the clusters in {@link #undeliverable} cannot be written.
 */
class RecordingDirectiveTopics implements DirectiveTopics {

    final List<String> prepared = new ArrayList<>();
    final Set<String> undeliverable = new HashSet<>();

    @Override
    public void prepare(String clusterId) {
        prepared.add(clusterId);
    }

    @Override
    public String undeliverable(String clusterId) {
        return undeliverable.contains(clusterId) ? "not writable in this test" : null;
    }
}
