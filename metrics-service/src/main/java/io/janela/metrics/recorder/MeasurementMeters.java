package io.janela.metrics.recorder;

import io.janela.avro.CallEvent;
import io.janela.avro.DeliveryLatencyMeasurement;
import io.janela.avro.FirstResponseMeasurement;
import io.janela.avro.MessageFailureMeasurement;
import io.janela.avro.MessagePricingMeasurement;
import io.janela.avro.MessageSentMeasurement;
import io.janela.avro.ReadLatencyMeasurement;
import io.janela.avro.ResolutionMeasurement;
import io.janela.avro.ResponseTimeMeasurement;
import io.janela.avro.SurveyEvent;
import io.janela.avro.SurveyEventKind;
import io.janela.avro.WindowClosedMeasurement;
import io.janela.avro.WindowOpenedMeasurement;
import io.janela.metrics.hours.Schedules;
import io.janela.metrics.sla.SlaTargets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;

/**
 * Records measurement records into Micrometer. Every meter and tag is listed in the module README with an example
 * query. Tags come from small closed sets only: the business phone number id, enum symbols (category, pricing type,
 * responder kind, stage, close reason), Meta's error code, booleans. Never a contact, message or template.
 *
 * <p>Histograms (timers) have fixed buckets from half a second to a day, so that {@code histogram_quantile} works
 * over any set of instances and the series count stays known: {@link #BUCKETS}.
 */
final class MeasurementMeters {

    /** The histogram buckets of every duration meter: seconds to a day. */
    static final Duration[] BUCKETS = {
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(2),
        Duration.ofMinutes(5),
        Duration.ofMinutes(10),
        Duration.ofMinutes(15),
        Duration.ofMinutes(30),
        Duration.ofHours(1),
        Duration.ofHours(2),
        Duration.ofHours(4),
        Duration.ofHours(8),
        Duration.ofHours(12),
        Duration.ofHours(24)
    };

    /**
     * The headroom's buckets: {@link #BUCKETS} up to 12 h, then every hour to 24 h, because that is where the answers
     * fall (a reply within minutes of the customer's message leaves nearly 24 h), and {@code histogram_quantile}
     * interpolates linearly inside a bucket: with one 12–24 h bucket a p50 of replies that all left about 24 h read
     * about 18 h.
     */
    static final Duration[] HEADROOM_BUCKETS = headroomBuckets();

    /**
     * The returning gap's buckets: from an hour (a contact back soon after the window closed) to a year, where the
     * gaps between a customer's conversations fall.
     */
    static final Duration[] RETURNING_GAP_BUCKETS = {
        Duration.ofHours(1),
        Duration.ofHours(6),
        Duration.ofHours(12),
        Duration.ofDays(1),
        Duration.ofDays(2),
        Duration.ofDays(3),
        Duration.ofDays(7),
        Duration.ofDays(14),
        Duration.ofDays(30),
        Duration.ofDays(60),
        Duration.ofDays(90),
        Duration.ofDays(180),
        Duration.ofDays(365)
    };

    static final String RESPONSE_TIME = "janela.response.time";
    static final String FIRST_RESPONSE_TIME = "janela.first.response.time";
    static final String RESPONSE_TIME_BUSINESS = "janela.response.time.business";
    static final String FIRST_RESPONSE_TIME_BUSINESS = "janela.first.response.time.business";
    static final String SLA_RESPONSES = "janela.sla.responses";
    static final String FIRST_RESPONSE_HEADROOM = "janela.first.response.headroom";
    static final String WINDOWS_OPENED = "janela.windows.opened";
    static final String WINDOWS_CLOSED = "janela.windows.closed";
    static final String RETURNING_GAP = "janela.returning.gap";
    static final String SURVEY_ANSWER_WINDOWS = "janela.survey.answer.windows";
    static final String RESOLUTIONS = "janela.conversation.resolutions";
    static final String DELIVERY_LATENCY = "janela.message.delivery.latency";
    static final String READ_LATENCY = "janela.message.read.latency";
    static final String MESSAGES_FAILED = "janela.messages.failed";
    static final String MESSAGES_SENT = "janela.messages.sent";
    static final String ESTIMATED_COST = "janela.messages.estimated.cost";
    static final String MESSAGES_PRICED = "janela.messages.priced";
    static final String LATEST = "janela.measurements.latest";
    static final String HANDOVERS = "janela.metrics.recorder.handovers";
    static final String SURVEYS = "janela.surveys";
    static final String SURVEY_RESPONSES = "janela.survey.responses";
    static final String CALLS = "janela.calls";
    /** Call events remembered to drop Meta's redeliveries (see {@link #call}). */
    static final int RECENT_CALL_EVENTS = 50_000;

