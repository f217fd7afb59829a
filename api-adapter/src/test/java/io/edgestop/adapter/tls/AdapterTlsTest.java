package io.edgestop.adapter.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.adapter.AdapterConfig;
import io.edgestop.adapter.ApiAdapter;
import io.edgestop.adapter.TestSupport;

/**
 * HTTPS on the adapter's own listener (Kafka unreachable: only the TLS side matters here): a
 * keystore and PEM files, TLS 1.2+ only, plain HTTP refused on the TLS port, a renewed certificate
 * picked up without a restart, and clear errors for incomplete settings, none naming a password.
 */
class AdapterTlsTest {

    static final char[] PASSWORD = "keystore-pass-4711".toCharArray();

    static Map<String, String> config(Map<String, String> tls) {
        Map<String, String> m = new HashMap<>(tls);
        m.put("bootstrap.servers", "127.0.0.1:1");
        m.put("http.port", "0");
        return m;
    }

    static HttpResponse<String> get(SSLContext trust, URI uri) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The certificate the listener presents to a new connection. */
    static Certificate presented(int port) throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        try (SSLSocket s = (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.startHandshake();
            return s.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void servesHttpsFromAKeystoreAndPicksUpARenewedCertificate(@TempDir Path dir) throws Exception {
        TestCertificate first = TestCertificate.create("adapter-first");
        Path keystore = first.writePkcs12(dir.resolve("adapter.p12"), PASSWORD);
        try (ApiAdapter adapter = ApiAdapter.start(AdapterConfig.fromMap(config(Map.of(
                "tls.keystore.path", keystore.toString(), "tls.keystore.password", new String(PASSWORD),
                "tls.reload.interval.s", "1"))), TestSupport.credentials())) {
            URI base = adapter.baseUrl();
            assertEquals("https", base.getScheme());
            HttpResponse<String> health = get(first.clientContext(), base.resolve("/healthz"));
            assertEquals(200, health.statusCode());
            assertEquals("TLSv1.3", health.sslSession().orElseThrow().getProtocol());
            assertEquals(first.certificate(), presented(adapter.port()));

            // plain HTTP on the TLS port gets no HTTP answer
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI http = URI.create("http://127.0.0.1:" + adapter.port() + "/healthz");
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(http)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));

            TestCertificate renewed = TestCertificate.create("adapter-renewed");
            renewed.writePkcs12(keystore, PASSWORD);
            await("the renewed certificate is served").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> renewed.certificate().equals(presented(adapter.port())));
            assertEquals(200, get(renewed.clientContext(), base.resolve("/healthz")).statusCode());
        }
    }

    @Test
    void tls12IsTheOldestProtocolOnOffer(@TempDir Path dir) throws Exception {
        Path keystore = TestCertificate.create("adapter").writePkcs12(dir.resolve("adapter.p12"), PASSWORD);
        TlsSettings settings = TlsSettings.fromMap(Map.of("tls.keystore.path", keystore.toString(),
                "tls.keystore.password", new String(PASSWORD), "tls.reload.interval.s", "0")).orElseThrow();
        var factory = new ServerTls(settings).sslContextFactory();
        factory.start();
        try {
            // what the listener's SSL engines enable, whatever the JDK would allow
            assertEquals(Set.of("TLSv1.3", "TLSv1.2"), Set.of(factory.getSelectedProtocols()));
            assertArrayEquals(ServerTls.PROTOCOLS, factory.getIncludeProtocols());
        } finally {
            factory.stop();
        }
    }

    @Test
    void servesHttpsFromPemFilesWithAPlainOrAnEncryptedKey(@TempDir Path dir) throws Exception {
        TestCertificate cert = TestCertificate.create("adapter-pem");
        Path chain = cert.writeCertificatePem(dir.resolve("tls.crt"));
        for (Map<String, String> key : List.of(
                Map.of("tls.key.path", cert.writeKeyPem(dir.resolve("tls.key")).toString()),
                Map.of("tls.key.path", cert.writeEncryptedKeyPem(dir.resolve("tls-enc.key"), PASSWORD).toString(),
                        "tls.key.password", new String(PASSWORD)))) {
            Map<String, String> m = new HashMap<>(key);
            m.put("tls.certificate.path", chain.toString());
            try (ApiAdapter adapter = ApiAdapter.start(AdapterConfig.fromMap(config(m)), TestSupport.credentials())) {
                assertEquals(200, get(cert.clientContext(), adapter.baseUrl().resolve("/healthz")).statusCode());
                assertEquals(cert.certificate(), presented(adapter.port()));
            }
        }
    }

    @Test
    void incompleteOrWrongSettingsFailWithAClearMessageWithoutThePassword(@TempDir Path dir) throws Exception {
        TestCertificate cert = TestCertificate.create("adapter");
        String keystore = cert.writePkcs12(dir.resolve("adapter.p12"), PASSWORD).toString();
        String pem = cert.writeCertificatePem(dir.resolve("tls.crt")).toString();
        String encrypted = cert.writeEncryptedKeyPem(dir.resolve("tls.key"), PASSWORD).toString();
        Map<Map<String, String>, String> cases = Map.of(
                Map.of("tls.keystore.path", keystore), "tls.keystore.password is required",
                Map.of("tls.certificate.path", pem), "needs both tls.certificate.path and tls.key.path",
                Map.of("tls.keystore.path", keystore, "tls.keystore.password", "x", "tls.key.path", encrypted), "not both",
                Map.of("tls.keystore.path", dir.resolve("missing.p12").toString(), "tls.keystore.password", "x"),
                        "cannot read",
                Map.of("tls.certificate.path", pem, "tls.key.path", encrypted), "is encrypted: set tls.key.password",
                Map.of("tls.certificate.path", pem, "tls.key.path", encrypted, "tls.key.password", "wrong-one"),
                        "cannot decrypt");
        cases.forEach((settings, message) -> {
            Exception e = assertThrows(IllegalArgumentException.class,
                    () -> ApiAdapter.start(AdapterConfig.fromMap(config(settings)), TestSupport.credentials()).close());
            assertTrue(e.getMessage().contains(message), settings + " -> " + e.getMessage());
            assertFalse(e.getMessage().contains(new String(PASSWORD)) || e.getMessage().contains("wrong-one"),
                    e.getMessage());
        });
        AdapterConfig ok = AdapterConfig.fromMap(config(Map.of("tls.keystore.path", keystore,
                "tls.keystore.password", new String(PASSWORD))));
        assertFalse(ok.toString().contains(new String(PASSWORD)), ok.toString());
        assertTrue(Files.exists(Path.of(keystore)));
    }
}
