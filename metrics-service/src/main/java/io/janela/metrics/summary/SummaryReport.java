package io.janela.metrics.summary;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code GET /metrics/summary}: what one business phone number's measurements say over a range.
 *
 * @param from the start of the range covered, rounded down to a bucket
 * @param to the end of the range covered (exclusive), rounded up to a bucket
 * @param bucket the bucket size, ISO-8601 (PT5M)
 * @param responseRate windows closed with a business reply ÷ windows closed; null when none closed
 * @param csat satisfaction surveys delivered and answered in the range (by the event's time)
 * @param csatByPath the same by path: {@code in_window}, {@code template} ({@code unknown} when survey-service named
 *     none); only paths with surveys
 * @param csatByTeam the same by the team credited when the survey was sent
 * @param agents per agent (as the answering request, or the survey, named it): named agents by id, then {@code none}
 *     (named no agent), then {@code other} (agents beyond a bucket's cap); with {@code agentId=}, that agent's row and
 *     {@code other}, if any
 * @param quantileRelativeError quantiles are within this fraction (or 1 ms) of the exact nearest-rank value
 */
public record SummaryReport(
        String phoneNumberId,
        Instant from,
        Instant to,
        String bucket,
        Windows windows,
        Double responseRate,
        Durations firstResponse,
        Durations firstResponseHeadroom,
        Durations responseTime,
        Csat csat,
        List<PathCsat> csatByPath,
        List<TeamCsat> csatByTeam,
        List<Agent> agents,
        double quantileRelativeError) {

    /**
     * Satisfaction surveys (CSAT, from survey-service's DELIVERED and ANSWERED events) in the range.
     *
     * @param delivered surveys Meta reported delivered
     * @param responses answers with a score from 1 to 5
     * @param responsesByScore answers by score: the first counts 1, the fifth 5
     * @param score CSAT: answers of 4 or 5 ÷ answers; null when none
     * @param responseRate answers ÷ delivered surveys; null when none was delivered
     */
    public record Csat(
            long delivered, long responses, List<Long> responsesByScore, Double score, Double responseRate) {}

    /** CSAT of one survey path. */
    public record PathCsat(String path, Csat csat) {}

    /**
     * CSAT of one team.
     *
     * @param team the team as written; null in the {@code none} and {@code other} rows
     * @param row {@code named}, {@code none} (the survey named no team) or {@code other} (teams beyond a bucket's cap)
     */
    public record TeamCsat(String team, String row, Csat csat) {}

    /**
     * One agent's figures: the responses and first responses its requests sent, and the surveys credited to it.
     *
     * @param agentId the agent as written; null in the {@code none} and {@code other} rows
     * @param row {@code named}, {@code none} or {@code other}
     */
    public record Agent(String agentId, String row, Durations responseTime, Durations firstResponse, Csat csat) {}

    /** Windows opened and closed in the range (by when they opened and when they closed). */
    public record Windows(
            long opened,
            long openedByFirstTimeContacts,
            long openedByReturningContacts,
            long closed,
            long closedWithReply,
            long closedWithoutReply,
            long closedWhileCustomerWaiting,
            long expiredWhileCustomerWaiting) {}

    /** Durations measured in the range, in seconds; the quantiles are null when there is none. */
    public record Durations(
            long count,
            Double meanSeconds,
            Double p50Seconds,
            Double p90Seconds,
            Double p99Seconds,
            Double maxSeconds) {}
}
