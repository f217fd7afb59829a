package io.edgestop.api;

/** The API edge-stop implements, named once: ApsaraVideo Live's StopEdgeTranscodeJob, version 2016-11-01. */
public final class Api {

    /** The RPC action. */
    public static final String ACTION = "StopEdgeTranscodeJob";
    /** The only API version that has the action. */
    public static final String VERSION = "2016-11-01";
    /** The RAM action a policy must allow: the product's service code and the action. */
    public static final String RAM_ACTION = "live:" + ACTION;

    private Api() {
    }
}
