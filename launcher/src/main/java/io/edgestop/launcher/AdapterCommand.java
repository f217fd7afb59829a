package io.edgestop.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import io.edgestop.adapter.ApiAdapter;
import io.edgestop.adapter.AdapterConfig;
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
            "Credentials come from the seed file (--seed, default: the demo seed) or from -D credentials.file=FILE."})
final class AdapterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--http-host", defaultValue = "0.0.0.0", description = "Bind address (default ${DEFAULT-VALUE}).")
    String httpHost;

    @Option(names = "--http-port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--seed", paramLabel = "FILE", description = "Take the credentials of this seed file (default: the demo seed).")
    Path seed;

    @Option(names = "--ready-file", description = "Written once the adapter serves requests, removed on shutdown (for health checks).")
    Path readyFile;

    @Override
    public Integer call() throws Exception {
        Map<String, String> m = kafka.baseSettings();
        m.putIfAbsent("http.host", httpHost);
        m.putIfAbsent("http.port", Integer.toString(httpPort));
        AdapterConfig config = AdapterConfig.fromMap(m);
        CredentialStore store = config.credentialsFile() != null ? FileCredentialStore.load(config.credentialsFile())
                : new InMemoryCredentialStore(DevStack.credentials(Seed.loadOrDemo(seed)));
        ApiAdapter adapter = ApiAdapter.start(config, store);
        spec.commandLine().getOut().println("adapter listening on " + adapter.baseUrl());
        spec.commandLine().getOut().flush();
        Foreground.runUntilSignal(adapter, readyFile, "adapter");
        return 0;
    }
}
