package io.janela.serde;

import java.time.Duration;

/**
 * The pause before a record that could not be read because the schema registry was unreachable is read again: 100 ms,
 * doubling up to a maximum, back to the start after a read succeeds. A record is never skipped for a registry outage:
 * its partition waits, from the same offset. Only a record that fails for a reason of its own (bytes that are not
 * Avro, a schema id the registry does not know) is treated as corrupt. Single-threaded: one per reading loop.
 *
 * <p>Shared by every plain consumer that reads the contract (dispatch's sender, its journal load and its search for
 * sends in doubt; metrics' recorder), so that they all wait out an outage alike: quickly back after a blip, at most
 * every {@code max} during a long one.
 */
public final class RegistryRetry {

    private static final Duration INITIAL = Duration.ofMillis(100);

    private final Duration max;
    private int failures;

    public RegistryRetry(Duration max) {
        if (max == null || max.isNegative() || max.isZero()) {
            throw new IllegalArgumentException("the longest pause must be positive: " + max);
        }
        this.max = max;
    }

    /** Whether a read failed because the registry could not be reached, not because of the record. */
    public static boolean isTransient(Throwable failure) {
        return AvroDeserializer.isTransientRegistryFailure(failure);
    }

    /** Records a failed read; returns how long to wait before reading the record again. */
    public Duration failed() {
        failures++;
        Duration pause = INITIAL.multipliedBy(1L << Math.min(failures - 1, 20));
        return pause.compareTo(max) > 0 ? max : pause;
    }

    /** A read succeeded: the next failure starts from the shortest pause again. */
    public void succeeded() {
        failures = 0;
    }
}
