package io.janela.dispatch.decision;

import io.janela.avro.OutboundRequest;

/** A record of whatsapp.outbound-requests as read: decoded, or not, with its bytes kept for the dead-letter topic. */
sealed interface Intake {

    byte[] raw();

    record Decoded(OutboundRequest request, byte[] raw) implements Intake {}

    /**
     * Bytes that are not an OutboundRequest.
     *
     * @param requestId the request id when the bytes are in the wire format and their first field reads, else null
     * @param phoneNumberId likewise the second field, else null
     */
    record Undecodable(byte[] raw, Exception cause, String requestId, String phoneNumberId) implements Intake {}
}
