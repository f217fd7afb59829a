package io.edgestop.adapter;

import java.io.IOException;

import javax.net.ssl.X509TrustManager;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.HttpClientConfig;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.http.clients.ApacheHttpClient;
import com.aliyuncs.live.model.v20161101.GetEdgeTranscodeJobRequest;
import com.aliyuncs.live.model.v20161101.GetEdgeTranscodeJobResponse;
import com.aliyuncs.live.model.v20161101.StopEdgeTranscodeJobRequest;
import com.aliyuncs.live.model.v20161101.StopEdgeTranscodeJobResponse;
import com.aliyuncs.profile.DefaultProfile;

import io.edgestop.adapter.tls.TestCertificate;

/**
 * Alibaba's official Java SDK over HTTPS to an adapter with a test certificate, which it trusts
 * (besides the JDK's CAs) with host name verification on. sdk-core's Apache transport is one per
 * JVM, built with the settings of the first SDK client that needs it (other tests' plain HTTP
 * clients) and kept until closed: it is closed when this client is made and when it is closed,
 * so that the trust managers take effect and later clients get their own settings again. Use one
 * at a time.
 */
final class SdkOverHttps implements AutoCloseable {

    private final DefaultAcsClient client;

    SdkOverHttps(String accessKeyId, String accessKeySecret, TestCertificate trusted) throws IOException {
        ApacheHttpClient.getInstance().close();
        DefaultProfile profile = DefaultProfile.getProfile("cn-shanghai", accessKeyId, accessKeySecret);
        HttpClientConfig cfg = HttpClientConfig.getDefault();
        cfg.setProtocolType(ProtocolType.HTTPS);
        cfg.setReadTimeoutMillis(30_000);
        cfg.setX509TrustManagers(new X509TrustManager[] {(X509TrustManager) trusted.trustManagers().getTrustManagers()[0]});
        profile.setHttpClientConfig(cfg);
        profile.setCloseTrace(true);
        client = new DefaultAcsClient(profile);
    }

    /** Stops a job through {@code localhost:port} (the certificate's name) over HTTPS, signed V1 or V3. */
    StopEdgeTranscodeJobResponse stop(int port, boolean v3, String clusterId, String jobId) throws ClientException {
        StopEdgeTranscodeJobRequest request = SdkCalls.request("localhost:" + port, v3, clusterId, jobId);
        request.setSysProtocol(ProtocolType.HTTPS);
        return client.getAcsResponse(request);
    }

    /** The SDK's error code for the call, or "OK". */
    String errorCode(int port, boolean v3, String clusterId, String jobId) {
        try {
            stop(port, v3, clusterId, jobId);
            return "OK";
        } catch (ClientException e) {
            return e.getErrCode();
        }
    }

    /** GetEdgeTranscodeJob through {@code localhost:port} over HTTPS, signed V1. */
    GetEdgeTranscodeJobResponse get(int port, String clusterId, String jobId) throws ClientException {
        GetEdgeTranscodeJobRequest request = new GetEdgeTranscodeJobRequest();
        request.setSysEndpoint("localhost:" + port);
        request.setSysProtocol(ProtocolType.HTTPS);
        request.setClusterId(clusterId);
        request.setJobId(jobId);
        return client.getAcsResponse(request);
    }

    /** The SDK's error code for a GetEdgeTranscodeJob, or "OK". */
    String getErrorCode(int port, String clusterId, String jobId) {
        try {
            get(port, clusterId, jobId);
            return "OK";
        } catch (ClientException e) {
            return e.getErrCode();
        }
    }

    @Override
    public void close() throws IOException {
        client.shutdown();
        ApacheHttpClient.getInstance().close();
    }
}
