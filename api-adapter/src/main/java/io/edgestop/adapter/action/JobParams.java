package io.edgestop.adapter.action;

import io.edgestop.adapter.request.ApiException;
import io.edgestop.adapter.request.Params;

/** Parameter checks the actions share. */
final class JobParams {

    private JobParams() {
    }

    /** The parameter's value; MissingParameter when it is absent or empty. */
    static String require(Params params, String name) throws ApiException {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            throw ApiException.missingParameter(name);
        }
        return v;
    }

    /** An optional whole number in [min, max]; InvalidParameter otherwise, null when absent. */
    static Integer optionalInt(Params params, String name, int min, int max) throws ApiException {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter("The parameter " + name + " must be a whole number from " + min + " to " + max + ".");
        }
        if (n < min || n > max) {
            throw ApiException.invalidParameter("The parameter " + name + " must be a whole number from " + min + " to " + max + ".");
        }
        return n;
    }
}
