package io.edgestop.adapter.auth;

import java.util.Optional;

/** Looks up access keys. Implementations must be thread-safe. */
public interface CredentialStore {

    /** Why an adapter does not start without credentials: there are no built-in ones outside {@code edge-stop dev}. */
    String NO_CREDENTIALS = "no credentials: set credentials.file, a JSON file with the access keys this adapter"
            + " accepts; there are no built-in credentials outside edge-stop dev";

    Optional<Credential> find(String accessKeyId);
}
