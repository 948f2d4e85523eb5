package io.janela.dispatch.send;

import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The sender's meters (tags from closed sets; a business phone number id is allowed: a company has a handful):
 *
 * <ul>
 *   <li>{@code janela.dispatch.sends} (counter), tags {@code phone_number_id}, {@code answer} (accepted, refused,
 *       unanswered): calls to Meta;
 *   <li>{@code janela.dispatch.send.duration} (timer), tag {@code phone_number_id}: Meta's answer time;
 *   <li>{@code janela.dispatch.send.errors} (counter), tags {@code phone_number_id}, {@code error_class} (retry, throttled,
 *       downtime, pair_limit, reengagement, in_doubt, terminal);
 *   <li>{@code janela.dispatch.results} (counter), tags {@code kind}, {@code outcome}: results the sender published;
 *   <li>{@code janela.dispatch.sender.held} (gauge): send commands held (queued, in flight, in doubt);
 *   <li>{@code janela.dispatch.sender.in.doubt} (gauge): sends whose acceptance by Meta is not known yet;
 *   <li>{@code janela.dispatch.sender.commits} (timer): the sender's transactions (attempts journaled, results and
 *       offsets committed) and how long each took;
 *   <li>{@code janela.dispatch.sender.registry.unavailable} (counter), tag {@code reader} (send_commands,
 *       message_statuses): records read again because the schema registry could not be reached;
 *   <li>{@code janela.dispatch.sender.in.doubt.settled} (counter), tag {@code settlement} (confirmed, resent,
 *       send_in_doubt): sends in doubt settled, by how;
 *   <li>{@code janela.dispatch.sender.calls.withheld} (counter), tag {@code reason} (stale, not_held): journaled calls
 *       the pacer did not make, because their journal entry was stale or their partition no longer held;
 *   <li>{@code janela.dispatch.sender.call.departure} (timer): how long after the pacer started a call its request
 *       was written to the connection (the HTTP client's event loop and connection pool); counted at departures,
 *       the pacer counts a call against the number's limit from its start to then, and at its departure after
 *       (counted at answers, the default, until and at its answer);
 *   <li>{@code janela.dispatch.throughput.rate} (gauge), tags {@code phone_number_id}, {@code throughput_level}
 *       (configured, pinned, standard, high, not_applicable, unknown: where the number's limit comes from, see {@link
 *       ThroughputReports}): the messages per second this instance aims at for the number (its share of the number's
 *       limit). One series per number: when the level changes, the series of the old one is removed;
 *   <li>{@code janela.dispatch.throughput.reports} (counter), tags {@code phone_number_id} (a configured number),
 *       {@code throughput_level} (standard, high, not_applicable, unknown), {@code matched} (true: the report names the
 *       number; false: it names a display number no configured number has, and this number of the same account has no
 *       {@code display-phone-number} to tell): Meta's throughput reports read since the instance started (the whole
 *       topic is read at start, so they are counted again after a restart). Created at the first report.
 * </ul>
 */
final class SenderMetrics {

    /** {@code reader} of {@code janela.dispatch.sender.registry.unavailable}: the sender's own commands. */
    static final String COMMANDS = "send_commands";
    /** {@code reader} of {@code janela.dispatch.sender.registry.unavailable}: the search for sends in doubt. */
    static final String STATUSES = "message_statuses";
    /** {@code reader} of {@code janela.dispatch.sender.registry.unavailable}: the journal load of an assignment. */
    static final String JOURNAL = "send_journal";
    /** {@code settlement}: a status webhook proved Meta accepted the send in doubt. */
    static final String CONFIRMED = InDoubtLog.CONFIRMED;
    /** {@code settlement}: statuses of later sends arrived without the send's: sent again. */
    static final String RESENT = InDoubtLog.RESENT;
    /** {@code settlement}: no evidence within the maximum wait: FAILED SEND_IN_DOUBT. */
    static final String SEND_IN_DOUBT = InDoubtLog.SEND_IN_DOUBT;
    /** {@code settlement}: proved lost, but no attempt left: FAILED RETRIES_EXHAUSTED. */
    static final String RETRIES_EXHAUSTED = InDoubtLog.RETRIES_EXHAUSTED;

    private final MeterRegistry registry;
    private final Map<String, Counter> registryFailures = new ConcurrentHashMap<>();
    private final Map<String, Counter> settlements = new ConcurrentHashMap<>();
    private final Map<String, RateGauge> rates = new ConcurrentHashMap<>();
    private final Map<FiringPacer.Reason, Counter> withheld = new ConcurrentHashMap<>();
    private final Timer departures;

