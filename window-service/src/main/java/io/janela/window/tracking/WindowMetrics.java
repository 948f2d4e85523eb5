package io.janela.window.tracking;

import io.janela.avro.WindowEventType;
import io.janela.window.rules.IgnoreReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The window-service's meters (README "Metrics"). Tags come from closed sets, plus the business phone number id
 * (a company has a handful); never a contact.
 */
public final class WindowMetrics {

    static final String EVENTS = "janela.window.events";
    static final String IGNORED = "janela.window.records.ignored";
    static final String INVALID = "janela.window.records.invalid";
    static final String OPEN = "janela.windows.open";
    static final String PUNCTUATION = "janela.window.punctuation.duration";
    static final String DEADLINES = "janela.window.deadlines.processed";
    static final String CLOSE_DELAY = "janela.window.close.delay";
    static final String ALIASES = "janela.window.aliases.published";

    private final MeterRegistry registry;
    private final Timer punctuation;
    private final Timer closeDelay;
    private final Counter aliases;
    private final Map<String, Map<Object, AtomicLong>> openByPhoneNumber = new ConcurrentHashMap<>();

    public WindowMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.punctuation = Timer.builder(PUNCTUATION)
                .description("Time one punctuation took to find and act on due deadlines")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.closeDelay = Timer.builder(CLOSE_DELAY)
                .description("From a window's expiry to the punctuation that closed it (wall clock)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        this.aliases = Counter.builder(ALIASES)
                .description("Phone numbers published to the contact aliases topic")
                .register(registry);
    }

    void event(WindowEventType type, String phoneNumberId) {
        Counter.builder(EVENTS)
                .description("Window events emitted")
                .tag("type", type.name())
                .tag("phone_number_id", phoneNumberId)
                .register(registry)
                .increment();
    }

    void ignored(Source source, IgnoreReason reason) {
        Counter.builder(IGNORED)
                .description("Records that left the window as it was (late, duplicate, not qualifying...)")
                .tag("source", source.tag())
                .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    void invalid(Source source, InvalidRecordException.Reason reason) {
        Counter.builder(INVALID)
                .description("Records sent to the dead-letter topic because they break the contract")
                .tag("source", source.tag())
                .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    void punctuation(Duration took, int processed) {
        punctuation.record(took);
        if (processed > 0) {
            Counter.builder(DEADLINES)
                    .description("Deadlines the punctuator acted on")
                    .register(registry)
                    .increment(processed);
        }
    }

    void closeDelay(Duration delay) {
        closeDelay.record(delay.isNegative() ? Duration.ZERO : delay);
    }

    void aliasPublished() {
        aliases.increment();
    }

    /**
     * The open-window count of one phone number in one task, summed by the gauge over the tasks this instance runs.
     * A task's processor registers its counters when it starts and {@linkplain #forgetOpenWindows forgets} them when
     * it closes (the task may move to another instance, which then reports them).
     */
    AtomicLong openWindows(Object task, String phoneNumberId) {
        Map<Object, AtomicLong> byTask = openByPhoneNumber.computeIfAbsent(phoneNumberId, id -> {
            Map<Object, AtomicLong> tasks = new ConcurrentHashMap<>();
            Gauge.builder(OPEN, tasks, WindowMetrics::sum)
                    .description("Customer service windows open now (this instance's tasks)")
                    .tag("phone_number_id", id)
                    .register(registry);
            return tasks;
        });
        return byTask.computeIfAbsent(task, t -> new AtomicLong());
    }

    void forgetOpenWindows(Object task) {
        openByPhoneNumber.values().forEach(tasks -> tasks.remove(task));
    }

    private static double sum(Map<Object, AtomicLong> tasks) {
        return tasks.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Where a record came from, for the {@code source} tag. */
    enum Source {
        INBOUND("inbound"),
        STATUS("status"),
        DISPATCH("dispatch");

        private final String tag;

        Source(String tag) {
            this.tag = tag;
        }

        String tag() {
            return tag;
        }
    }
}
