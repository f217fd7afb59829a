package io.edgestop.launcher;

import java.util.Optional;

import io.edgestop.kafka.KafkaRefusal;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;

/** A command the cluster refused (wrong credentials, a missing ACL): one line naming the cause and exit code 1, not a stack trace. */
final class KafkaAccessDenied implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) throws Exception {
        Optional<Throwable> refusal = KafkaRefusal.in(ex);
        if (refusal.isEmpty()) {
            throw ex;
        }
        cl.getErr().println("edge-stop " + cl.getCommandName() + ": " + KafkaRefusal.describe(refusal.get()));
        cl.getErr().flush();
        return 1;
    }
}
