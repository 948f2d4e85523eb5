package io.janela.ingress.publish;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What Kafka said about each record of one publication, in the order they were given: null where the record was
 * acknowledged (acks=all), the exception otherwise (also for records that were never handed to the producer because
 * an earlier step failed).
 */
public final class PublishResult {

    private final Throwable[] failures;

    PublishResult(Throwable[] failures) {
        this.failures = failures;
    }

    static PublishResult allFailed(int count, Throwable cause) {
        Throwable[] failures = new Throwable[count];
        Arrays.fill(failures, cause);
        return new PublishResult(failures);
    }

    public int size() {
        return failures.length;
    }

    public boolean allAcknowledged() {
        return Arrays.stream(failures).allMatch(Objects::isNull);
    }

    public boolean acknowledged(int index) {
        return failures[index] == null;
    }

    /** The failure of the record at this index, or null when it was acknowledged. */
    public Throwable failure(int index) {
        return failures[index];
    }

    /** Every failure, without the acknowledged records. */
    public List<Throwable> failures() {
        return Arrays.stream(failures).filter(Objects::nonNull).toList();
    }
}
