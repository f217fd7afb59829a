package io.edgestop.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The body shapes and content types Alibaba's clients parse. */
class ResponseBodiesTest {

    @Test
    void anXmlSuccessIsAnsweredWithAlibabasExactXmlContentType() {
        assertEquals("text/xml;charset=utf-8", ResponseBodies.contentType(true));
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><StopEdgeTranscodeJobResponse><RequestId>R</RequestId>"
                + "<JobId>a&amp;b</JobId></StopEdgeTranscodeJobResponse>", ResponseBodies.success("R", "a&b", true));
        assertEquals("application/json;charset=utf-8", ResponseBodies.contentType(false));
        assertEquals("{\"RequestId\":\"R\",\"JobId\":\"j\"}", ResponseBodies.success("R", "j", false));
    }

    @Test
    void anErrorIsTheFiveFieldJsonObject() {
        assertEquals("{\"RequestId\":\"R\",\"HostId\":\"h\",\"Code\":\"JobNotFound\",\"Message\":\"m\","
                + "\"Recommend\":\"Check ClusterId and JobId; the job must belong to the caller's account.\"}",
                ResponseBodies.error("R", "h", "JobNotFound", "m"));
    }
}
