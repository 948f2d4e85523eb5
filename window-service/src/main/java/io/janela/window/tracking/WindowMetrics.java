package io.janela.window.tracking;

import io.janela.avro.WindowEventType;
import io.janela.window.rules.IgnoreReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
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
    static final String APPLIED = "janela.window.records.applied";
    static final String OPEN = "janela.windows.open";
    static final String PUNCTUATION = "janela.window.punctuation.duration";
    static final String DEADLINES = "janela.window.deadlines.processed";
    static final String CLOSE_DELAY = "janela.window.close.delay";
    static final String ALIASES = "janela.window.aliases.published";
    public static final String INDEX_REBUILD = "janela.window.deadline.index.rebuild";

    private final MeterRegistry registry;
    private final Timer punctuation;
    private final Timer closeDelay;
    private final Counter aliases;
    private final Timer indexRebuild;
    private final Map<String, Map<Object, AtomicLong>> openByPhoneNumber = new ConcurrentHashMap<>();
    /** Counters by their tag values: registering (building a meter id, hashing tags) on every record costs more. */
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

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
        // Pre-registered at 0: a panel shows calls and app replies before the first one comes.
        for (Source source : List.of(Source.CALL, Source.ECHO, Source.USER_ID_CHANGE)) {
            applied(source, 0);
        }
        this.indexRebuild = Timer.builder(INDEX_REBUILD)
                .description(
                        "From a task's start until its contacts' deadlines were back in the index (records flow meanwhile)")
                .register(registry);
    }

    void event(WindowEventType type, String phoneNumberId) {
        counter(EVENTS, "Window events emitted", "type", type.name(), "phone_number_id", phoneNumberId)
                .increment();
    }

    void ignored(Source source, IgnoreReason reason) {
        counter(
                        IGNORED,
                        "Records that left the window as it was (late, duplicate, not qualifying...)",
                        "source",
                        source.tag(),
                        "reason",
                        reason.name().toLowerCase(Locale.ROOT))
                .increment();
    }

    /** A call or an app reply that changed a contact's state (a window opened or refreshed, a reply counted). */
    void applied(Source source) {
        applied(source, 1);
    }

    private void applied(Source source, int count) {
        counter(
                        APPLIED,
                        "Calls, Business-app replies and user id changes that changed a contact's state",
                        "source",
                        source.tag())
                .increment(count);
    }

    void invalid(Source source, InvalidRecordException.Reason reason) {
        counter(
                        INVALID,
                        "Records sent to the dead-letter topic because they break the contract",
                        "source",
                        source.tag(),
                        "reason",
                        reason.name().toLowerCase(Locale.ROOT))
                .increment();
    }

    private Counter counter(String name, String description, String... tags) {
        List<String> id = new java.util.ArrayList<>(tags.length + 1);
        id.add(name);
        id.addAll(List.of(tags));
        return counters.computeIfAbsent(
                id,
                key -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    void punctuation(Duration took, int processed) {
        punctuation.record(took);
        if (processed > 0) {
            counter(DEADLINES, "Deadlines the punctuator acted on").increment(processed);
        }
    }

    void closeDelay(Duration delay) {
        closeDelay.record(delay.isNegative() ? Duration.ZERO : delay);
    }

    void indexRebuilt(Duration took) {
        indexRebuild.record(took);
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
        DISPATCH("dispatch"),
        /** whatsapp.call-events: calls that open or refresh the window. */
        CALL("call"),
        /** whatsapp.message-echoes: replies sent from the WhatsApp Business app. */
        ECHO("echo"),
        /** whatsapp.account-events: user_id_update. */
        USER_ID_CHANGE("user_id_change"),
        /** The handovers topic: a contact's state arriving under its new user id. */
        HANDOVER("handover"),
        /** The punctuator's deadline index. */
        DEADLINE("deadline");

        private final String tag;

        Source(String tag) {
            this.tag = tag;
        }

        String tag() {
            return tag;
        }
    }
}
