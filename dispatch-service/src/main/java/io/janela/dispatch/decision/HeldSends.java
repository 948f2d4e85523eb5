package io.janela.dispatch.decision;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.janela.avro.SendCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
    record Held(String key, String portfolio, Instant heldAt, long sequence, SendCommand command) {

        /** Its place, to be decided again through the decision and put back there if it must wait again. */
        Place place() {
            return new Place(portfolio, heldAt, sequence);
        }
    }

    /**
     * Where a held send was held: its portfolio, when it was held and its sequence. A send that leaves the hold is
     * decided again by the decision step ({@link DecideProcessor}), with its contact's window, and comes back to the
     * messaging limit when it is still business-initiated; its place travels with it in the record header {@link
     * #HEADER} (Kafka Streams keeps headers through repartition topics and the window join), so that the decision
     * knows it already passed the hold (it is no duplicate and never waits for a window) and the limit can put it
     * back in its place.
     */
    record Place(String portfolio, Instant heldAt, long sequence) {

        static final String HEADER = "janela-held-send";

        /** The reservation's id in {@link PortfolioReach}: unique within the portfolio. */
        String id() {
            return digits(heldAt.toEpochMilli()) + SEPARATOR + digits(sequence);
        }

        Headers headers() {
            RecordHeaders headers = new RecordHeaders();
            headers.add(HEADER, (heldAt.toEpochMilli() + "|" + sequence + "|" + portfolio).getBytes(UTF_8));
            return headers;
        }

        /** The place a record's headers carry; empty for any other record. */
        static Optional<Place> of(Headers headers) {
            Header header = headers == null ? null : headers.lastHeader(HEADER);
            if (header == null || header.value() == null) {
                return Optional.empty();
            }
            String value = new String(header.value(), UTF_8);
            int first = value.indexOf(SEPARATOR);
            int second = value.indexOf(SEPARATOR, first + 1);
            return Optional.of(new Place(
                    value.substring(second + 1),
                    Instant.ofEpochMilli(Long.parseLong(value.substring(0, first))),
                    Long.parseLong(value.substring(first + 1, second))));
        }
    }

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
                        Long.parseLong(key.substring(sequenceAt + 1)),
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
