package io.edgestop.adapter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.auth.SignatureVersion;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.FormatType;
import com.aliyuncs.http.HttpClientConfig;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.live.model.v20161101.StopEdgeTranscodeJobRequest;
import com.aliyuncs.live.model.v20161101.StopEdgeTranscodeJobResponse;
import com.aliyuncs.profile.DefaultProfile;

/** Alibaba's official Java SDK (sdk-core 4.7.3 + sdk-live 3.9.76) pointed at an adapter. */
public final class SdkCalls {

    private SdkCalls() {
    }

    public static DefaultAcsClient client(String keyId, String secret) {
        DefaultProfile profile = DefaultProfile.getProfile("cn-shanghai", keyId, secret);
        HttpClientConfig cfg = HttpClientConfig.getDefault();
        cfg.setProtocolType(ProtocolType.HTTP);
        cfg.setReadTimeoutMillis(30_000);
        profile.setHttpClientConfig(cfg);
        profile.setCloseTrace(true);
        return new DefaultAcsClient(profile);
    }

    /** A StopEdgeTranscodeJob request for host:port, signed with V1 (default) or V3 ({@code setSysSignatureVersion(V3)}). */
    public static StopEdgeTranscodeJobRequest request(String hostPort, boolean v3, String clusterId, String jobId) {
        StopEdgeTranscodeJobRequest r = new StopEdgeTranscodeJobRequest();
        r.setSysEndpoint(hostPort);
        r.setSysProtocol(ProtocolType.HTTP);
        if (v3) {
            r.setSysSignatureVersion(SignatureVersion.V3);
        }
        if (clusterId != null) {
            r.setClusterId(clusterId);
        }
        if (jobId != null) {
            r.setJobId(jobId);
        }
        return r;
    }

    public static StopEdgeTranscodeJobResponse stop(DefaultAcsClient client, String hostPort, boolean v3,
                                                    String clusterId, String jobId) throws ClientException {
        return client.getAcsResponse(request(hostPort, v3, clusterId, jobId));
    }

    /** Calls and returns the error code the SDK raised (ClientException/ServerException), or "OK". */
    public static String errorCode(DefaultAcsClient client, String hostPort, boolean v3, String clusterId, String jobId) {
        return errorCode(client, hostPort, v3, clusterId, jobId, FormatType.JSON);
    }

    /** The same with the accept format the SDK asks for ({@code Format} parameter): JSON or XML. */
    public static String errorCode(DefaultAcsClient client, String hostPort, boolean v3, String clusterId, String jobId,
                                   FormatType format) {
        StopEdgeTranscodeJobRequest r = request(hostPort, v3, clusterId, jobId);
        r.setSysAcceptFormat(format);
        try {
            client.getAcsResponse(r);
            return "OK";
        } catch (ClientException e) {
            return e.getErrCode();
        }
    }

    /**
     * A man in the middle that rewrites the query string of every request before forwarding it to
     * the adapter: what the SDK signed is no longer what arrives.
     */
    public static final class TamperingProxy implements AutoCloseable {
        private static final Set<String> HOP = Set.of("host", "content-length", "connection", "transfer-encoding",
                "expect", "upgrade", "keep-alive");
        private final Server server = new Server();
        private final ServerConnector connector = new ServerConnector(server);
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        public TamperingProxy(URI target, UnaryOperator<String> rewriteQuery) throws Exception {
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            server.setHandler(new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) throws Exception {
                    byte[] body = Content.Source.asByteArrayAsync(request, 1 << 20).get();
                    String q = request.getHttpURI().getQuery();
                    URI to = target.resolve("/" + (q == null ? "" : "?" + rewriteQuery.apply(q)));
                    HttpRequest.Builder b = HttpRequest.newBuilder(to)
                            .method(request.getMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                    request.getHeaders().forEach(f -> {
                        if (!HOP.contains(f.getLowerCaseName())) {
                            b.header(f.getName(), f.getValue());
                        }
                    });
                    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                    response.setStatus(r.statusCode());
                    r.headers().firstValue("content-type").ifPresent(ct -> response.getHeaders().put("Content-Type", ct));
                    response.write(true, ByteBuffer.wrap(r.body()), callback);
                    return true;
                }
            });
            server.start();
        }

        public String hostPort() {
            return "127.0.0.1:" + connector.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            server.stop();
        }
    }
}
