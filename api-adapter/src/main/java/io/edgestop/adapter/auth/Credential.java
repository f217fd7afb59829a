package io.edgestop.adapter.auth;

import java.util.Objects;

/**
 * One access key: its id and secret, the account (UID) it belongs to and the principal (the account
 * root {@code acs:ram::<accountId>:root} or a RAM user/role ARN) that calls with it.
 * {@link #toString()} never prints the secret.
 */
public record Credential(String accessKeyId, String accessKeySecret, String accountId, String principal) {

    public Credential {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(accessKeySecret, "accessKeySecret");
        Objects.requireNonNull(accountId, "accountId");
        if (accessKeyId.isEmpty() || accessKeySecret.isEmpty() || accountId.isEmpty()) {
            throw new IllegalArgumentException("accessKeyId, accessKeySecret and accountId must not be empty");
        }
        if (principal == null || principal.isEmpty()) {
            principal = "acs:ram::" + accountId + ":root";
        }
    }

    @Override
    public String toString() {
        return "Credential[accessKeyId=" + accessKeyId + ", accessKeySecret=****, accountId=" + accountId
                + ", principal=" + principal + "]";
    }
}
