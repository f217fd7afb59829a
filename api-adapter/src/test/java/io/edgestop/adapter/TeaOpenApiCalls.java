package io.edgestop.adapter;

import java.util.Map;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;

/**
 * Alibaba's Java Darabonba runtime (com.aliyun:tea-openapi) calling StopEdgeTranscodeJob the way
 * the docs say to call an action its generated client lacks: {@code callApi} with style RPC.
 */
final class TeaOpenApiCalls {

    private TeaOpenApiCalls() {
    }

    /** Makes the call and returns {@code OK <JobId>} or the code of the TeaException the runtime raised. */
    static String outcome(OpenApiCase c) {
        try {
            Config config = new Config().setAccessKeyId(c.accessKeyId()).setAccessKeySecret(c.accessKeySecret())
                    .setEndpoint(c.endpoint()).setProtocol("HTTP").setRegionId("cn-shanghai");
            if ("v2".equals(c.signature())) {
                config.setSignatureAlgorithm("v2");
            }
            boolean xml = "XML".equals(c.format());
            Params params = new Params()
                    .setAction(c.action() == null ? "StopEdgeTranscodeJob" : c.action())
                    .setVersion(c.version() == null ? "2016-11-01" : c.version())
                    .setProtocol("HTTP").setPathname("/").setMethod(c.method()).setAuthType("AK").setStyle("RPC")
                    // the runtime parses only JSON bodies itself: an XML answer is read as a string
                    .setBodyType(xml ? "string" : "json")
                    .setReqBodyType(c.reqBodyType() == null ? "formData" : c.reqBodyType());
            Map<String, String> query = new java.util.HashMap<>(c.query());
            if (xml) {
                query.put("Format", "XML");
            }
            OpenApiRequest request = new OpenApiRequest().setQuery(query).setHeaders(c.headers());
            if (c.body() != null) {
                request.setBody(c.body());
            }
            RuntimeOptions runtime = new RuntimeOptions().setAutoretry(false).setReadTimeout(30_000).setConnectTimeout(5_000);
            Map<String, ?> answer = new Client(config).callApi(params, request, runtime);
            Map<?, ?> body = xml
                    ? (Map<?, ?>) com.aliyun.teaxml.Client.parseXml((String) answer.get("body"), null)
                            .get("StopEdgeTranscodeJobResponse")
                    : (Map<?, ?>) answer.get("body");
            if (!String.valueOf(body.get("RequestId")).matches("[0-9A-F-]{36}")) {
                return "no RequestId in " + body;
            }
            return "OK " + body.get("JobId");
        } catch (TeaException e) {
            return e.getCode();
        } catch (Exception e) {
            return "NoCode: " + e;
        }
    }
}
