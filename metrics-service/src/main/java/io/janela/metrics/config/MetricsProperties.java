package io.janela.metrics.config;

import io.janela.contract.spring.DeadlineRebuildProperties;
import io.janela.metrics.hours.Schedule;
import io.janela.metrics.hours.Schedules;
import io.janela.metrics.sla.SlaTargets;
import io.janela.metrics.streams.MeasurementSettings;
import io.janela.metrics.streams.MeasurementTopics;
import io.janela.metrics.summary.SummarySettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The metrics-service's own settings, {@code janela.metrics.*}; every one is documented with its default in the
 * module README.
 *
 * @param topics the measurement topics' names ({@code janela.metrics.topics.response-times}, ...)
 * @param topicPartitions partitions of the topics this service creates when they do not exist (its measurement
 *     topics and, for a fresh cluster, its inputs) and of its repartition topics; the contact-keyed inputs must all
 *     have this count, checked at start
 * @param topicReplicationFactor replication of the topics it creates; -1 takes the broker's default
 * @param measurementRetention how long measurement records are kept (they can be replayed within it)
 * @param settleDelay how long a measurement waits for records that arrive out of order
 * @param timelineHorizon how much of a contact's timeline is kept, before its latest event
 * @param maxTimelineEntries at most this many customer and business messages kept per contact
 * @param stateRetention per-contact and per-message state unchanged for this long is dropped
 * @param punctuationInterval how often the topology looks for settled measurements and state to drop
 * @param maxDuePerPunctuation at most this many deadlines handled per punctuation and task
 * @param stateCacheEntries decoded conversation and message states kept in memory per task (0: none)
 * @param summary the summary store behind {@code GET /metrics/summary}
 * @param recorder the consumer that records measurements into Micrometer
 * @param businessHours each business number's schedules, for the business-time figures
 * @param sla response targets per business number and team, and when a waiting contact is at risk
 * @param reopenWithin a customer message this soon after a resolution reopens it (shorter than timelineHorizon)
 * @param deadlineRebuild how fast a starting task puts its states' deadlines back into its indexes, between its records
 *     ({@code deadline-rebuild.slice-interval}, {@code .states-per-slice}, {@code .time-per-slice})
 */
