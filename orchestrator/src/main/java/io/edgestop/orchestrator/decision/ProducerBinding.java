package io.edgestop.orchestrator.decision;

import java.util.List;
import java.util.Map;

import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.StopCommand;

/**
 * Step 0a: a command an async producer wrote (on its own topic, which only its principal may write) acts only
 * as the account allows that producer: the account's settings as of the command's time name the producer and
 * the RAM principals it may act as ({@code asyncProducers}; the root only when listed). What only the adapter
 * can know is not taken from such a command: it has no source IP, no secure transport and no verified
 * AccessKeyId, so RAM conditions on them fail closed and its nonces are apart from every access key's.
 * Everything here comes from input records, so a replay decides alike.
 */
public final class ProducerBinding {

    private ProducerBinding() {
    }

    /** The command as the decider trusts it: unchanged from the adapter ({@code producer} null), else without the adapter's facts. */
    public static StopCommand trusted(StopCommand c, String producer) {
        if (producer == null) {
            return c;
        }
        return StopCommand.newBuilder(c).setSourceIp(null).setSecureTransport(false).setAccessKeyId(null).build();
    }

    /** Whether the account's settings let {@code producer} act as {@code principal}, a principal of that account. */
    public static boolean allowed(AccountSettings settings, String producer, String accountId, String principal) {
        if (settings == null || principal == null || !principal.startsWith("acs:ram::" + accountId + ":")) {
            return false;
        }
        Map<String, List<String>> producers = settings.getAsyncProducers();
        List<String> principals = producers == null ? null : producers.get(producer);
        return principals != null && principals.contains(principal);
    }
}
