package io.janela.dispatch.send;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.ThroughputLevel;
import io.janela.dispatch.business.BusinessNumber;
import io.janela.dispatch.config.DispatchProperties;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The throughput level Meta reports for each configured business number (THROUGHPUT account events, from {@code
 * phone_number_quality_update} THROUGHPUT_UPGRADE / THROUGHPUT_DOWNGRADE), and the limit that follows from it:
 *
 * <ul>
 *   <li>a number with {@code throughput-pinned} keeps its configured {@code throughput-limit} (source {@code pinned});
 *   <li>until Meta has reported a level for the number, its {@code throughput-limit} applies (source {@code
 *       configured});
 *   <li>otherwise the newest report by Meta's time: STANDARD and HIGH map to {@code throughput-levels.standard} and
 *       {@code .high}; NOT_APPLICABLE and UNKNOWN have no figure, and the {@code throughput-limit} applies (source
 *       {@code not_applicable}, {@code unknown}).
 * </ul>
 *
 * Meta redelivers webhooks late and out of order: a report older than the one held for the same number never replaces
 * it (equal times: the later record wins). A report names its number by phone number id when the webhook carried one,
 * else by display phone number (Meta's own shape), matched against the configured numbers' {@code
 * display-phone-number} (digits only) within the same business account. Reports are kept per topic key, so that a
 * tombstone removes its key's report and the number falls back to its other reports, or to its configured limit.
 * Thread-safe: the topic's reader adds reports, the send loop reads limits.
 *
 * <p>Each report read is told to a {@link Heard} listener (the sender's metrics) with the number it is of. A report
 * by display number that matches no configured number is told for each configured number of the same business account
 * without a {@code display-phone-number} (not pinned): Meta may be reporting on one of them, which Janela cannot tell;
 * the alert JanelaThroughputLevelNotFollowed then names it.
 */
final class ThroughputReports {

    private static final Logger log = LoggerFactory.getLogger(ThroughputReports.class);

    /** Source of a limit: the configured {@code throughput-limit} because Meta has reported no level. */
    static final String CONFIGURED = "configured";
    /** Source of a limit: the configured {@code throughput-limit} of a pinned number. */
    static final String PINNED = "pinned";

    /**
     * A number's limit and where it comes from.
     *
     * @param perSecond messages per second, all instances together
     * @param source {@link #CONFIGURED}, {@link #PINNED}, or the level Meta reported, lower case (standard, high,
     *     not_applicable, unknown): a closed set, for a metric tag
     */
    record Limit(int perSecond, String source) {}

    /** A report held: the number it is of, its level, Meta's time, and its order of arrival (for equal times). */
    private record Report(String phoneNumberId, ThroughputLevel level, Instant at, long arrival) {

        boolean newerThan(Report other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime > 0 : arrival > other.arrival;
        }
    }

    /** Told of each throughput report read. */
    @FunctionalInterface
    interface Heard {
        /**
         * @param phoneNumberId the configured number the report is of, or (matched false) may be of
         * @param level the level reported, lower case (standard, high, not_applicable, unknown)
         * @param matched whether the report names the number (by id or display number)
         */
        void report(String phoneNumberId, String level, boolean matched);
    }

    private final List<BusinessNumber> numbers;
    private final DispatchProperties.ThroughputLevels levels;
    private final Heard heard;
    private final Map<String, Report> byKey = new HashMap<>();
    /** Numbers already warned of a level above their configured limit ({@link #warnWhenRaisedAboveConfigured}). */
    private final Set<String> warned = new HashSet<>();

    private long arrivals;

    ThroughputReports(Collection<BusinessNumber> numbers, DispatchProperties.ThroughputLevels levels) {
        this(numbers, levels, (phoneNumberId, level, matched) -> {});
    }

    ThroughputReports(Collection<BusinessNumber> numbers, DispatchProperties.ThroughputLevels levels, Heard heard) {
        this.numbers = List.copyOf(numbers);
        this.levels = levels;
        this.heard = heard;
    }

    /**
     * Takes one record of whatsapp.account-events in (of any kind; a null value is a tombstone of {@code key}).
     * Returns whether it changed what is held.
     */
    synchronized boolean accept(String key, AccountEvent event) {
        if (key == null) {
            return false;
        }
        if (event == null) {
            return byKey.remove(key) != null;
        }
        if (event.getKind() != AccountEventKind.THROUGHPUT || event.getTimestamp() == null) {
            return false;
        }
        ThroughputLevel level =
                event.getThroughputLevel() == null ? ThroughputLevel.UNKNOWN : event.getThroughputLevel();
        String levelName = level.name().toLowerCase(Locale.ROOT);
        BusinessNumber number = numberOf(event);
        if (number == null) {
            for (BusinessNumber candidate : candidates(event)) {
                heard.report(candidate.phoneNumberId(), levelName, false);
            }
            return false;
        }
        heard.report(number.phoneNumberId(), levelName, true);
        Report report = new Report(number.phoneNumberId(), level, event.getTimestamp(), arrivals++);
        Report held = byKey.get(key);
        if (held != null && !report.newerThan(held)) {
            return false;
        }
        // Each report has a key of its own (AccountEventKey puts Meta's time in it), so an older report read after a
        // newer one is held too, but it changes nothing: the number follows its newest report.
        byKey.put(key, report);
        if (newest(number.phoneNumberId()) != report) {
            return false;
        }
        warnWhenRaisedAboveConfigured(number);
        return true;
    }

    /**
     * A number not pinned follows Meta's level, also above its configured {@code throughput-limit}: that is the design,
     * but a limit set low on purpose (a coexistence number's 20/s) and left unpinned would be overrun, Meta refusing
     * 130429 at every start. Said once per number and run, naming the setting that keeps the configured limit.
     */
    private void warnWhenRaisedAboveConfigured(BusinessNumber number) {
        Limit now = limit(number);
        if (now.perSecond() > number.throughputLimit() && warned.add(number.phoneNumberId())) {
            log.warn(
                    "Business number {}: Meta reports throughput level {} ({}/s), above its configured throughput-limit"
                            + " of {}/s; following Meta. Set throughput-pinned=true to keep {}/s (a coexistence number"
                            + " is fixed at 20/s whatever the level).",
                    number.phoneNumberId(),
                    now.source(),
                    now.perSecond(),
                    number.throughputLimit(),
                    number.throughputLimit());
        }
    }

    /** The limit a number is paced at now. */
    synchronized Limit limit(BusinessNumber number) {
        if (number.throughputPinned()) {
            return new Limit(number.throughputLimit(), PINNED);
        }
        Report newest = newest(number.phoneNumberId());
        if (newest == null) {
            return new Limit(number.throughputLimit(), CONFIGURED);
        }
        String source = newest.level().name().toLowerCase(Locale.ROOT);
        return switch (newest.level()) {
            case STANDARD -> new Limit(levels.standard(), source);
            case HIGH -> new Limit(levels.high(), source);
            case NOT_APPLICABLE, UNKNOWN -> new Limit(number.throughputLimit(), source);
        };
    }

    /** Meta's time of the report a number's limit follows; null when none. */
    synchronized Instant reportedAt(String phoneNumberId) {
        Report newest = newest(phoneNumberId);
        return newest == null ? null : newest.at();
    }

    /** The report a number follows: its newest by Meta's time (equal times: the later record); null when none. */
    private Report newest(String phoneNumberId) {
        Report newest = null;
        for (Report report : byKey.values()) {
            if (report.phoneNumberId().equals(phoneNumberId) && (newest == null || report.newerThan(newest))) {
                newest = report;
            }
        }
        return newest;
    }

    List<BusinessNumber> numbers() {
        return numbers;
    }

    /** The configured number a report is of: by phone number id, else by display number in the same account. */
    private BusinessNumber numberOf(AccountEvent event) {
        if (event.getPhoneNumberId() != null) {
            for (BusinessNumber number : numbers) {
                if (number.phoneNumberId().equals(event.getPhoneNumberId())) {
                    return number;
                }
            }
            return null;
        }
        String display = digits(event.getDisplayPhoneNumber());
        if (display.isEmpty()) {
            return null;
        }
        for (BusinessNumber number : numbers) {
            if (display.equals(digits(number.displayPhoneNumber()))
                    && (event.getWabaId() == null || event.getWabaId().equals(number.wabaId()))) {
                return number;
            }
        }
        return null;
    }

    /**
     * The configured numbers a report that matched none may be of: Meta named it by display number, and these numbers
     * of its business account have none configured to match it against.
     */
    private List<BusinessNumber> candidates(AccountEvent event) {
        if (event.getPhoneNumberId() != null
                || digits(event.getDisplayPhoneNumber()).isEmpty()) {
            return List.of();
        }
        return numbers.stream()
                .filter(number -> digits(number.displayPhoneNumber()).isEmpty())
                .filter(number -> !number.throughputPinned())
                .filter(number -> event.getWabaId() == null || event.getWabaId().equals(number.wabaId()))
                .toList();
    }

    private static String digits(String phoneNumber) {
        return phoneNumber == null ? "" : phoneNumber.replaceAll("[^0-9]", "");
    }
}
