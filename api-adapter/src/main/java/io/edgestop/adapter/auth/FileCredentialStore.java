package io.edgestop.adapter.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Credentials read once from a JSON file:
 * <pre>{"credentials":[{"accessKeyId":"..","accessKeySecret":"..","accountId":"..","principal":".."}]}</pre>
 * {@code principal} is optional (defaults to the account root). Keep the file readable by the
 * adapter only; its secrets are never logged.
 */
public final class FileCredentialStore implements CredentialStore {

    private final Path file;
    private final InMemoryCredentialStore delegate;

    private FileCredentialStore(Path file, InMemoryCredentialStore delegate) {
        this.file = file;
        this.delegate = delegate;
    }

    public static FileCredentialStore load(Path jsonFile) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(jsonFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read credentials file " + jsonFile, e);
        }
        JsonNode list = root == null ? null : root.get("credentials");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("credentials file " + jsonFile + " must hold {\"credentials\":[...]}");
        }
        List<Credential> credentials = new ArrayList<>();
        int i = 0;
        for (JsonNode n : list) {
            String id = text(n, "accessKeyId");
            String secret = text(n, "accessKeySecret");
            String account = text(n, "accountId");
            if (id == null || secret == null || account == null) {
                throw new IllegalArgumentException("credentials file " + jsonFile + ": entry " + i
                        + " needs accessKeyId, accessKeySecret and accountId");
            }
            credentials.add(new Credential(id, secret, account, text(n, "principal")));
            i++;
        }
        if (credentials.isEmpty()) {
            throw new IllegalArgumentException("credentials file " + jsonFile + " holds no credentials");
        }
        return new FileCredentialStore(jsonFile, new InMemoryCredentialStore(credentials));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public Optional<Credential> find(String accessKeyId) {
        return delegate.find(accessKeyId);
    }

    @Override
    public String toString() {
        return "FileCredentialStore[" + file + ", " + delegate.size() + " keys]";
    }
}