@ConfigurationProperties("janela.metrics")
@Validated
public record MetricsProperties(
        @DefaultValue @NotNull MeasurementTopics.Names topics,
        @DefaultValue("6") @Min(1) int topicPartitions,
        @DefaultValue("-1") short topicReplicationFactor,
        @DefaultValue("30d") @NotNull Duration measurementRetention,
        @DefaultValue("30s") @NotNull Duration settleDelay,
        @DefaultValue("48h") @NotNull Duration timelineHorizon,
        @DefaultValue("1000") @Min(2) int maxTimelineEntries,
        @DefaultValue("8d") @NotNull Duration stateRetention,
        @DefaultValue("1s") @NotNull Duration punctuationInterval,
        @DefaultValue("10000") @Min(1) int maxDuePerPunctuation,
        @DefaultValue("10000") @Min(0) int stateCacheEntries,
        @DefaultValue @Valid @NotNull Summary summary,
        @DefaultValue @Valid @NotNull Recorder recorder,
        @DefaultValue @NotNull BusinessHours businessHours,
        @DefaultValue @NotNull Sla sla,
        @DefaultValue("24h") @NotNull Duration reopenWithin,
        @DefaultValue @NotNull DeadlineRebuildProperties deadlineRebuild) {

    /**
     * Response targets (README "SLA targets"), checked when the service starts.
     *
     * @param atRiskShare an AT_RISK notice goes out when a waiting contact has waited this share of its target
     *     (0 &lt; share &lt; 1)
     * @param teams the teams that may appear as a label (besides those the targets name); any other is {@code other}
     * @param targets one per business number and team (no team: the number's target for every team without one)
     */
    public record Sla(
            @DefaultValue("0.8") double atRiskShare,
            @DefaultValue List<String> teams,
            @DefaultValue List<TargetEntry> targets) {

        public Sla {
            teams = teams == null ? List.of() : List.copyOf(teams);
            targets = targets == null ? List.of() : List.copyOf(targets);
            if (!(atRiskShare > 0 && atRiskShare < 1)) {
                throw new IllegalArgumentException("at-risk-share must be above 0 and below 1, not " + atRiskShare);
            }
            build(teams, targets); // fails the start with a message naming the target and the value
        }

        /** The targets, built. */
        public SlaTargets build() {
            return build(teams, targets);
        }

        private static SlaTargets build(List<String> teams, List<TargetEntry> entries) {
            List<SlaTargets.Target> built = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                TargetEntry entry = entries.get(i);
                String name = "targets[" + i + "]"
                        + (entry.phoneNumberId() == null ? "" : " (phone number " + entry.phoneNumberId() + ")");
                if (entry.phoneNumberId() == null || entry.phoneNumberId().isBlank()) {
                    throw new IllegalArgumentException(name + ": phone-number-id is missing");
                }
                if (entry.firstResponse() == null && entry.nextResponse() == null) {
                    throw new IllegalArgumentException(name + ": neither first-response nor next-response is set");
                }
                for (Duration target : new Duration[] {entry.firstResponse(), entry.nextResponse()}) {
                    if (target != null && !target.isPositive()) {
                        throw new IllegalArgumentException(name + ": a target must be positive, not " + target);
                    }
                }
                SlaTargets.Clock clock = null;
                for (SlaTargets.Clock candidate : SlaTargets.Clock.values()) {
                    if (candidate.label().equalsIgnoreCase(entry.clock().strip())) {
                        clock = candidate;
                    }
                }
                if (clock == null) {
                    throw new IllegalArgumentException(
                            name + ": clock '" + entry.clock() + "' is neither calendar nor business");
                }
                String team = entry.team() == null || entry.team().isBlank()
                        ? null
                        : entry.team().strip();
                if (SlaTargets.NO_TEAM.equals(team) || SlaTargets.OTHER_TEAM.equals(team)) {
                    throw new IllegalArgumentException(name + ": team '" + team + "' is reserved (a label of its own)");
                }
                built.add(new SlaTargets.Target(
                        entry.phoneNumberId().strip(), team, entry.firstResponse(), entry.nextResponse(), clock));
            }
            try {
                return new SlaTargets(built, teams);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("targets: " + e.getMessage(), e);
            }
        }
    }

    /**
     * One response target.
     *
     * @param phoneNumberId the business phone number id
     * @param team the team (as outbound requests name it); empty: every team of the number without its own target
     * @param firstResponse how long the first business message of a window may take after its opening message
     * @param nextResponse how long any answer may take after the first unanswered customer message
     * @param clock {@code calendar} (elapsed time) or {@code business} (the number's business hours)
     */
    public record TargetEntry(
            String phoneNumberId,
            String team,
            Duration firstResponse,
            Duration nextResponse,
            @DefaultValue("calendar") String clock) {}

    /**
     * Each business number's working hours (README "Business hours"). Checked when the service starts: a wrong zone,
     * weekday, period, date, overlapping periods or two versions effective from the same date stop it with a message
     * naming the schedule and the value.
     *
     * @param schedules the schedules, one per number and {@code effective-from}
     */
    public record BusinessHours(@DefaultValue List<ScheduleEntry> schedules) {

        public BusinessHours {
            schedules = schedules == null ? List.of() : List.copyOf(schedules);
            schedules(schedules); // fails the start with a message naming the schedule and the value
        }

        /** The schedules, built. */
        public Schedules build() {
            return schedules(schedules);
        }

        private static Schedules schedules(List<ScheduleEntry> entries) {
            List<Schedules.Version> versions = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                ScheduleEntry entry = entries.get(i);
                String name = "schedules[" + i + "]"
                        + (entry.phoneNumberId() == null ? "" : " (phone number " + entry.phoneNumberId() + ")");
                try {
                    if (entry.phoneNumberId() == null || entry.phoneNumberId().isBlank()) {
                        throw new IllegalArgumentException("phone-number-id is missing");
                    }
                    versions.add(new Schedules.Version(
                            entry.phoneNumberId().strip(),
                            entry.effectiveFrom() == null
                                    ? null
                                    : Schedule.date("effective-from", entry.effectiveFrom()),
                            Schedule.of(entry.zone(), entry.hours(), entry.holidays())));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
                }
            }
            try {
                return new Schedules(versions);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("schedules: " + e.getMessage(), e);
            }
        }
    }

    /**
     * One business number's schedule from a date on.
     *
     * @param phoneNumberId the business phone number id
     * @param effectiveFrom the first day it applies ({@code yyyy-MM-dd}, in its zone); empty: since always
     * @param zone its time zone id ({@code America/Sao_Paulo})
     * @param hours periods per weekday ({@code monday: [09:00-12:00, 13:00-18:00]}; an end at or before the start
     *     runs into the next day); a weekday not named has none
     * @param holidays dates ({@code yyyy-MM-dd}) on which no period starts
     */
    public record ScheduleEntry(
            String phoneNumberId,
            String effectiveFrom,
            String zone,
            @DefaultValue Map<String, List<String>> hours,
            @DefaultValue List<String> holidays) {

        public ScheduleEntry {
            hours = hours == null ? Map.of() : hours;
            holidays = holidays == null ? List.of() : holidays;
        }
    }

    /**
     * @param bucket the summary's time bucket; ranges are rounded out to whole buckets
     * @param retention how long buckets are kept, and the longest range a summary may cover
     * @param defaultRange the range when a request names no {@code from}
     * @param maxAgentsPerBucket agents kept by id in one bucket; answers and surveys of further agents count in the
     *     bucket's {@code other} row (so a producer naming a new agent on every request cannot grow the state)
     * @param maxTeamsPerBucket teams kept by name in one bucket's surveys; further teams count in {@code other}
     */
    public record Summary(
            @DefaultValue("5m") @NotNull Duration bucket,
            @DefaultValue("35d") @NotNull Duration retention,
            @DefaultValue("24h") @NotNull Duration defaultRange,

            @DefaultValue("" + SummarySettings.DEFAULT_MAX_AGENTS_PER_BUCKET) @Min(1)
            int maxAgentsPerBucket,

            @DefaultValue("" + SummarySettings.DEFAULT_MAX_TEAMS_PER_BUCKET) @Min(1)
            int maxTeamsPerBucket) {

        @AssertTrue(message = "bucket must be positive and retention at least one bucket")
        boolean isConsistent() {
            return bucket != null && retention != null && bucket.isPositive() && retention.compareTo(bucket) >= 0;
        }
    }

    /**
     * @param groupId the recorder's consumer group
     * @param pollTimeout how long one poll waits for measurements
     * @param commitUnscrapedAfter when no scrape has acknowledged recorded measurements for this long, their offsets
     *     are committed anyway, so that a service nobody scrapes does not re-read everything after a restart; keep it
     *     well above Prometheus' scrape interval
     * @param retryBackoff the longest the recorder waits before reading again after the schema registry could not be
     *     reached (100 ms after the first failure, doubling up to this; shared with dispatch: {@code RegistryRetry})
     * @param handoverScrapeWait how long partitions moving to another instance wait for a scrape to show what this
     *     one recorded of them before their offsets are committed (a rolling deployment stops the old instance moments
     *     later, often before its next scrape); keep it above Prometheus' scrape interval; 0 does not wait
     */
    public record Recorder(
            @DefaultValue("janela-metrics-recorder") @NotBlank
            String groupId,

            @DefaultValue("500ms") @NotNull Duration pollTimeout,
            @DefaultValue("10m") @NotNull Duration commitUnscrapedAfter,
            @DefaultValue("5s") @NotNull Duration retryBackoff,
            @DefaultValue("45s") @NotNull Duration handoverScrapeWait) {

        @AssertTrue(message = "handover-scrape-wait must not be negative")
        boolean isHandoverScrapeWaitValid() {
            return handoverScrapeWait == null || !handoverScrapeWait.isNegative();
        }
    }

    @AssertTrue(message = "settle-delay must not be negative and every other duration must be positive")
    boolean isDurationsValid() {
        return settleDelay != null
                && !settleDelay.isNegative()
                && positive(timelineHorizon)
                && positive(stateRetention)
                && positive(punctuationInterval)
                && positive(measurementRetention)
                && positive(reopenWithin);
    }

    @AssertTrue(message = "reopen-within must be shorter than timeline-horizon")
    boolean isReopenWithinValid() {
        return reopenWithin == null || timelineHorizon == null || reopenWithin.compareTo(timelineHorizon) < 0;
    }

    MeasurementSettings measurementSettings() {
        return new MeasurementSettings(
                settleDelay,
                timelineHorizon,
                maxTimelineEntries,
                stateRetention,
                punctuationInterval,
                maxDuePerPunctuation,
                stateCacheEntries,
                reopenWithin,
                deadlineRebuild.pace());
    }

    SummarySettings summarySettings() {
        return new SummarySettings(
                summary.bucket(), summary.retention(), summary.maxAgentsPerBucket(), summary.maxTeamsPerBucket());
    }

    private static boolean positive(Duration duration) {
        return duration != null && duration.isPositive();
    }
}
