package io.edgestop.launcher;

import java.util.Optional;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;

/**
 * A command the cluster refused (wrong credentials, a missing ACL): one line naming the cause and
 * exit code 1, not a stack trace. Kafka's messages name the mechanism, topic or group, never a password.
 */
final class KafkaAccessDenied implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) throws Exception {
        Optional<Throwable> refusal = refusal(ex);
        if (refusal.isEmpty()) {
            throw ex;
        }
        Throwable r = refusal.get();
        String kind = r instanceof AuthenticationException ? "Kafka authentication failed" : "Kafka authorization failed";
        cl.getErr().println("edge-stop " + cl.getCommandName() + ": " + kind + " (" + r.getClass().getSimpleName()
                + "): " + r.getMessage());
        cl.getErr().flush();
        return 1;
    }

    static Optional<Throwable> refusal(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AuthenticationException || c instanceof AuthorizationException) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
