package io.edgestop.devtools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.edgestop.devtools.audit.Anchors;
import io.edgestop.devtools.audit.AuditFormat;
import io.edgestop.devtools.audit.AuditReader;
import io.edgestop.devtools.audit.AuditVerify;
import io.edgestop.devtools.audit.AuditWhatIf;
import io.edgestop.devtools.audit.Window;
import io.edgestop.launcher.KafkaOptions;
import io.edgestop.launcher.Seed;
import io.edgestop.launcher.SeedLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code edge-stop audit what-if|verify}: the recorded decisions re-decided by the orchestrator's own code, in process. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Re-decide the recorded inputs with the orchestrator's own topology, in process (nothing is written to Kafka).",
            "Pass the orchestrator's deciding settings as it runs with them: -D (e.g. -D quota.default.per.minute=6000), --config FILE",
            "or EDGESTOP_AUDIT_<KEY> (docs/settings.md)."},
        subcommands = {AuditCommand.WhatIf.class, AuditCommand.Verify.class})
final class AuditCommand implements Runnable {

    /** Exit code of {@code verify} when a recorded decision differs from what the current code decides. */
    static final int DIFFERENCES = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options both subcommands share. */
    static final class Common {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--from", paramLabel = "TIME", description = "First event time to look at (ISO-8601, e.g. 2026-12-01T13:00:00Z).")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "Last event time to look at (ISO-8601).")
        String to;

        @Option(names = "--progress", defaultValue = "auto", paramLabel = "auto|on|off",
                description = "Progress bar on stderr: auto (when run in a console), on, off (default: ${DEFAULT-VALUE}).")
        String progress;

        Window window(CommandSpec spec) {
            try {
                return new Window(time("--from", from), time("--to", to));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        /** The orchestrator's settings for the replay (the settings rule's, scope audit) without Kafka client settings (the replay has no client). */
        Map<String, String> orchestratorSettings() {
            Map<String, String> m = new LinkedHashMap<>();
            kafka.baseSettings().forEach((k, v) -> {
                if (!k.startsWith("kafka.")) {
                    m.put(k, v);
                }
            });
            return m;
        }

        PrintWriter progressOut(CommandSpec spec) {
            boolean on = switch (progress) {
                case "on" -> true;
                case "off" -> false;
                case "auto" -> System.console() != null;
                default -> throw new CommandLine.ParameterException(spec.commandLine(), "--progress must be auto, on or off: " + progress);
            };
            return on ? spec.commandLine().getErr() : null;
        }

        private static Instant time(String option, String value) {
            if (value == null) {
                return null;
            }
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(option + " " + value + " is not an ISO-8601 time such as 2026-12-01T13:00:00Z");
            }
        }
    }

    private static int missing(CommandSpec spec, AuditReader.MissingTopic e) {
        spec.commandLine().getErr().println("edge-stop audit " + spec.name() + ": " + e.getMessage());
        spec.commandLine().getErr().flush();
        return 1;
    }

    @Command(name = "what-if", mixinStandardHelpOptions = true,
            description = {"The recorded commands re-decided with other RAM policies and/or account settings, from --from on:",
                "prints each decision that would change (CHANGE <time> request= job= principal= before= after= statement= was=),",
                "then a summary. FILE is a seed file (docs/getting-started.md, \"The seed file\"): --policies replaces the policies of",
                "every account it names, --settings the settings of the accounts in its accounts section."})
    static final class WhatIf implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--policies", paramLabel = "FILE", description = "Seed file with the RAM policies to try.")
        Path policies;

        @Option(names = "--settings", paramLabel = "FILE", description = "Seed file with the account settings to try.")
        Path settings;

