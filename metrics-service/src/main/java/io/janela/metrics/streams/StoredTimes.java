package io.janela.metrics.streams;

import java.time.Instant;

/**
 * Meta's event times as the state stores keep them: epoch milliseconds in plain Avro longs. The store schemas carry no
 * {@code timestamp-millis} logical type (the bytes are the same) so that Avro generates its custom coders for them:
 * the stores are written on almost every record, and the generic schema walk was a fifth of the stream thread's time.
 */
public final class StoredTimes {

    private StoredTimes() {}

    public static long millis(Instant instant) {
        return instant.toEpochMilli();
    }

    public static Long millisOrNull(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    public static Instant instant(long millis) {
        return Instant.ofEpochMilli(millis);
    }

    public static Instant instantOrNull(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
