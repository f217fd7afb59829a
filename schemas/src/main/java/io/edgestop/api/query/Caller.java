package io.edgestop.api.query;

import java.time.Instant;

/**
 * Who reads: the caller the adapter verified, whom the account's owner checks the read's nonce, quota and
 * RAM policy against.
 *
 * @param accountId       the account, whose task answers
 * @param principal       the RAM principal the policy is evaluated for (the account's root or a RAM user)
 * @param sourceIp        the caller's address ({@code acs:SourceIp}); null when unknown
 * @param secureTransport whether the call came over HTTPS ({@code acs:SecureTransport})
 * @param accessKeyId     the access key that signed the call; with the account, the scope of its nonce
 * @param nonce           the signature's nonce, checked again by the account's owner, so that a read URL
 *                        replayed to another adapter is refused; null: not checked
 * @param signedAt        the signature's time, which the nonce is remembered from; null: now
 * @param arrivedAt       the call's arrival at the adapter, the time the read is answered as of (RAM
 *                        conditions, List's 180 days) whichever instance answers; null: now
 */
public record Caller(String accountId, String principal, String sourceIp, boolean secureTransport, String accessKeyId,
                     String nonce, Instant signedAt, Instant arrivedAt) {

    public Caller {
        Fields.required(accountId, "accountId");
        Fields.required(principal, "principal");
        if (nonce != null) {
            Fields.required(accessKeyId, "accessKeyId");
        }
    }
}