        @Override
        public Integer call() throws Exception {
            if (policies == null && settings == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give --policies FILE and/or --settings FILE");
            }
            AuditWhatIf.Substitution substitution;
            try {
                substitution = new AuditWhatIf.Substitution(
                        policies == null ? Map.of() : SeedLoader.policiesByAccount(Seed.load(policies)),
                        settings == null ? Map.of() : SeedLoader.settingsByAccount(Seed.load(settings)));
            } catch (IOException | IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (substitution.policies().isEmpty() && substitution.settings().isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "the files name no account: nothing to try");
            }
            Window window = common.window(spec);
            AuditWhatIf.Report report;
            try {
                report = AuditWhatIf.run(new AuditWhatIf.Options(common.kafka.clientProperties(),
                        common.kafka.topics(), common.orchestratorSettings(), window, substitution, common.progressOut(spec)));
            } catch (AuditReader.MissingTopic e) {
                return missing(spec, e);
            }
            PrintWriter out = spec.commandLine().getOut();
            report.changes().forEach(c -> out.println(AuditFormat.change(c)));
            AuditFormat.whatIfSummary(report, window).forEach(out::println);
            out.flush();
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Re-decides the recorded inputs and compares every audit record, field by field, with the recorded one.",
                "Prints each difference (DIFFERENCE <auditId> ... with both records as JSON) and a summary; exit code 0 when",
                "there is none, " + DIFFERENCES + " when there is. What the retained inputs cannot reproduce (retention, compaction)",
                "is counted as unverifiable, not as a difference."})
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--checkpoint-key", paramLabel = "FILE",
                description = "The deployment's published checkpoint public key(s), PEM (repeatable, or several PUBLIC KEY blocks in one"
                        + " file: old and current keys after a rotation); every checkpoint's signature is checked under the key it names.")
        List<Path> checkpointKeys = new java.util.ArrayList<>();

        @Option(names = "--from-checkpoint", paramLabel = "FILE|CHAIN:POSITION",
                description = "Start each chain from a checkpoint you trust (repeatable): a file --save-checkpoints wrote, or the"
                        + " checkpoint of chain CHAIN at POSITION on the checkpoint topic. Records before it may be gone (retention);"
                        + " every record and checkpoint after it must chain to it.")
        List<String> fromCheckpoints = new java.util.ArrayList<>();

        @Option(names = "--save-checkpoints", paramLabel = "FILE",
                description = "When the chains hold, write the last verified checkpoint of each chain to FILE (replaced), for the"
                        + " next run's --from-checkpoint.")
        Path saveCheckpoints;

        @Option(names = "--list-unverifiable", description = "Print each unverifiable record (UNVERIFIABLE <auditId> <why>), not only their count.")
        boolean listUnverifiable;

        @Override
        public Integer call() {
            Window window = common.window(spec);
            AuditVerify.Report report;
            try {
                List<java.security.PublicKey> keys = new java.util.ArrayList<>();
                try {
                    checkpointKeys.forEach(f -> keys.addAll(io.edgestop.orchestrator.topology.CheckpointKey.readPublic(f)));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--checkpoint-key: " + e.getMessage());
                }
                Anchors.Given from;
                try {
                    from = Anchors.parse(fromCheckpoints);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--from-checkpoint: " + e.getMessage());
                }
                try {
                    report = AuditVerify.run(new AuditVerify.Options(common.kafka.clientProperties(),
                            common.kafka.topics(), common.orchestratorSettings(), window, common.progressOut(spec), keys, from));
                } catch (Anchors.NotTrusted e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--from-checkpoint: " + e.getMessage());
                }
            } catch (AuditReader.MissingTopic e) {
                return missing(spec, e);
            }
            PrintWriter out = spec.commandLine().getOut();
            report.chains().breaks().forEach(b -> out.println(AuditFormat.chainBreak(b)));
            report.differences().forEach(d -> AuditFormat.difference(d).forEach(out::println));
            if (listUnverifiable) {
                report.unverifiable().forEach(u -> out.println(AuditFormat.unverifiable(u)));
            }
            AuditFormat.verifySummary(report, window).forEach(out::println);
            out.flush();
            if (saveCheckpoints != null) {
                if (!report.chains().breaks().isEmpty()) {
                    spec.commandLine().getErr().println("checkpoints not saved to " + saveCheckpoints + ": the chains do not hold");
                } else {
                    try {
                        Anchors.write(saveCheckpoints, report.chains().confirmed().values().stream()
                                .map(io.edgestop.devtools.audit.ChainCheck.Checkpoint::value).toList(), Instant.now());
                    } catch (IOException e) {
                        spec.commandLine().getErr().println("cannot save the checkpoints to " + saveCheckpoints + ": " + e.getMessage());
                        spec.commandLine().getErr().flush();
                        return 1;
                    }
                    out.println("saved: the last verified checkpoint of " + report.chains().confirmed().size() + " chains to "
                            + saveCheckpoints);
                    out.flush();
                }
                spec.commandLine().getErr().flush();
            }
            return report.ok() ? 0 : DIFFERENCES;
        }
    }
}
