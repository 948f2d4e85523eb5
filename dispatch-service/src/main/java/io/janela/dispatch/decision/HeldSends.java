package io.janela.dispatch.decision;

import io.janela.avro.SendCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Business-initiated sends held because their portfolio was at its messaging limit ({@link MessagingLimitProcessor},
 * {@code when-reached: hold}), in arrival order per portfolio, in changelogged stores (a held send survives restarts
 * and moves with its portfolio's partition):
 *
 * <ul>
 *   <li>{@link DecisionTopology#HELD_SENDS_STORE}: {@code H|{portfolio}|{held at, epoch ms, 19 digits}|{sequence, 19
 *       digits}} → the send command;
 *   <li>{@link DecisionTopology#PORTFOLIO_REACH_STORE}: {@code Q|{portfolio}} → how many are held (the bound is checked
 *       without a scan).
 * </ul>
 *
 * The sequence is the offset of the send's record on its portfolio's partition: unique, and in arrival order.
 */
final class HeldSends {

    private static final char SEPARATOR = '|';
    private static final int DIGITS = 19;
    private static final String HELD = "H" + SEPARATOR;
    private static final StringSerializer PREFIX = new StringSerializer();

    private final KeyValueStore<String, SendCommand> held;
    private final KeyValueStore<String, Long> counts;

    HeldSends(KeyValueStore<String, SendCommand> held, KeyValueStore<String, Long> counts) {
        this.held = held;
        this.counts = counts;
    }

    /** A held send. */
    record Held(String key, String portfolio, Instant heldAt, SendCommand command) {}

    void hold(String portfolio, Instant heldAt, long sequence, SendCommand command) {
        held.put(HELD + portfolio + SEPARATOR + digits(heldAt.toEpochMilli()) + SEPARATOR + digits(sequence), command);
        counts.put(countKey(portfolio), count(portfolio) + 1);
    }

    void remove(Held send) {
        held.delete(send.key());
        counts.put(countKey(send.portfolio()), Math.max(0, count(send.portfolio()) - 1));
    }

    /** How many of the portfolio's sends are held. */
    long count(String portfolio) {
        Long count = counts.get(countKey(portfolio));
        return count == null ? 0 : count;
    }

    /**
     * Whether this task has held a send of the portfolio since its store was created (the count stays, at 0): only the
     * task that owns the portfolio's partition reports its gauge.
     */
    boolean counts(String portfolio) {
        return counts.get(countKey(portfolio)) != null;
    }

    /** The portfolio's held sends, oldest first. */
    List<Held> of(String portfolio) {
        return scan(HELD + portfolio + SEPARATOR);
    }

    /** Every held send of this task, by portfolio, oldest first within each. */
    List<Held> all() {
        return scan(HELD);
    }

    private List<Held> scan(String prefix) {
        List<Held> found = new ArrayList<>();
        try (KeyValueIterator<String, SendCommand> entries = held.prefixScan(prefix, PREFIX)) {
            while (entries.hasNext()) {
                KeyValue<String, SendCommand> entry = entries.next();
                String key = entry.key;
                int sequenceAt = key.lastIndexOf(SEPARATOR);
                int heldAtAt = key.lastIndexOf(SEPARATOR, sequenceAt - 1);
                found.add(new Held(
                        key,
                        key.substring(HELD.length(), heldAtAt),
                        Instant.ofEpochMilli(Long.parseLong(key.substring(heldAtAt + 1, sequenceAt))),
                        entry.value));
            }
        }
        return found;
    }

    private static String countKey(String portfolio) {
        return "Q" + SEPARATOR + portfolio;
    }

    private static String digits(long value) {
        return String.format("%0" + DIGITS + "d", value);
    }
}
