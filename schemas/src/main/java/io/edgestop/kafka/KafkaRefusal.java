package io.edgestop.kafka;

import java.util.Optional;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * The cluster refused a client: wrong credentials or a missing ACL. Retrying cannot help (Kafka
 * would fail the same way each time), so whoever meets one stops and says so. Kafka's messages
 * name the mechanism, topic or group, never a password.
 */
public final class KafkaRefusal {

    private KafkaRefusal() {
    }

    /** The refusal in {@code t}'s cause chain, if any. */
    public static Optional<Throwable> in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AuthenticationException || c instanceof AuthorizationException) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** One line for an operator: which kind of refusal, Kafka's exception and its message. */
    public static String describe(Throwable refusal) {
        String kind = refusal instanceof AuthenticationException ? "Kafka authentication failed" : "Kafka authorization failed";
        return kind + " (" + refusal.getClass().getSimpleName() + "): " + refusal.getMessage();
    }
}
