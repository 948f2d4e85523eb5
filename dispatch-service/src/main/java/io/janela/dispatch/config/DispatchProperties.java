package io.janela.dispatch.config;

import io.janela.dispatch.business.BusinessNumber;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;
import org.springframework.validation.annotation.Validated;

/**
 * The dispatch-service's settings, prefix {@code janela.dispatch}. Every property is documented, with its default, in
 * the module README.
 *
 * @param businessNumbers the business phone numbers requests may send from
 * @param graphApi Meta's Graph API
 * @param topics the service's own topics
 * @param decision the decision rules' settings
 * @param sender the sender's settings
 * @param templateSync the periodic template catalog sync
 * @param rateCard the rate card file (CSV, see {@code io.janela.dispatch.pricing.RateCard})
 * @param partitions partitions of the topics the service creates; the contact-keyed topics it reads must have as many
 * @param replicationFactor replicas of the topics the service creates; -1 takes the broker's default
 */
@ConfigurationProperties("janela.dispatch")
@Validated
public record DispatchProperties(
        @DefaultValue List<@Valid BusinessNumber> businessNumbers,
        @Valid @DefaultValue GraphApi graphApi,
        @Valid @DefaultValue Topics topics,
        @Valid @DefaultValue Decision decision,
        @Valid @DefaultValue Sender sender,
        @Valid @DefaultValue TemplateSync templateSync,

        @NotNull @DefaultValue("classpath:rate-card-example.csv")
        Resource rateCard,

        @Min(1) @DefaultValue("6") int partitions,
        @DefaultValue("-1") short replicationFactor) {

    /**
     * @param baseUrl {@code https://graph.facebook.com}, or a sandbox
     * @param version the Graph API version in paths, e.g. {@code v24.0}
     * @param connectTimeout how long to wait for a connection
     * @param responseTimeout how long to wait for an answer once the request is sent; a send left unanswered is in
     *     doubt (Meta may have accepted it)
     * @param maxConnections connections per Graph API host
     */
    public record GraphApi(
            @NotNull @DefaultValue("https://graph.facebook.com")
            URI baseUrl,

            @NotBlank @DefaultValue("v24.0") String version,
            @NotNull @DefaultValue("5s") Duration connectTimeout,
            @NotNull @DefaultValue("20s") Duration responseTimeout,
            @Min(1) @DefaultValue("256") int maxConnections) {}

    /**
     * The service's own topics (the shared ones are {@code janela.topics.*}).
     *
     * @param sendCommands decided sends, from the decision topology to the sender; key contact key
     * @param sendJournal the sender's write-ahead journal (compacted); key request id
     * @param templateSync templates listed by the Graph API sync, into the catalog; key template key
     */
    public record Topics(
            @NotBlank @DefaultValue("whatsapp.dispatch.send-commands")
            String sendCommands,

            @NotBlank @DefaultValue("whatsapp.dispatch.send-journal")
            String sendJournal,

            @NotBlank @DefaultValue("whatsapp.dispatch.template-sync")
            String templateSync) {}

    /**
     * @param windowSafetyMargin free-form is sent only while the window has at least this long to run (clock skew,
     *     queueing before the send, and Meta's known early closes)
     * @param windowGrace how long a free-form request that finds no open window waits for the window state to catch up
     *     (a customer's first message and the bot's reply to it race)
     * @param aliasGrace how long a request addressed by phone number waits for the contact that number belongs to
     * @param catalogGrace how long a template request waits for its business account's catalog while the catalog holds
     *     nothing of that account (a new system or a newly configured account before its first template sync), instead
     *     of being refused TEMPLATE_NOT_FOUND for a template Meta has
     * @param parkCheckInterval how often waiting requests are looked at (wall clock)
     * @param dedupeRetention how long a request id is remembered to answer a re-submission DUPLICATE
     * @param correlationRetention how long a sent free-form message's fallback is kept for a later 131047
     * @param messagingLimit what a business-initiated send beyond the portfolio's messaging limit gets
     */
    public record Decision(
            @NotNull @DefaultValue("5m") Duration windowSafetyMargin,
            @NotNull @DefaultValue("5s") Duration windowGrace,
            @NotNull @DefaultValue("5s") Duration aliasGrace,
            @NotNull @DefaultValue("60s") Duration catalogGrace,
            @NotNull @DefaultValue("250ms") Duration parkCheckInterval,
            @NotNull @DefaultValue("7d") Duration dedupeRetention,
            @NotNull @DefaultValue("3d") Duration correlationRetention,
            @Valid @DefaultValue MessagingLimit messagingLimit) {}

    /**
     * A business-initiated send to a user the portfolio has not reached in the moving 24 h, when the portfolio already
     * reached as many users as its messaging limit allows (WHATSAPP.md §6.3).
     *
     * @param whenReached REFUSE: REJECTED MESSAGING_LIMIT at once, {@code retryAfter} when room returns; HOLD: held
     *     in the messaging limit's state and decided again when room returns in the moving 24 h (or the limit is
     *     raised), REJECTED MESSAGING_LIMIT when {@code maxHoldTime} passes first. Held requests already there are
     *     decided to the end whatever this says
     * @param maxHeld requests held at once per portfolio; one more beyond it is refused as under REFUSE
     * @param maxHoldTime how long a request is held at most (at most 24 h: by then the moving 24 h has had room or
     *     Meta's limit is 0)
     * @param holdCheckInterval how often held requests are looked at (wall clock); a request is released or ends at most
     *     this late
     */
    public record MessagingLimit(
            @NotNull @DefaultValue("REFUSE") WhenReached whenReached,
            @Min(1) @DefaultValue("1000") int maxHeld,

            @NotNull @DurationMin(seconds = 1) @DurationMax(hours = 24) @DefaultValue("1h")
            Duration maxHoldTime,

            @NotNull @DurationMin(millis = 10) @DefaultValue("5s")
            Duration holdCheckInterval) {

        /** The defaults: refuse. */
        public static final MessagingLimit REFUSE =
                new MessagingLimit(WhenReached.REFUSE, 1000, Duration.ofHours(1), Duration.ofSeconds(5));

        public boolean holds() {
            return whenReached == WhenReached.HOLD;
        }
    }

    public enum WhenReached {
        REFUSE,
        HOLD
    }

    /**
     * @param instanceId names this instance's transactional producer; stable across restarts of one instance (a pod
     *     name), unique among instances. Blank: the host name
     * @param maxInFlight calls to Meta at once, all numbers together
     * @param maxQueued send commands held in memory before the sender stops reading
     * @param lookahead how far ahead of its throughput slot a send is journaled: enough to keep the pacer fed while a
     *     transaction commits (a crash leaves these in doubt)
     * @param commitInterval how often results and offsets are committed
     * @param throughputShare the fraction of each number's throughput limit aimed at (1.0 = the limit)
     * @param pairInterval Meta's pair rate: one message per this interval to one user
     * @param pairBurst messages to one user in a burst that borrows future quota
     * @param pairBurstWindow the burst's span
     * @param maxAttempts calls to Meta per request for retryable errors before FAILED RETRIES_EXHAUSTED
     * @param initialBackoff the first retry pause; doubles, with full jitter
     * @param maxBackoff the longest retry pause
     * @param downtimeBackoff the shortest pause after error 2 (Meta: API updates can cause up to 5 minutes downtime)
     * @param pairLimitMaxWaits 131056 answers per request before FAILED RETRIES_EXHAUSTED (waits 4^x s: 1, 4, 16...)
     * @param inDoubtTimeout how long a send left in doubt (crash or unanswered call) waits at least for a status webhook
     *     that echoes its request id before {@code inDoubtResolution} applies
     * @param inDoubtResolution RESEND (send again, on evidence only) or FAIL (answer FAILED SEND_IN_DOUBT)
     * @param statusLookback how far before an in-doubt attempt the status search starts (clock skew)
     * @param shutdownTimeout how long shutdown waits for calls in flight before leaving them in doubt
     * @param enabled false runs this instance without a sender: it decides, but sends nothing (another instance, or
     *     none, sends), for example to stop all sends during an incident without losing a request
     * @param inDoubtMaxWait how long a send in doubt waits at most for evidence (a status webhook of it, or status
     *     webhooks of later sends of its business number without it) before FAILED SEND_IN_DOUBT
     * @param inDoubtEvidenceMargin how much later than the attempt in doubt a status webhook of the same business number
     *     must be (Meta's time) to count as evidence that the attempt's own webhook would have arrived
     * @param registryRetryMaxBackoff the longest pause before reading a record again after the schema registry could
     *     not be reached (the pause starts at 100 ms and doubles)
     * @param sessionTimeout the sender's consumer group session timeout: how long a dead instance's partitions wait
     *     before another instance takes them (a restarted instance with the same {@code instanceId} takes them back at
     *     once: static membership)
     * @param throughputLevels each number's limit for the throughput level Meta reports for it (phone_number_quality_update
     *     THROUGHPUT_UPGRADE / THROUGHPUT_DOWNGRADE, read from whatsapp.account-events)
     * @param throughputBackoff how a number's pace follows Meta's 130429 refusals
     * @param throughputCountedAt the moment from which a call counts against its number's second: its answer (no
     *     receiver can count more than the limit in any second) or its departure (the full rate; see the enum)
     */
    public record Sender(
            @DefaultValue("") String instanceId,
            @Min(1) @DefaultValue("64") int maxInFlight,
            @Min(1) @DefaultValue("10000") int maxQueued,
            @NotNull @DefaultValue("500ms") Duration lookahead,
            @NotNull @DefaultValue("100ms") Duration commitInterval,

            @DecimalMin("0.1") @DecimalMax("1.0") @DefaultValue("1.0")
            double throughputShare,

            @NotNull @DefaultValue("6s") Duration pairInterval,
            @Min(1) @DefaultValue("45") int pairBurst,
            @NotNull @DefaultValue("6s") Duration pairBurstWindow,
            @Min(1) @DefaultValue("8") int maxAttempts,
            @NotNull @DefaultValue("1s") Duration initialBackoff,
            @NotNull @DefaultValue("1m") Duration maxBackoff,
            @NotNull @DefaultValue("1m") Duration downtimeBackoff,
            @Min(1) @DefaultValue("6") int pairLimitMaxWaits,
            @NotNull @DefaultValue("2m") Duration inDoubtTimeout,
            @NotNull @DefaultValue("RESEND") InDoubtResolution inDoubtResolution,
            @NotNull @DefaultValue("2m") Duration statusLookback,
            @NotNull @DefaultValue("10s") Duration shutdownTimeout,
            @DefaultValue("true") boolean enabled,
            @NotNull @DefaultValue("10m") Duration inDoubtMaxWait,
            @NotNull @DefaultValue("30s") Duration inDoubtEvidenceMargin,
            @NotNull @DefaultValue("30s") Duration registryRetryMaxBackoff,
            @NotNull @DefaultValue("10s") Duration sessionTimeout,
            @Valid @DefaultValue ThroughputLevels throughputLevels,
            @Valid @DefaultValue ThroughputBackoff throughputBackoff,
            @NotNull @DefaultValue("ANSWER") ThroughputCountedAt throughputCountedAt) {

        /** The same settings for another instance. */
        public Sender withInstanceId(String id) {
            return new Sender(
                    id,
                    maxInFlight,
                    maxQueued,
                    lookahead,
                    commitInterval,
                    throughputShare,
                    pairInterval,
                    pairBurst,
                    pairBurstWindow,
                    maxAttempts,
                    initialBackoff,
                    maxBackoff,
                    downtimeBackoff,
                    pairLimitMaxWaits,
                    inDoubtTimeout,
                    inDoubtResolution,
                    statusLookback,
                    shutdownTimeout,
                    enabled,
                    inDoubtMaxWait,
                    inDoubtEvidenceMargin,
                    registryRetryMaxBackoff,
                    sessionTimeout,
                    throughputLevels,
                    throughputBackoff,
                    throughputCountedAt);
        }
    }

    /**
     * How a number's pace follows Meta's refusals with 130429 (its throughput exceeded where Meta counts): each
     * overrun lowers the number's rate by {@code step} of it, down to {@code floor} of it; each {@code recover-every}
     * without one gives half a step back. The pacer keeps every second of calls within the limit where it counts them
     * ({@link ThroughputCountedAt}); this covers what it cannot see: counted at departures, the receiver's intake
     * counting calls that left over more than a second within one; either way, inbound messages Meta counts against
     * the same limit, or a metering of Meta's narrower than a trailing second.
     *
     * @param step share of the rate one overrun takes off; 0 turns the back-off off
     * @param floor the lowest share of its rate a number is paced at
     * @param recoverEvery how long without a refusal before half a step is given back
     */
    public record ThroughputBackoff(
            @DecimalMin("0.0") @DecimalMax("0.5") @DefaultValue("0.02")
            double step,

            @DecimalMin("0.1") @DecimalMax("1.0") @DefaultValue("0.9")
            double floor,

            @NotNull @DefaultValue("30s") Duration recoverEvery) {}

    /**
     * Messages per second a business number may send at each throughput level Meta reports for it (WHATSAPP.md §6.1).
     * The newest report by Meta's time applies; until Meta has reported one for a number, or when it reports a level
     * without a figure here (NOT_APPLICABLE, UNKNOWN), the number's configured {@code throughput-limit} applies; a number
     * with {@code throughput-pinned} keeps its {@code throughput-limit} whatever Meta reports (coexistence numbers: 20).
     *
     * <p>At start the sender asks Meta once for each number not pinned ({@code GET /{phone-number-id}?fields=
     * throughput}) and takes the answer as a report of the time it asked; a newer report from whatsapp.account-events
     * replaces it. Unanswered within {@code askTimeout}, or refused: the number keeps its limit (logged and counted, not
     * asked again).
     *
     * @param standard STANDARD (Meta's default: 80)
     * @param high HIGH, after Meta's automatic upgrade (up to 1,000)
     * @param askAtStart whether to ask Meta for each number's level at start
     * @param askTimeout how long the answer may take (1 s to 1 min)
     */
    public record ThroughputLevels(
            @Min(1) @DefaultValue("80") int standard,
            @Min(1) @DefaultValue("1000") int high,
            @DefaultValue("true") boolean askAtStart,

            @NotNull @DurationMin(seconds = 1) @DurationMax(minutes = 1) @DefaultValue("10s")
            Duration askTimeout) {}

    /**
     * From when a call counts against its business number's second (WHATSAPP.md §6.1: Meta answers 130429 above the
     * number's throughput). Until then the call holds a place in the current second, wherever it will fall. Meta counts
     * a call somewhere between the moment it leaves here and the moment its answer comes back, and no one can say
     * where.
     */
    public enum ThroughputCountedAt {
        /**
         * At its answer. A call starts only when the call {@code limit} places before it was answered more than a
         * second ago, so no receiver that counts calls between their start and their answer can count more than the
         * limit in any second, however late its intake; except that a call the client gave up on (response timeout)
         * counts from then, and for about a second after partitions move between instances the old owner's calls
         * may still be unanswered. The price is the round trip: at most {@code floor(limit) ÷ (1.005 s + round
         * trip)} calls a second (80 → 78.8 at a 10 ms round trip, 61.3 at 300 ms).
         */
        ANSWER,
        /**
         * When its request was written to its connection, with a 5 ms guard. The limit's full rate, but a receiver
         * whose intake lags a call by more than the guard counts calls that left over more than a second within one
         * and answers 130429 (retried; the throughput back-off lowers the number's pace after each one).
         */
        DEPARTURE
    }

    public enum InDoubtResolution {
        RESEND,
        FAIL
    }

    /**
     * @param enabled whether this instance syncs (only the one that processes partition 0 of the template events
     *     does, at a time)
     * @param interval between syncs; webhooks keep the catalog current in between
     * @param initialDelay before the first sync
     * @param pageSize templates per page ({@code limit})
     */
    public record TemplateSync(
            @DefaultValue("true") boolean enabled,
            @NotNull @DefaultValue("1h") Duration interval,
            @NotNull @DefaultValue("10s") Duration initialDelay,
            @Min(1) @DefaultValue("100") int pageSize) {}
}
