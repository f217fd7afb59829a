package io.edgestop.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.edgestop.adapter.client.StopJobClient;
import io.edgestop.api.Api;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code edge-stop call}: sign and send one StopEdgeTranscodeJob (or, with --get, GetEdgeTranscodeJob) call. */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = {"Sign and send a StopEdgeTranscodeJob call (--get: GetEdgeTranscodeJob); prints the JSON response.",
            "The AccessKeySecret comes from --access-key-secret-file or $" + CallCommand.SECRET_ENV + ", never from argv.",
            "Exit code 0 for HTTP 200, 1 otherwise."})
public final class CallCommand implements Callable<Integer> {

    public static final String SECRET_ENV = "EDGE_STOP_ACCESS_KEY_SECRET";

    @Spec
    CommandSpec spec;

    @Option(names = "--endpoint", defaultValue = "${env:EDGE_STOP_ENDPOINT:-http://127.0.0.1:8080}",
            description = "Base URL of the API (default: $EDGE_STOP_ENDPOINT or ${DEFAULT-VALUE}).")
    URI endpoint;

    @Option(names = "--access-key-id", required = true)
    String accessKeyId;

    @Option(names = "--access-key-secret-file", paramLabel = "FILE",
            description = "File whose first line is the AccessKeySecret (default: $" + SECRET_ENV + ").")
    Path accessKeySecretFile;

    /** Refused: a secret in argv is visible to every user of the machine (ps, /proc) and stays in shell history. */
    @Option(names = "--access-key-secret", hidden = true)
    String accessKeySecretInArgv;

    @Option(names = "--cluster-id", required = true)
    String clusterId;

    @Option(names = "--job-id", required = true)
    String jobId;

    @Option(names = "--v3", description = "Sign with ACS3-HMAC-SHA256 (signature V3) instead of V1.")
    boolean v3;

    @Option(names = "--get", description = "Ask for the job's state (GetEdgeTranscodeJob, signature V1) instead of stopping it.")
    boolean get;

    @Option(names = "--print-url", description = "Only print a signed V1 URL (for curl), do not send.")
    boolean printUrl;

    @Override
    public Integer call() throws Exception {
        if (accessKeySecretInArgv != null) {
            throw new ParameterException(spec.commandLine(), "--access-key-secret is no longer accepted: a secret on the"
                    + " command line is visible to every user of this machine. Give it with --access-key-secret-file FILE"
                    + " or the environment variable " + SECRET_ENV + ".");
        }
        StopJobClient client = new StopJobClient(endpoint, accessKeyId, secret(System.getenv(SECRET_ENV)));
        if (printUrl) {
            spec.commandLine().getOut().println(get ? client.signedV1Url(Api.GET_ACTION, clusterId, jobId)
                    : client.signedV1Url(clusterId, jobId));
            return 0;
        }
        if (get && v3) {
            spec.commandLine().getErr().println("edge-stop call: --get signs with V1 only; drop --v3");
            return 2;
        }
        StopJobClient.HttpResult r = get ? client.getV1(clusterId, jobId)
                : v3 ? client.stopV3(clusterId, jobId) : client.stopV1(clusterId, jobId);
        spec.commandLine().getOut().println(r.body());
        spec.commandLine().getOut().flush();
        if (r.status() != 200) {
            spec.commandLine().getErr().println("HTTP " + r.status());
            return 1;
        }
        return 0;
    }

    /** The secret from {@code --access-key-secret-file}, else from the environment's {@code envValue}. */
    String secret(String envValue) throws IOException {
        String secret;
        if (accessKeySecretFile != null) {
            List<String> lines = Files.readAllLines(accessKeySecretFile, StandardCharsets.UTF_8);
            secret = lines.isEmpty() ? "" : lines.get(0).strip();
            if (secret.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--access-key-secret-file " + accessKeySecretFile
                        + ": the first line is empty; it must hold the AccessKeySecret.");
            }
            return secret;
        }
        if (envValue == null || envValue.isBlank()) {
            throw new ParameterException(spec.commandLine(), "No AccessKeySecret: give it with --access-key-secret-file FILE"
                    + " or the environment variable " + SECRET_ENV + " (never on the command line).");
        }
        return envValue.strip();
    }
}
