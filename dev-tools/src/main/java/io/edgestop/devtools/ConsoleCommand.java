package io.edgestop.devtools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.edgestop.devtools.console.Console;
import io.edgestop.devtools.console.ConsoleState;
import io.edgestop.launcher.Foreground;
import io.edgestop.launcher.KafkaOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code edge-stop console}: the operator console (a web page) against any cluster. */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Serve the operator console until SIGTERM: decisions per second, pending stops, redeliveries,",
            "timeouts, dead letters and every stop's story by RequestId, JobId or AccessKeyId, updated live.",
            "Reads the audit, stop-results, directive, job-status-reports and dead-letter topics from their beginning",
            "(read_committed, no consumer group) into memory, at most --max-stories stories.",
            "The page asks for the password in --password-file (HTTP Basic, any user name; or Authorization: Bearer)."})
final class ConsoleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--http-host", defaultValue = "127.0.0.1",
            description = "Bind address (default ${DEFAULT-VALUE}: this machine only).")
    String httpHost;

    @Option(names = "--http-port", defaultValue = "8090", description = "Port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int httpPort;

    @Option(names = "--password-file", paramLabel = "FILE", defaultValue = "${env:EDGE_STOP_CONSOLE_PASSWORD_FILE}",
            description = {"The console's password, its first line (default: $EDGE_STOP_CONSOLE_PASSWORD_FILE); required.",
                "A file that does not exist is created with a new random password, readable by its owner only."})
    Path passwordFile;

    @Option(names = "--max-stories", defaultValue = "" + ConsoleState.DEFAULT_MAX_STORIES,
            description = "Stories (requests) kept in memory; the oldest go first (default ${DEFAULT-VALUE}).")
    int maxStories;

    @Option(names = "--directive-deadline-ms", defaultValue = "30000",
            description = "The orchestrator's directive.deadline.ms, for a pending stop's deadline until its directive is read"
                + " (default ${DEFAULT-VALUE}, the orchestrator's default).")
    long directiveDeadlineMs;

    @Option(names = "--ready-file", description = "Written once the console serves, removed on shutdown.")
    Path readyFile;

    @Override
    public Integer call() throws Exception {
        if (passwordFile == null) {
            spec.commandLine().getErr().println("edge-stop console: a password is required: --password-file FILE"
                    + " (created with a new password if it does not exist)");
            return 2;
        }
        String password = Console.passwordFrom(passwordFile);
        Console console = Console.start(kafka.clientProperties(), kafka.topics(),
                new Console.Options(httpHost, httpPort, directiveDeadlineMs, maxStories), password);
        PrintWriter out = spec.commandLine().getOut();
        out.println("console on " + console.url() + " (password in " + passwordFile + ")");
        out.flush();
        Foreground.runUntilSignal(console, readyFile, "console");
        return 0;
    }
}
