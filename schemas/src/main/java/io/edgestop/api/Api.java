package io.edgestop.api;

/**
 * The API edge-stop implements, named once: ApsaraVideo Live's StopEdgeTranscodeJob, version
 * 2016-11-01, and the two reads that follow a stop through (GetEdgeTranscodeJob, ListEdgeTranscodeJob).
 */
public final class Api {

    /** The RPC action. */
    public static final String ACTION = "StopEdgeTranscodeJob";
    /** The only API version that has the action. */
    public static final String VERSION = "2016-11-01";
    /** The RAM action a policy must allow: the product's service code and the action. */
    public static final String RAM_ACTION = "live:" + ACTION;
    /** The read of one job, answered from the orchestrator's state. */
    public static final String GET_ACTION = "GetEdgeTranscodeJob";
    /** The read of an account's jobs, with filters and paging. */
    public static final String LIST_ACTION = "ListEdgeTranscodeJob";
    /** ListEdgeTranscodeJob's page size when none is given, and the largest allowed (Alibaba's). */
    public static final int DEFAULT_PAGE_SIZE = 10;
    public static final int MAX_PAGE_SIZE = 100;
    /** ListEdgeTranscodeJob's SortBy, by CreateTime: newest first (the default) or oldest first. */
    public static final String SORT_DESC = "desc";
    public static final String SORT_ASC = "asc";

    /** The RAM action of an RPC action of the product: its service code and the action. */
    public static String ramAction(String action) {
        return "live:" + action;
    }

    private Api() {
    }
}