    private final MeterRegistry registry;
    private final Schedules schedules;
    private final SlaTargets slaTargets;
    private final Map<String, AtomicLong> latest = new ConcurrentHashMap<>();
    private final Map<String, Boolean> recentCallEvents = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENT_CALL_EVENTS;
        }
    };

    /**
     * Creates the SLA counters of every configured target at 0, so that the first met or breached response shows as
     * an increase.
     *
     * <p>Response and first-response times (calendar and business) are labelled by {@code team} as the SLA counters
     * are ({@link SlaTargets#teamLabel}: a configured team, {@code other}, or {@code none} when the answer named none);
     * the headroom is not (it is about the window, not who answered).
     *
     * @param schedules each number's business hours: every duration is recorded in calendar time and in business
     *     time, the latter in the schedule in force at the answer
     * @param slaTargets response targets per number and team: every response is counted met or breached against the
     *     one that applies
     */
    MeasurementMeters(MeterRegistry registry, Schedules schedules, SlaTargets slaTargets) {
        this.registry = registry;
        this.schedules = schedules;
        this.slaTargets = slaTargets;
        for (SlaTargets.Verdict labels : slaTargets.labelSets()) {
            slaCounter(labels, true);
            slaCounter(labels, false);
        }
    }

    /** Records one measurement; an unknown record type is refused. */
    void record(SpecificRecord measurement) {
        switch (measurement) {
            case ResponseTimeMeasurement response -> {
                Tags tags = Tags.of(
                        "phone_number_id", response.getPhoneNumberId(),
                        "responder_kind", tag(response.getResponderKind()),
                        "team", slaTargets.teamLabel(response.getTeam()));
                timer(RESPONSE_TIME, "From the first unanswered customer message to the business answer", tags)
                        .record(Duration.ofMillis(response.getResponseTimeMillis()));
                timer(
                                RESPONSE_TIME_BUSINESS,
                                "Response time counting only the number's business hours (schedule in force at the answer)",
                                tags)
                        .record(businessTime(
                                response.getPhoneNumberId(), response.getWaitingSince(), response.getOccurredAt()));
                sla(
                        SlaTargets.Kind.NEXT_RESPONSE,
                        response.getPhoneNumberId(),
                        response.getTeam(),
                        response.getWaitingSince(),
                        response.getOccurredAt());
                latest("response_time", response.getOccurredAt());
            }
            case FirstResponseMeasurement first -> {
                Tags headroomTags = Tags.of(
                        "phone_number_id", first.getPhoneNumberId(),
                        "responder_kind", tag(first.getResponderKind()));
                Tags tags = headroomTags.and("team", slaTargets.teamLabel(first.getTeam()));
                timer(FIRST_RESPONSE_TIME, "From a window's opening message to its first business message", tags)
                        .record(Duration.ofMillis(first.getFirstResponseTimeMillis()));
                timer(
                                FIRST_RESPONSE_TIME_BUSINESS,
                                "First response time counting only the number's business hours (schedule in force at the answer)",
                                tags)
                        .record(businessTime(
                                first.getPhoneNumberId(), first.getWindowOpenedAt(), first.getOccurredAt()));
                sla(
                        SlaTargets.Kind.FIRST_RESPONSE,
                        first.getPhoneNumberId(),
                        first.getTeam(),
                        first.getWindowOpenedAt(),
                        first.getOccurredAt());
                timer(
                                FIRST_RESPONSE_HEADROOM,
                                "How long the window still had to run at its first response",
                                headroomTags,
                                HEADROOM_BUCKETS)
                        .record(Duration.ofMillis(first.getHeadroomMillis()));
                latest("first_response", first.getOccurredAt());
            }
            case WindowOpenedMeasurement opened
            when opened.getOpenedBySurveyAnswer() -> {
                counter(
                                SURVEY_ANSWER_WINDOWS,
                                "Customer service windows a satisfaction survey answer opened: no conversation, kept out"
                                        + " of janela.windows.opened, the returning gap and, unless the customer then"
                                        + " asked something, janela.windows.closed",
                                Tags.of("phone_number_id", opened.getPhoneNumberId()))
                        .increment();
                latest("window_opened", opened.getOccurredAt());
            }
            case WindowOpenedMeasurement opened -> {
                counter(
                                WINDOWS_OPENED,
                                "Customer service windows opened, by first-time and returning contacts",
                                Tags.of(
                                        "phone_number_id",
                                        opened.getPhoneNumberId(),
                                        "opened_by",
                                        opened.getFirstContact() ? "first_time_contact" : "returning_contact",
                                        "late",
                                        Boolean.toString(opened.getLate())))
                        .increment();
                if (!opened.getFirstContact() && opened.getPreviousWindowClosedAt() != null) {
                    timer(
                                    RETURNING_GAP,
                                    "How long a returning contact stayed away: from their previous window's close to the opening of the new one",
                                    Tags.of("phone_number_id", opened.getPhoneNumberId()),
                                    RETURNING_GAP_BUCKETS)
                            .record(nonNegative(
                                    Duration.between(opened.getPreviousWindowClosedAt(), opened.getOccurredAt())));
                }
                latest("window_opened", opened.getOccurredAt());
            }
            case WindowClosedMeasurement closed
            when closed.getSurveyAnswerOnly() ->
                // Nothing was asked in it: out of the response rate (counted opened in SURVEY_ANSWER_WINDOWS).
                latest("window_closed", closed.getOccurredAt());
            case WindowClosedMeasurement closed -> {
                counter(
                                WINDOWS_CLOSED,
                                "Customer service windows closed, with or without a business reply",
                                Tags.of(
                                        "phone_number_id", closed.getPhoneNumberId(),
                                        "outcome", closed.getBusinessReplied() ? "replied" : "unreplied",
                                        "customer_waiting", Boolean.toString(closed.getCustomerWaitingSince() != null),
                                        "close_reason", tag(closed.getCloseReason()),
                                        "late", Boolean.toString(closed.getLate())))
                        .increment();
                latest("window_closed", closed.getOccurredAt());
            }
            case DeliveryLatencyMeasurement delivery -> {
                timer(
                                DELIVERY_LATENCY,
                                "From the sent status to the delivered status of a business message",
                                Tags.of(
                                        "phone_number_id", delivery.getPhoneNumberId(),
                                        "category", tag(delivery.getCategory())))
                        .record(Duration.ofMillis(delivery.getLatencyMillis()));
                latest("delivery_latency", delivery.getOccurredAt());
            }
            case ReadLatencyMeasurement read -> {
                timer(
                                READ_LATENCY,
                                "From the delivered status to the read status of a business message",
                                Tags.of(
                                        "phone_number_id", read.getPhoneNumberId(),
                                        "category", tag(read.getCategory())))
                        .record(Duration.ofMillis(read.getLatencyMillis()));
                latest("read_latency", read.getOccurredAt());
            }
            case MessageFailureMeasurement failure -> {
                counter(
                                MESSAGES_FAILED,
                                "Business messages that failed, by Meta error code",
                                Tags.of(
                                        "phone_number_id", failure.getPhoneNumberId(),
                                        "error_code",
                                                failure.getErrorCode() == null
                                                        ? "none"
                                                        : failure.getErrorCode().toString(),
                                        "stage", tag(failure.getStage()),
                                        "category", tag(failure.getCategory())))
                        .increment();
                latest("failure", failure.getOccurredAt());
            }
            case MessageSentMeasurement sent -> {
                Tags tags = Tags.of(
                        "phone_number_id", sent.getPhoneNumberId(),
                        "category", tag(sent.getCategory()),
                        "pricing_type", tag(sent.getPricingType()));
                counter(
                                MESSAGES_SENT,
                                "Messages Janela sent, by predicted category and pricing type",
                                tags.and("responder_kind", tag(sent.getResponderKind())))
                        .increment();
                if (sent.getEstimatedCost() != null) {
                    counter(
                                    ESTIMATED_COST,
                                    "Estimated cost of the messages Janela sent, from the rate card",
                                    tags.and("currency", sent.getCurrency() == null ? "unknown" : sent.getCurrency()))
                            .increment(sent.getEstimatedCost().doubleValue());
                }
                latest("message_sent", sent.getOccurredAt());
            }
            case MessagePricingMeasurement priced -> {
                counter(
                                MESSAGES_PRICED,
                                "Business messages as Meta priced them, beside the predicted pricing",
                                Tags.of(
                                        "phone_number_id", priced.getPhoneNumberId(),
                                        "category", tag(priced.getCategory()),
                                        "pricing_type", tag(priced.getPricingType()),
                                        "predicted_category", tagOrNone(priced.getPredictedCategory()),
                                        "predicted_pricing_type", tagOrNone(priced.getPredictedPricingType())))
                        .increment();
                latest("message_priced", priced.getOccurredAt());
            }
            case ResolutionMeasurement resolution -> {
                counter(
                                RESOLUTIONS,
                                "Conversations resolved, by whether the customer wrote again within the reopen time",
                                Tags.of(
                                        "phone_number_id", resolution.getPhoneNumberId(),
                                        "team", slaTargets.teamLabel(resolution.getTeam()),
                                        "outcome", resolution.getReopened() ? "reopened" : "held"))
                        .increment();
                latest("resolution", resolution.getOccurredAt());
            }
            case SurveyEvent survey -> survey(survey);
            case CallEvent call -> call(call);
            default ->
                throw new IllegalArgumentException(
                        "not a measurement: " + measurement.getSchema().getFullName());
        }
    }

    /**
     * A survey-service event (whatsapp.survey-events, written exactly once by its Streams transaction and read
     * committed): every kind counts in {@code janela.surveys}; an ANSWERED one also counts its score in
     * {@code janela.survey.responses}. The agent is never a label (per-agent figures belong to the summary API).
     */
    private void survey(SurveyEvent survey) {
        String path = tag(survey.getPath());
        counter(
                        SURVEYS,
                        "Satisfaction surveys by what became of them: sent, delivered, skipped (with reason), answered, expired, cancelled",
                        Tags.of(
                                "phone_number_id",
                                survey.getPhoneNumberId(),
                                "kind",
                                tag(survey.getKind()),
                                "path",
                                path,
                                "reason",
                                survey.getKind() == SurveyEventKind.SKIPPED ? tag(survey.getSkipReason()) : "none",
                                "team",
                                slaTargets.teamLabel(survey.getTeam())))
                .increment();
        if (survey.getKind() == SurveyEventKind.ANSWERED) {
            Integer score = survey.getScore();
            counter(
                            SURVEY_RESPONSES,
                            "Satisfaction survey answers by score (1 to 5)",
                            Tags.of(
                                    "phone_number_id",
                                    survey.getPhoneNumberId(),
                                    "path",
                                    path,
                                    "score",
                                    score == null || score < 1 || score > 5 ? "unknown" : score.toString(),
                                    "team",
                                    slaTargets.teamLabel(survey.getTeam())))
                    .increment();
        }
        latest("survey", survey.getOccurredAt());
    }

    /**
     * A calls webhook item (whatsapp.call-events, written by ingress): counted by direction, event and status, so
     * that calls customers placed ({@code user_initiated}, {@code connect}), completed or failed calls
     * ({@code terminate} with {@code completed} / {@code failed}) and calls the business placed by their answer
     * ({@code status} with {@code ringing}, {@code accepted}, {@code rejected}) can be read apart. A call answers no
     * waiting customer in the response metrics (README, "Calls"). Ingress writes a delivery Meta retried as a
     * byte-identical record; the recorder remembers the last {@value #RECENT_CALL_EVENTS} (call id, event, status) it
     * counted and counts a repeat once (after a restart, what it had counted is forgotten with the counters Prometheus
     * sees reset, so nothing is lost; a repeat that lands more than that many call events later counts again).
     */
    private void call(CallEvent call) {
        String identity = call.getCallId() + '|' + call.getEvent() + '|' + call.getStatus();
        if (recentCallEvents.putIfAbsent(identity, Boolean.TRUE) != null) {
            return;
        }
        counter(
                        CALLS,
                        "WhatsApp calls by direction, event (connect, terminate, business call status) and status",
                        Tags.of(
                                "phone_number_id", call.getPhoneNumberId(),
                                "direction", tag(call.getDirection()),
                                "event", tag(call.getEvent()),
                                "status", tagOrNone(call.getStatus())))
                .increment();
        latest("call", call.getTimestamp());
    }

    /**
     * Partitions this instance handed to another while it kept running, and whether a scrape had shown everything it
     * recorded of them first (else what it recorded since the last scrape is lost if this process ends before the
     * next one).
     */
    void handedOver(boolean scraped, int partitions) {
        counter(
                        HANDOVERS,
                        "Measurement partitions handed to another instance, by whether a scrape showed all they recorded",
                        Tags.of("scraped", Boolean.toString(scraped)))
                .increment(partitions);
    }

    /** Counts a response met or breached against the target of its number and team, if one applies. */
    private void sla(SlaTargets.Kind kind, String phoneNumberId, String team, Instant from, Instant to) {
        SlaTargets.Verdict verdict = slaTargets.verdict(kind, phoneNumberId, team, from, to, schedules);
        if (verdict != null) {
            slaCounter(verdict, verdict.met()).increment();
        }
    }

    private Counter slaCounter(SlaTargets.Verdict verdict, boolean met) {
        return counter(
                SLA_RESPONSES,
                "Responses measured against their SLA target, met or breached, by number, team, target and clock",
                Tags.of(
                        "phone_number_id", verdict.target().phoneNumberId(),
                        "team", verdict.teamLabel(),
                        "target", verdict.kind().label(),
                        "clock", verdict.target().clock().label(),
                        "result", met ? "met" : "breached"));
    }

    /** Business time of {@code [from, to)}, in the schedule in force at {@code to} (the answer). */
    private Duration businessTime(String phoneNumberId, Instant from, Instant to) {
        return schedules.businessTime(phoneNumberId, from, to);
    }

    private Timer timer(String name, String description, Tags tags) {
        return timer(name, description, tags, BUCKETS);
    }

    private Timer timer(String name, String description, Tags tags, Duration[] buckets) {
        return Timer.builder(name)
                .description(description)
                .tags(tags)
                .serviceLevelObjectives(buckets)
                .register(registry);
    }

    private static Duration[] headroomBuckets() {
        List<Duration> buckets = new ArrayList<>();
        for (Duration bucket : BUCKETS) {
            if (bucket.compareTo(Duration.ofHours(12)) <= 0) {
                buckets.add(bucket);
            }
        }
        for (int hour = 13; hour <= 24; hour++) {
            buckets.add(Duration.ofHours(hour));
        }
        return buckets.toArray(Duration[]::new);
    }

    private Counter counter(String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    private void latest(String measurement, Instant occurredAt) {
        AtomicLong value = latest.computeIfAbsent(measurement, kind -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder(LATEST, holder, AtomicLong::get)
                    .description("Event time (epoch seconds) of the newest measurement recorded, by kind")
                    .baseUnit("seconds")
                    .tag("measurement", kind)
                    .register(registry);
            return holder;
        });
        value.accumulateAndGet(occurredAt.getEpochSecond(), Math::max);
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    private static String tag(Enum<?> symbol) {
        return symbol == null ? "unknown" : symbol.name().toLowerCase(Locale.ROOT);
    }

    private static String tagOrNone(Enum<?> symbol) {
        return symbol == null ? "none" : tag(symbol);
    }
}
