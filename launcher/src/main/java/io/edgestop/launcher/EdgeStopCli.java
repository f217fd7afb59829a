package io.edgestop.launcher;

import java.io.PrintWriter;
import java.util.ServiceLoader;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code edge-stop}: the one entry point of the operator CLI. Run {@code edge-stop help} or
 * {@code edge-stop <command> --help}.
 */
@Command(name = "edge-stop", mixinStandardHelpOptions = true, version = "edge-stop 0.1.0-SNAPSHOT",
        description = "StopEdgeTranscodeJob on Kafka: dev stack, components and operator tools.",
        subcommands = {
            OrchestratorCommand.class,
            AdapterCommand.class,
            EdgeWorkerCommand.class,
            SeedCommand.class,
            TopicsCommand.class,
            CallCommand.class,
            TailCommand.class
        })
public final class EdgeStopCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        JvmDefaults.apply();
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (for tests and embedding). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new EdgeStopCli());
        // before the settings below: picocli gives them to the subcommands there are when they are set
        boolean devTools = false;
        for (CommandProvider provider : ServiceLoader.load(CommandProvider.class)) {
            provider.commands().forEach(cl::addSubcommand);
            devTools = true;
        }
        if (!devTools) {
            cl.getCommandSpec().usageMessage().footer("",
                    "The development tools (dev, broker, console, audit) are not on this classpath: they are in module dev-tools",
                    "(./edge-stop in a checkout runs them; an image with them: docker build --target dev-tools).");
        }
        cl.addSubcommand(new CommandLine.HelpCommand());
        cl.setExecutionExceptionHandler(new KafkaAccessDenied());
        cl.setDefaultValueProvider(EdgeStopCli::settingDefault);
        CommandLine.IParameterExceptionHandler usage = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((e, args) -> {
            if (e.getCause() instanceof Settings.SettingsException) {
                // a refused setting: its message names key and source; the whole usage would bury it
                e.getCommandLine().getErr().println(e.getMessage());
                e.getCommandLine().getErr().flush();
                return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
            }
            return usage.handleParseException(e, args);
        });
        return cl;
    }

    /** A named flag that sets a key ({@code descriptionKey}) defaults to the key's default in the command's scope. */
    private static String settingDefault(CommandLine.Model.ArgSpec arg) {
        if (arg instanceof CommandLine.Model.OptionSpec o && KafkaOptions.settingKey(o) != null && o.command() != null) {
            return Settings.forCommand(o.command()).defaults().get(KafkaOptions.settingKey(o));
        }
        return null;
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
