package io.janela.dispatch.send;

import io.janela.dispatch.business.BusinessNumber;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Each business number's rate on this instance, and what follows from it for the pacer: the number's limit (its
 * configured {@code throughput-limit}, or what Meta's throughput report sets: {@link ThroughputReports}) shared by
 * the send-commands partitions held ({@link ThroughputShares}) times {@code throughput-share}; how many calls are
 * journaled ahead of the pacer ({@code lookahead} worth, in batches); and until when a journaled call may still be
 * made. Single-threaded: the send loop owns it (the pacer gets its own copy of the rates).
 */
final class NumberRates {

    private final Collection<BusinessNumber> numbers;
    private final double throughputShare;
    private final Duration lookahead;
    private final Duration catchUp;
    private final Function<BusinessNumber, ThroughputReports.Limit> limits;
    private final RateBackoff backoff;
    private final Map<String, Double> rates = new HashMap<>();
    private final Map<String, ThroughputReports.Limit> applied = new HashMap<>();
    /** Numbers whose pacer is being refilled: calls are journaled until a full lookahead is waiting. */
    private final Set<String> refilling = new HashSet<>();

    /**
     * @param catchUp how late the pacer may make a call after its slot (its catch-up allowance)
     */
    NumberRates(Collection<BusinessNumber> numbers, double throughputShare, Duration lookahead, Duration catchUp) {
        this(
                numbers,
                number -> new ThroughputReports.Limit(number.throughputLimit(), ThroughputReports.CONFIGURED),
                throughputShare,
                lookahead,
                catchUp);
    }

    /**
     * @param limits each number's limit now (all instances together), and where it comes from
     * @param catchUp how late the pacer may make a call after its slot (its catch-up allowance)
     */
    NumberRates(
            Collection<BusinessNumber> numbers,
            Function<BusinessNumber, ThroughputReports.Limit> limits,
            double throughputShare,
            Duration lookahead,
            Duration catchUp) {
        this(numbers, limits, throughputShare, lookahead, catchUp, RateBackoff.none());
    }

    /**
     * @param limits each number's limit now (all instances together), and where it comes from
     * @param catchUp how late the pacer may make a call after its slot (its catch-up allowance)
     * @param backoff the share of its rate each number is paced at after Meta's refusals (130429)
     */
    NumberRates(
            Collection<BusinessNumber> numbers,
            Function<BusinessNumber, ThroughputReports.Limit> limits,
            double throughputShare,
            Duration lookahead,
            Duration catchUp,
            RateBackoff backoff) {
        this.numbers = List.copyOf(numbers);
        this.limits = limits;
        this.backoff = backoff;
        this.throughputShare = throughputShare;
        this.lookahead = lookahead;
        this.catchUp = catchUp;
    }

    /**
     * The rates for holding {@code held} of {@code partitionCount} partitions (messages/s by phone number id), at each
     * number's limit now, lowered by the back-off where Meta refused calls lately.
     */
    Map<String, Double> update(int partitionCount, Collection<Integer> held) {
        rates.clear();
        applied.clear();
        for (BusinessNumber number : numbers) {
            ThroughputReports.Limit limit = limits.apply(number);
            applied.put(number.phoneNumberId(), limit);
            rates.put(
                    number.phoneNumberId(),
                    ThroughputShares.rate(limit.perSecond(), partitionCount, held)
                            * throughputShare
                            * backoff.factor(number.phoneNumberId()));
        }
        return Map.copyOf(rates);
    }

    /** The limit each number's rate was last set from (by phone number id). */
    Map<String, ThroughputReports.Limit> limits() {
        return Map.copyOf(applied);
    }

    /**
     * Whether a number's pacer takes another call this step: calls are journaled {@code lookahead} ahead of the pacer,
     * in batches (refilled when half the lookahead is left), so that the transactions that journal them stay few and
     * the pacer never waits for one. One predicate per step: it counts the calls it let through.
     *
     * @param waiting the calls a number's pacer holds
     */
    Predicate<String> room(ToIntFunction<String> waiting) {
        Map<String, Integer> planned = new HashMap<>();
        return phoneNumberId -> {
            Double rate = rates.get(phoneNumberId);
            if (rate == null || rate <= 0) {
                return false;
            }
            int capacity = Math.max(1, (int) Math.ceil(rate * lookahead.toNanos() / 1e9));
            int held = waiting.applyAsInt(phoneNumberId) + planned.getOrDefault(phoneNumberId, 0);
            if (held < Math.max(1, capacity / 2)) {
                refilling.add(phoneNumberId);
            }
            if (!refilling.contains(phoneNumberId) || held >= capacity) {
                refilling.remove(phoneNumberId);
                return false;
            }
            planned.merge(phoneNumberId, 1, Integer::sum);
            return true;
        };
    }

    /**
     * Until when a call journaled at {@code journaledNanos} may be made: the lookahead it was journaled ahead of its
     * slot, one interval of its number's pace (the last call of a full lookahead waits that long), and the pacer's
     * catch-up allowance. Later, its journal entry is stale (see {@link FiringPacer}).
     */
    long fireBy(String phoneNumberId, long journaledNanos) {
        double rate = rates.getOrDefault(phoneNumberId, 0.0);
        long interval = rate > 0 ? (long) (1e9 / rate) : 0;
        return journaledNanos + lookahead.toNanos() + interval + catchUp.toNanos();
    }

    /** Forgets the refills under way (a new Kafka session). */
    void reset() {
        refilling.clear();
    }
}