    SenderMetrics(MeterRegistry registry, Supplier<Number> held, Supplier<Number> inDoubt) {
        this.registry = registry;
        for (String outcome : ThroughputQuestions.OUTCOMES) {
            throughputAskedCounter(outcome);
        }
        Gauge.builder("janela.dispatch.sender.held", held)
                .description("Send commands held by this instance")
                .register(registry);
        Gauge.builder("janela.dispatch.sender.in.doubt", inDoubt)
                .description("Sends whose acceptance by Meta is not known yet")
                .register(registry);
        // Pre-registered at 0: the alerts on them compare increases.
        for (String reader : new String[] {COMMANDS, STATUSES, JOURNAL}) {
            registryFailures.put(
                    reader,
                    Counter.builder("janela.dispatch.sender.registry.unavailable")
                            .description("Records the sender had to read again because the schema registry could"
                                    + " not be reached")
                            .tag("reader", reader)
                            .register(registry));
        }
        for (String settlement : new String[] {CONFIRMED, RESENT, SEND_IN_DOUBT, RETRIES_EXHAUSTED}) {
            settlements.put(
                    settlement,
                    Counter.builder("janela.dispatch.sender.in.doubt.settled")
                            .description("Sends in doubt settled, by how")
                            .tag("settlement", settlement)
                            .register(registry));
        }
        this.departures = Timer.builder("janela.dispatch.sender.call.departure")
                .description("How long after the pacer started a call its request was written")
                .register(registry);
        for (FiringPacer.Reason reason : FiringPacer.Reason.values()) {
            withheld.put(
                    reason,
                    Counter.builder("janela.dispatch.sender.calls.withheld")
                            .description("Journaled calls the pacer did not make: stale, or of a partition no longer"
                                    + " held")
                            .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
    }

    void departed(long nanosAfterStart) {
        departures.record(nanosAfterStart, TimeUnit.NANOSECONDS);
    }

    void withheld(FiringPacer.Reason reason) {
        withheld.get(reason).increment();
    }

    void registryUnavailable(String reader) {
        registryFailures.get(reader).increment();
    }

    void inDoubtSettled(String settlement) {
        inDoubtSettled(settlement, 1);
    }

    void inDoubtSettled(String settlement, int count) {
        settlements.get(settlement).increment(count);
    }

    void answered(String phoneNumberId, String answer, Duration took) {
        Counter.builder("janela.dispatch.sends")
                .description("Calls to Meta's send API")
                .tag("phone_number_id", phoneNumberId)
                .tag("answer", answer)
                .register(registry)
                .increment();
        Timer.builder("janela.dispatch.send.duration")
                .description("Time Meta took to answer a send")
                .tag("phone_number_id", phoneNumberId)
                .register(registry)
                .record(took);
    }

    void error(String phoneNumberId, ErrorClass errorClass) {
        Counter.builder("janela.dispatch.send.errors")
                .description("Sends Meta refused or left unanswered, by what it means")
                .tag("phone_number_id", phoneNumberId)
                .tag("error_class", errorClass.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    void committed(Duration took) {
        Timer.builder("janela.dispatch.sender.commits")
                .description("The sender's transactions")
                .register(registry)
                .record(took);
    }

    void result(DispatchResult result) {
        Counter.builder("janela.dispatch.results")
                .description("Results published by the sender")
                .tag("kind", result.getKind().name().toLowerCase(Locale.ROOT))
                .tag("outcome", result.getOutcome().name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
        if (result.getReason() == DispatchReason.SEND_IN_DOUBT) {
            inDoubtSettled(SEND_IN_DOUBT);
        }
    }

    /**
     * @param level where the number's limit comes from ({@link ThroughputReports.Limit#source()})
     */
    void rate(String phoneNumberId, String level, double perSecond) {
        RateGauge current = rates.get(phoneNumberId);
        if (current == null || !current.level().equals(level)) {
            if (current != null) {
                registry.remove(current.gauge());
            }
            // A double: one back-off step of a number shared by several instances is well under one message/s.
            AtomicLong holder = new AtomicLong(Double.doubleToLongBits(0));
            Gauge gauge = Gauge.builder(
                            "janela.dispatch.throughput.rate", holder, bits -> Double.longBitsToDouble(bits.get()))
                    .description("Messages per second this instance aims at for the number")
                    .tag("phone_number_id", phoneNumberId)
                    .tag("throughput_level", level)
                    .register(registry);
            current = new RateGauge(level, holder, gauge);
            rates.put(phoneNumberId, current);
        }
        current.holder().set(Double.doubleToLongBits(perSecond));
    }

    /** A throughput report read ({@link ThroughputReports.Heard}). */
    void throughputReport(String phoneNumberId, String level, boolean matched) {
        Counter.builder("janela.dispatch.throughput.reports")
                .description("Meta's throughput reports read, by the configured number they are (or may be) of")
                .tag("phone_number_id", phoneNumberId)
                .tag("throughput_level", level)
                .tag("matched", Boolean.toString(matched))
                .register(registry)
                .increment();
    }

    /** The answer to a question for a number's throughput level ({@link ThroughputQuestions#OUTCOMES}). */
    void throughputAsked(String outcome) {
        throughputAskedCounter(outcome).increment();
    }

    private Counter throughputAskedCounter(String outcome) {
        return Counter.builder("janela.dispatch.throughput.asked")
                .description("Questions to Meta for a number's throughput level at start, by how they ended")
                .tag("outcome", outcome)
                .register(registry);
    }

    /** A number's rate gauge, and the level it is tagged with. */
    private record RateGauge(String level, AtomicLong holder, Gauge gauge) {}
}
