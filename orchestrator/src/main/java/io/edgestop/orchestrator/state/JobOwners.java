package io.edgestop.orchestrator.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which jobs each account has, for ListEdgeTranscodeJob: accountId -> job keys, in memory, kept by
 * {@code JobStateUpdater} as it applies job-state. Only an index: the jobs themselves are read from
 * the job-states global store, and a key whose job is gone or belongs to another account by then is
 * skipped there. Versioned stores cannot be scanned, hence this index.
 */
public final class JobOwners {

    private final Map<String, Set<String>> byAccount = new ConcurrentHashMap<>();
    private final boolean kept;
    private volatile boolean complete;

    private JobOwners(boolean kept) {
        this.kept = kept;
    }

    /** An index that is kept (an instance serving job queries: about 150 bytes of heap per job). */
    public static JobOwners kept() {
        return new JobOwners(true);
    }

    /** No index: an instance without the query endpoint. */
    public static JobOwners off() {
        return new JobOwners(false);
    }

    public void add(String accountId, String jobKey) {
        if (!kept) {
            return;
        }
        byAccount.computeIfAbsent(accountId, a -> ConcurrentHashMap.newKeySet()).add(jobKey);
    }

    public void remove(String accountId, String jobKey) {
        Set<String> keys = byAccount.get(accountId);
        if (keys != null) {
            keys.remove(jobKey);
        }
    }

    /** The account's job keys, sorted. */
    public List<String> of(String accountId) {
        Set<String> keys = byAccount.get(accountId);
        if (keys == null) {
            return List.of();
        }
        List<String> sorted = new ArrayList<>(keys);
        Collections.sort(sorted);
        return sorted;
    }

    /** True once every job of the global store is indexed (see {@code JobOwnersLoader}). */
    public boolean complete() {
        return complete;
    }

    public void markComplete() {
        complete = true;
    }
}
