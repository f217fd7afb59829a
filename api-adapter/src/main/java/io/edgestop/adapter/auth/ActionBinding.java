package io.edgestop.adapter.auth;

import java.util.function.Function;

import io.edgestop.adapter.request.ApiException;
import io.edgestop.adapter.request.Params;

/**
 * Which action and version a request asks for: always the ones its signature covers. A V1 signature
 * covers only the parameters, so there the {@code Action} and {@code Version} parameters decide, and
 * an {@code x-acs-action} / {@code x-acs-version} header that disagrees is refused (otherwise a signed
 * read URL, replayed with the header {@code x-acs-action: StopEdgeTranscodeJob}, would stop the job).
 * V3 signs the headers ({@link Authenticator#V3_REQUIRED_SIGNED}), so there the headers decide, and a
 * parameter that disagrees is refused the same way. A request with no signature at all is refused by the
 * {@link Authenticator} after this; until then the header is taken before the parameter, as Alibaba does.
 */
public final class ActionBinding {

    public record Bound(String action, String version) {
    }

    private ActionBinding() {
    }

    /**
     * @param headers request header value by lower-case name (null when absent)
     * @return the action and version, either possibly null or empty (the caller answers MissingParameter)
     */
    public static Bound of(Params params, Function<String, String> headers) throws ApiException {
        var scheme = Authenticator.schemeOf(headers.apply("authorization"), params);
        if (scheme.isEmpty()) {
            return new Bound(firstNonNull(headers.apply("x-acs-action"), params.get("Action")),
                    firstNonNull(headers.apply("x-acs-version"), params.get("Version")));
        }
        boolean v1 = scheme.get() == Authenticator.Scheme.V1;
        return new Bound(bind(v1, "Action", "x-acs-action", params, headers),
                bind(v1, "Version", "x-acs-version", params, headers));
    }

    private static String bind(boolean v1, String param, String header, Params params, Function<String, String> headers)
            throws ApiException {
        String p = params.get(param);
        String h = headers.apply(header);
        String signed = v1 ? p : h;
        String other = v1 ? h : p;
        if (other != null && !other.equals(signed)) {
            throw ApiException.invalidParameter(v1
                    ? "The header " + header + " disagrees with the parameter " + param + ". A V1 signature covers only"
                    + " the parameters, so " + param + " decides: leave out the header, or sign the request with V3."
                    : "The parameter " + param + " disagrees with the header " + header + ". A V3 signature binds the"
                    + " action and version by their headers: leave out the parameter.");
        }
        return signed;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
