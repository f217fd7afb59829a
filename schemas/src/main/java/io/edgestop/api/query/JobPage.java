package io.edgestop.api.query;

import java.util.List;

/** One page of a {@link ListJobsQuery}'s jobs, and how many jobs matched on every page together. */
public record JobPage(List<JobView> jobs, int totalCount) {

    public JobPage {
        jobs = List.copyOf(Fields.required(jobs, "jobs"));
    }
}
