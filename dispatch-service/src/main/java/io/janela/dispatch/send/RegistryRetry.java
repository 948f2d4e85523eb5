package io.janela.dispatch.send;

import io.janela.serde.AvroDeserializer;
import java.time.Duration;

/**
 * The pause before a record that could not be read because the schema registry was unreachable is read again: 100 ms,
 * doubling up to a maximum, back to the start after a read succeeds. A record is never skipped for a registry outage:
 * its partition waits, from the same offset. Only a record that fails for a reason of its own (bytes that are not
 * Avro, a schema id the registry does not know) is treated as corrupt. Single-threaded.
 */
final class RegistryRetry {

    private static final Duration INITIAL = Duration.ofMillis(100);

    private final Duration max;
    private int failures;

    RegistryRetry(Duration max) {
        this.max = max;
    }

    /** Whether a read failed because the registry could not be reached, not because of the record. */
    static boolean isTransient(Throwable failure) {
        return AvroDeserializer.isTransientRegistryFailure(failure);
    }

    /** Records a failed read; returns how long to wait before reading the record again. */
    Duration failed() {
        failures++;
        Duration pause = INITIAL.multipliedBy(1L << Math.min(failures - 1, 20));
        return pause.compareTo(max) > 0 ? max : pause;
    }

    /** A read succeeded: the next failure starts from the shortest pause again. */
    void succeeded() {
        failures = 0;
    }
}
