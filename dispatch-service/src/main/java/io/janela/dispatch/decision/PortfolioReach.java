package io.janela.dispatch.decision;

import io.janela.dispatch.policy.PortfolioLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The unique users each business portfolio reached with business-initiated messages in the moving 24 h, which Meta's
 * messaging limit counts (WHATSAPP.md §6.3), in one key-value store (changelogged, so it survives restarts):
 *
 * <ul>
 *   <li>{@code R|{portfolio}|{contact}} → the last time the contact was reached;
 *   <li>{@code T|{portfolio}|{time, 19 digits}|{contact}} → the same, ordered by time, to let the oldest go first;
 *   <li>{@code C|{portfolio}} → how many contacts are counted;
 *   <li>{@code P|{portfolio}|{held send}} → until when room is kept for a held send that left the hold and is being
 *       decided again (its user is counted only when it comes back to go; {@link #reserve}).
 * </ul>
 *
 * A contact reached again within 24 h is counted once (Meta counts unique users); it stays counted until 24 h after
 * its last business-initiated message. Only the processor of the portfolio's partition uses it.
 */
final class PortfolioReach {

    static final Duration WINDOW = Duration.ofHours(24);

    private static final char SEPARATOR = '|';
    private static final int TIME_DIGITS = 19;
    private static final StringSerializer PREFIX = new StringSerializer();

    private final KeyValueStore<String, Long> store;

    PortfolioReach(KeyValueStore<String, Long> store) {
        this.store = store;
    }

    /** What {@link #admit} found. */
    sealed interface Admission {
        /** The message may go; {@code newUser}: the contact was not counted in the moving 24 h before. */
        record Counted(boolean newUser) implements Admission {}

        /** The limit is reached; a new user can be reached again at {@code retryAfter}. */
        record Refused(long counted, Instant retryAfter) implements Admission {}
    }

    /**
     * Counts a business-initiated message to a contact at {@code now}, unless it would reach a new user beyond the
     * portfolio's limit.
     */
    Admission admit(String portfolio, String contact, Instant now, PortfolioLimit limit) {
        expire(portfolio, now);
        String reachedKey = reachedKey(portfolio, contact);
        Long last = store.get(reachedKey);
        if (last != null) {
            store.delete(timeKey(portfolio, last, contact));
            record(portfolio, contact, now);
            return new Admission.Counted(false);
        }
        long counted = count(portfolio);
        long reserved = reserved(portfolio, now);
        if (limit.limited() && counted + reserved >= limit.users()) {
            return new Admission.Refused(counted, roomAfter(portfolio, now, counted, reserved, limit));
        }
        record(portfolio, contact, now);
        store.put(countKey(portfolio), counted + 1);
        return new Admission.Counted(true);
    }

    /** Whether the contact is counted in the moving 24 h (a send to it takes no room). */
    boolean reached(String portfolio, String contact, Instant now) {
        expire(portfolio, now);
        return store.get(reachedKey(portfolio, contact)) != null;
    }

    /** Whether a new user may be reached now (room kept for held sends being decided again is taken). */
    boolean hasRoom(String portfolio, Instant now, PortfolioLimit limit) {
        return room(portfolio, now, limit) > 0;
    }

    /**
     * How many new users may be reached now (room kept for held sends being decided again is taken): 0 at the limit,
     * {@link Long#MAX_VALUE} without one.
     */
    long room(String portfolio, Instant now, PortfolioLimit limit) {
        if (!limit.limited()) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, limit.users() - count(portfolio, now) - reserved(portfolio, now));
    }

    /** When a new user may be reached: now when there is room; null when none will come (a limit of 0). */
    Instant roomAt(String portfolio, Instant now, PortfolioLimit limit) {
        long counted = count(portfolio, now);
        long reserved = reserved(portfolio, now);
        if (!limit.limited() || counted + reserved < limit.users()) {
            return now;
        }
        return roomAfter(portfolio, now, counted, reserved, limit);
    }

    /**
     * Keeps room for one new user until {@code until}, for the held send {@code held} while it is decided again: no
     * other send takes it meanwhile. It ends when the send comes back ({@link #unreserve}) or at {@code until}, so
     * that a send that never comes back (refused, or sent inside a window, on an instance of an earlier version)
     * keeps no room for ever.
     */
    void reserve(String portfolio, String held, Instant until) {
        store.put(reservedKey(portfolio, held), until.toEpochMilli());
    }

    void unreserve(String portfolio, String held) {
        store.delete(reservedKey(portfolio, held));
    }

    /** The room kept now for held sends being decided again (lapsed reservations removed). */
    private long reserved(String portfolio, Instant now) {
        long count = 0;
        List<String> lapsed = new ArrayList<>();
        try (KeyValueIterator<String, Long> reservations = store.prefixScan(reservedKey(portfolio, ""), PREFIX)) {
            while (reservations.hasNext()) {
                KeyValue<String, Long> entry = reservations.next();
                if (entry.value > now.toEpochMilli()) {
                    count++;
                } else {
                    lapsed.add(entry.key);
                }
            }
        }
        lapsed.forEach(store::delete);
        return count;
    }

    /** When room comes for one more new user: a reservation ends within seconds when no counted user leaves first. */
    private Instant roomAfter(String portfolio, Instant now, long counted, long reserved, PortfolioLimit limit) {
        Instant room = nextRoom(portfolio, counted + reserved - limit.users());
        return room == null && reserved > 0 && counted < limit.users() ? now : room;
    }

    /**
     * Whether this store counts the portfolio: it has counted a user of it since the store was created (the count stays,
     * at 0, once they have all left the moving 24 h). Only the task that owns the portfolio's partition does.
     */
    boolean holds(String portfolio) {
        return store.get(countKey(portfolio)) != null;
    }

    /** The contacts counted now (after expiring those reached 24 h ago or more). */
    long count(String portfolio, Instant now) {
        expire(portfolio, now);
        return count(portfolio);
    }

    private long count(String portfolio) {
        Long counted = store.get(countKey(portfolio));
        return counted == null ? 0 : counted;
    }

    /** Removes the contacts whose last business-initiated message is 24 h old or older. */
    private void expire(String portfolio, Instant now) {
        long oldest = now.minus(WINDOW).toEpochMilli();
        String prefix = timePrefix(portfolio);
        List<String> gone = new ArrayList<>();
        try (KeyValueIterator<String, Long> byTime = store.prefixScan(prefix, PREFIX)) {
            while (byTime.hasNext()) {
                KeyValue<String, Long> entry = byTime.next();
                if (entry.value > oldest) {
                    break;
                }
                gone.add(entry.key);
            }
        }
        for (String key : gone) {
            store.delete(key);
            store.delete(reachedKey(portfolio, key.substring(prefix.length() + TIME_DIGITS + 1)));
        }
        if (!gone.isEmpty()) {
            store.put(countKey(portfolio), Math.max(0, count(portfolio) - gone.size()));
        }
    }

    /** When the {@code (excess + 1)}-th oldest counted contact leaves the moving 24 h (room for one new user). */
    private Instant nextRoom(String portfolio, long excess) {
        long skipped = 0;
        try (KeyValueIterator<String, Long> byTime = store.prefixScan(timePrefix(portfolio), PREFIX)) {
            while (byTime.hasNext()) {
                KeyValue<String, Long> entry = byTime.next();
                if (skipped++ == excess) {
                    return Instant.ofEpochMilli(entry.value).plus(WINDOW);
                }
            }
        }
        return null; // a limit of 0: no room will come
    }

    private void record(String portfolio, String contact, Instant now) {
        long at = now.toEpochMilli();
        store.put(reachedKey(portfolio, contact), at);
        store.put(timeKey(portfolio, at, contact), at);
    }

    private static String reachedKey(String portfolio, String contact) {
        return "R" + SEPARATOR + portfolio + SEPARATOR + contact;
    }

    private static String timePrefix(String portfolio) {
        return "T" + SEPARATOR + portfolio + SEPARATOR;
    }

    private static String timeKey(String portfolio, long at, String contact) {
        return timePrefix(portfolio) + String.format("%0" + TIME_DIGITS + "d", at) + SEPARATOR + contact;
    }

    private static String countKey(String portfolio) {
        return "C" + SEPARATOR + portfolio;
    }

    private static String reservedKey(String portfolio, String held) {
        return "P" + SEPARATOR + portfolio + SEPARATOR + held;
    }
}
