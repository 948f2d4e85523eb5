package io.janela.metrics.message;

import io.janela.avro.DispatchResult;
import io.janela.avro.FailureStage;
import io.janela.avro.MessageFailureMeasurement;
import io.janela.avro.MessageSentMeasurement;
import io.janela.avro.ResultKind;
import java.time.Instant;

/** The measurements a dispatch result gives by itself: a message sent, or a send the Cloud API refused. */
final class DispatchMeasurements {

    private DispatchMeasurements() {}

    /** When Meta accepted the send; a result without {@code sentAt} falls back to when dispatch decided. */
    static Instant sentAt(DispatchResult result) {
        return result.getSentAt() != null ? result.getSentAt() : result.getDecidedAt();
    }

    /** The message id a SENT result is known by: Meta's wamid, or a stand-in when Meta's answer carried none. */
    static String messageId(DispatchResult result) {
        return result.getWamid() != null ? result.getWamid() : "request:" + result.getRequestId();
    }

    /**
     * What identifies one send of a request: the request itself, or the fallback template sent for it after Meta
     * reported the window closed (a second send, with its own message id and cost).
     */
    static String requestScope(DispatchResult result) {
        String request = result.getPhoneNumberId() + ":request:" + result.getRequestId();
        return result.getKind() == ResultKind.FALLBACK_OUTCOME ? request + ":fallback" : request;
    }

    static MessageSentMeasurement sent(DispatchResult result, String contactId) {
        return MessageSentMeasurement.newBuilder()
                .setMeasurementId(requestScope(result) + ":sent")
                .setPhoneNumberId(result.getPhoneNumberId())
                .setContactId(contactId)
                .setRequestId(result.getRequestId())
                .setMessageId(result.getWamid())
                .setOccurredAt(sentAt(result))
                .setResponderKind(ResponderKinds.of(result.getOrigin()))
                .setCategory(result.getCategory())
                .setPricingType(result.getPricingType())
                .setEstimatedCost(result.getEstimatedCost())
                .setCurrency(result.getCurrency())
                .setFallbackUsed(result.getFallbackUsed())
                .build();
    }

    static MessageFailureMeasurement refused(DispatchResult result, String contactId) {
        return MessageFailureMeasurement.newBuilder()
                .setMeasurementId(requestScope(result) + ":failed")
                .setPhoneNumberId(result.getPhoneNumberId())
                .setContactId(contactId)
                .setMessageId(result.getWamid())
                .setRequestId(result.getRequestId())
                .setStage(FailureStage.SEND)
                .setErrorCode(result.getMetaErrorCode())
                .setOccurredAt(result.getDecidedAt())
                .setCategory(result.getCategory())
                .setResponderKind(ResponderKinds.of(result.getOrigin()))
                .build();
    }
}
