package io.edgestop.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.edgestop.adapter.AdapterConfig;
import io.edgestop.adapter.AdapterMain;
import io.edgestop.adapter.ApiAdapter;
import io.edgestop.adapter.Credential;
import io.edgestop.adapter.CredentialStore;
import io.edgestop.adapter.FileCredentialStore;
import io.edgestop.adapter.InMemoryCredentialStore;
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
            "Other EDGESTOP_ADAPTER_<KEY> variables set the keys no flag sets."})
final class AdapterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--http-host", defaultValue = AdapterConfig.DEFAULT_HTTP_HOST,
            description = "Bind address (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 for every interface).")
    String httpHost;

    @Option(names = "--http-port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--credentials-file", paramLabel = "FILE",
            description = "JSON file with the accepted access keys: {\"credentials\":[{\"accessKeyId\",\"accessKeySecret\",\"accountId\",\"principal\"}]}.")
    Path credentialsFile;

    @Option(names = "--seed", paramLabel = "FILE|demo", description = "Take the credentials of this seed file (demo: the demo seed).")
    String seed;

    @Option(names = "--ready-file", description = "Written once the adapter serves requests, removed on shutdown (for health checks).")
    Path readyFile;

    @Override
    public Integer call() throws Exception {
        Map<String, String> m = kafka.baseSettings();
        m.putIfAbsent("http.host", httpHost);
        m.putIfAbsent("http.port", Integer.toString(httpPort));
        if (credentialsFile != null) {
            m.put("credentials.file", credentialsFile.toString());
        }
        AdapterMain.fromEnvironment(System.getenv()).forEach(m::putIfAbsent);
        AdapterConfig config = AdapterConfig.fromMap(m);
        CredentialStore store;
        if (config.credentialsFile() != null && seed != null) {
            return refuse("give either credentials.file (--credentials-file) or --seed, not both");
        } else if (config.credentialsFile() != null) {
            store = FileCredentialStore.load(config.credentialsFile());
        } else if (seed != null) {
            List<Credential> credentials = DevStack.credentials(Seed.named(seed));
            if (credentials.isEmpty()) {
                return refuse("seed " + seed + " has no credentials");
            }
            store = new InMemoryCredentialStore(credentials);
        } else {
            return refuse(CredentialStore.NO_CREDENTIALS + " (--credentials-file FILE, or --seed FILE|demo)");
        }
        ApiAdapter adapter = ApiAdapter.start(config, store);
        spec.commandLine().getOut().println("adapter listening on " + adapter.baseUrl());
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
