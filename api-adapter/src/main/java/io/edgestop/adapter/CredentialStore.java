package io.edgestop.adapter;

import java.util.Optional;

/** Looks up access keys. Implementations must be thread-safe. */
public interface CredentialStore {

    Optional<Credential> find(String accessKeyId);
}
