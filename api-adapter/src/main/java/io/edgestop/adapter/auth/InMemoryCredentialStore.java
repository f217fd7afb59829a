package io.edgestop.adapter.auth;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** An immutable credential store held in memory. */
public final class InMemoryCredentialStore implements CredentialStore {

    private final Map<String, Credential> byKeyId;

    public InMemoryCredentialStore(Collection<Credential> credentials) {
        Map<String, Credential> m = new LinkedHashMap<>();
        for (Credential c : credentials) {
            if (m.put(c.accessKeyId(), c) != null) {
                throw new IllegalArgumentException("duplicated AccessKeyId " + c.accessKeyId());
            }
        }
        this.byKeyId = Map.copyOf(m);
    }

    @Override
    public Optional<Credential> find(String accessKeyId) {
        return accessKeyId == null ? Optional.empty() : Optional.ofNullable(byKeyId.get(accessKeyId));
    }

    public int size() {
        return byKeyId.size();
    }

    @Override
    public String toString() {
        return "InMemoryCredentialStore[" + byKeyId.size() + " keys]";
    }
}
