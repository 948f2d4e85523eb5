package io.janela.dispatch.send;

import io.janela.avro.SendCommand;
import io.janela.avro.SendKind;
import java.time.Instant;
import org.apache.kafka.common.TopicPartition;

/** One send command the sender holds, from the moment it is read until its result is committed. */
final class Pending {

    enum State {
        /** Waiting for its turn: its contact's earlier commands, the pair pace, a retry pause. */
        QUEUED,
        /** Journaled and handed to the pacer, or called: an answer is awaited. */
        IN_FLIGHT,
        /** An attempt may have been accepted by Meta without the sender knowing: a status webhook will tell. */
        IN_DOUBT,
        DONE
    }

    final SendCommand command;
    final TopicPartition partition;
    final long offset;
    final String journalKey;
    final String contactKey;
    State state = State.QUEUED;
    /** Calls to Meta so far, journaled ones included. */
    int attempts;

    int retries;
    int pairLimitWaits;
    /** Meta answered 131047 to the free-form message: the fallback template goes instead. */
    boolean fallbackActive;
    /**
     * The code Meta refused the free-form message with in its answer (131047, or the legacy 470), and when, for the
     * result of the fallback that replaced it, whatever becomes of it: no failed webhook follows such a refusal, so
     * the result is how the window-service learns that Meta closed the window.
     */
    Integer refusedWith;

    Instant refusedAt;

    Instant notBefore = Instant.MIN;
    Instant lastAttemptAt;
    Instant inDoubtSince;

    Pending(SendCommand command, TopicPartition partition, long offset, String contactKey) {
        this.command = command;
        this.partition = partition;
        this.offset = offset;
        this.journalKey = journalKey(command.getKind(), command.getRequestId());
        this.contactKey = contactKey;
    }

    /** The journal key of a request's send: a request may have a PRIMARY and a FALLBACK send. */
    static String journalKey(SendKind kind, String requestId) {
        return kind.name() + ':' + requestId;
    }

    String requestId() {
        return command.getRequestId();
    }

    String phoneNumberId() {
        return command.getPhoneNumberId();
    }

    /** Whether the next call sends the request's fallback template rather than its payload. */
    boolean sendsFallback() {
        return fallbackActive;
    }
}
