package io.edgestop.api.query;

import io.edgestop.api.Api;

/**
 * ListEdgeTranscodeJob: the account's jobs that the caller may list and that match the filters, sorted by
 * creation time, one page, answered with a {@link JobPage}.
 *
 * @param clusterId the jobs of this edge cluster only; null: any
 * @param running   true: the running jobs only, false: the others (Alibaba's Status 1 and 0); null: any
 * @param keyword   the job id exactly, or part of the name in any case; null: any
 * @param type      the jobs of this edge transcoding type only; null: any
 * @param order     by creation time, newest or oldest first
 * @param pageNo    the page, from 1
 * @param pageSize  jobs a page, 1 to {@link Api#MAX_PAGE_SIZE}
 */
public record ListJobsQuery(Caller caller, String clusterId, Boolean running, String keyword, String type, Order order,
                            int pageNo, int pageSize) implements JobQuery {

    /** Alibaba's SortBy: desc, the default, and asc. */
    public enum Order { NEWEST_FIRST, OLDEST_FIRST }

    public ListJobsQuery {
        Fields.required(caller, "caller");
        Fields.required(order, "order");
    }

    @Override
    public String action() {
        return Api.LIST_ACTION;
    }
}
