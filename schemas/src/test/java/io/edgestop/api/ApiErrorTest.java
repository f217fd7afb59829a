package io.edgestop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ApiErrorTest {

    @Test
    void everyCodeIsUniqueWithAnErrorStatusAndARecommendation() {
        Set<String> codes = new HashSet<>();
        for (ApiError e : ApiError.values()) {
            assertTrue(codes.add(e.code()), "duplicate code " + e.code());
            assertTrue(e.httpStatus() >= 400 && e.httpStatus() <= 599, e.code());
            assertFalse(e.recommendation().isBlank(), e.code());
            assertEquals(e.recommendation(), ApiError.recommendationFor(e.code()));
        }
    }

    @Test
    void messagesTakeTheirDetailsAndCodesNotInTheCatalogGetAGenericRecommendation() {
        assertEquals("The input parameter \"JobId\" that is mandatory for processing this request is not supplied.",
                ApiError.MISSING_PARAMETER.message("JobId"));
        assertEquals("The specified job does not exist.", ApiError.JOB_NOT_FOUND.message());
        assertEquals("See the error code list of StopEdgeTranscodeJob.", ApiError.recommendationFor("Made.Up"));
        assertEquals("See the error code list of StopEdgeTranscodeJob.", ApiError.recommendationFor(null));
    }
}
