package io.edgestop.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.edgestop.adapter.AdapterConfig;
import io.edgestop.adapter.ApiAdapter;
import io.edgestop.adapter.auth.Credential;
import io.edgestop.adapter.auth.CredentialStore;
import io.edgestop.adapter.auth.FileCredentialStore;
import io.edgestop.adapter.auth.InMemoryCredentialStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code edge-stop adapter}: the HTTP API adapter against any cluster. */
@Command(name = "adapter", mixinStandardHelpOptions = true,
        description = {"Run the Alibaba-compatible HTTP API until SIGTERM.",
            "Credentials are required: --credentials-file FILE (JSON), or the credentials of a seed file (--seed FILE|demo;"
                + " demo: the demo seed, whose keys are public).",
            "HTTPS: -D tls.keystore.path=FILE (PKCS12/JKS) or -D tls.certificate.path=FILE -D tls.key.path=FILE (PEM);"
                + " passwords through EDGESTOP_ADAPTER_TLS_KEYSTORE_PASSWORD / EDGESTOP_ADAPTER_TLS_KEY_PASSWORD.",
            "Settings (docs/settings.md): defaults < --config FILE < --kafka-config FILE < EDGESTOP_ADAPTER_<KEY> < flags."})
final class AdapterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions settings;

    @Option(names = "--http-host", descriptionKey = "http.host",
            description = "Bind address (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 for every interface).")
    String httpHost;

    @Option(names = "--http-port", descriptionKey = "http.port", description = "Port (default ${DEFAULT-VALUE}; 0 = any free port).")
    Integer httpPort;

    @Option(names = "--admin-port", descriptionKey = "admin.port",
            description = "Port of /metrics, /healthz and /readyz, never served on the API's port (default ${DEFAULT-VALUE}; -1 = off, 0 = any free port).")
    Integer adminPort;

    @Option(names = "--instance-id", descriptionKey = "instance.id",
            description = "Unique id of this instance, its reply address (default: adapter-<random>).")
    String instanceId;

    @Option(names = "--reply-timeout-ms", descriptionKey = "reply.timeout.ms",
            description = "How long a request waits for its decision (default ${DEFAULT-VALUE}).")
    Long replyTimeoutMs;

    @Option(names = "--credentials-file", paramLabel = "FILE", descriptionKey = "credentials.file",
            description = "JSON file with the accepted access keys: {\"credentials\":[{\"accessKeyId\",\"accessKeySecret\",\"accountId\",\"principal\"}]}.")
    Path credentialsFile;

    @Option(names = "--seed", paramLabel = "FILE|demo", description = "Take the credentials of this seed file (demo: the demo seed).")
    String seed;

    @Option(names = "--ready-file", description = "Written once the adapter serves requests, removed on shutdown (for health checks).")
    Path readyFile;

    @Option(names = "--print-settings", description = "Print every setting in force with its source (secrets hidden) and exit.")
    boolean printSettings;

    @Override
    public Integer call() throws Exception {
        AdapterConfig config = settings.view(AdapterConfig::fromMap);
        if (config.credentialsFile() != null && seed != null) {
            return refuse("give either credentials.file (--credentials-file) or --seed, not both");
        }
        if (printSettings) {
            settings.settings().print(spec.commandLine().getOut());
            return 0;
        }
        CredentialStore store;
        if (config.credentialsFile() != null) {
            store = FileCredentialStore.load(config.credentialsFile());
        } else if (seed != null) {
            List<Credential> credentials = Seed.named(seed).adapterCredentials();
            if (credentials.isEmpty()) {
                return refuse("seed " + seed + " has no credentials");
            }
            store = new InMemoryCredentialStore(credentials);
        } else {
            return refuse(CredentialStore.NO_CREDENTIALS + " (--credentials-file FILE, or --seed FILE|demo)");
        }
        ApiAdapter adapter = ApiAdapter.start(config, store);
        spec.commandLine().getOut().println("adapter listening on " + adapter.baseUrl()
                + (adapter.adminUrl() == null ? "" : ", admin endpoint " + adapter.adminUrl()));
        spec.commandLine().getOut().flush();
        Foreground.runUntilSignal(adapter, readyFile, "adapter");
        return 0;
    }

    private int refuse(String why) {
        spec.commandLine().getErr().println("edge-stop adapter: " + why);
        spec.commandLine().getErr().flush();
        return 2;
    }
}
