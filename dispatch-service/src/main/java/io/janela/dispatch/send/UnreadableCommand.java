package io.janela.dispatch.send;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.ResultKind;
import io.janela.contract.ContactKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * A send command that cannot be read for a reason of its own (not a registry outage): it is answered FAILED rather than
 * skipped in silence. Its request id is read from the bytes when they still start like a SendCommand (the Confluent
 * frame, then the Avro string {@code requestId}, the record's first field), its business number and contact from the
 * record key.
 */
record UnreadableCommand(String requestId, String key, DispatchResult result) {

    /** The journal key that marks the command at {@code offset} answered, so that a restart does not answer it again. */
    static String journalKey(long offset) {
        return "UNREADABLE:" + offset;
    }

    static UnreadableCommand of(RecordDeserializationException failure, Instant now) {
        String key = utf8(failure.keyBuffer());
        String requestId = requestId(failure.valueBuffer());
        String phoneNumberId = "";
        String contactId = null;
        if (key != null) {
            try {
                ContactKey contact = ContactKey.parse(key);
                phoneNumberId = contact.phoneNumberId();
                contactId = contact.contactId();
            } catch (IllegalArgumentException e) {
                // not a contact key: the result names no contact
            }
        }
        DispatchResult result = DispatchResult.newBuilder()
                .setRequestId(requestId == null ? "" : requestId)
                .setKind(ResultKind.OUTCOME)
                .setOutcome(DispatchOutcome.FAILED)
                .setReason(DispatchReason.INVALID_REQUEST)
                .setDetail("the send command at " + failure.topicPartition() + "@" + failure.offset()
                        + " could not be read; nothing was sent")
                .setPhoneNumberId(phoneNumberId)
                .setContactId(contactId)
                .setRequestCreatedAt(now) // unreadable: the time it was answered
                .setDecidedAt(now)
                .build();
        return new UnreadableCommand(requestId, key, result);
    }

    /** The first Avro string after the Confluent frame (magic byte 0, a 4-byte schema id); null when not there. */
    static String requestId(ByteBuffer value) {
        if (value == null) {
            return null;
        }
        ByteBuffer bytes = value.duplicate();
        if (bytes.remaining() < 6 || bytes.get() != 0) {
            return null;
        }
        bytes.position(bytes.position() + 4);
        long zigzag = 0;
        int shift = 0;
        while (true) {
            if (!bytes.hasRemaining() || shift > 28) {
                return null;
            }
            byte next = bytes.get();
            zigzag |= (long) (next & 0x7f) << shift;
            if ((next & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        long length = (zigzag >>> 1) ^ -(zigzag & 1);
        if (length <= 0 || length > 512 || length > bytes.remaining()) {
            return null;
        }
        byte[] text = new byte[(int) length];
        bytes.get(text);
        return new String(text, StandardCharsets.UTF_8);
    }

    private static String utf8(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
