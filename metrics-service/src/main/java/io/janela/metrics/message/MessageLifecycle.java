package io.janela.metrics.message;

import static io.janela.metrics.streams.StoredTimes.instant;
import static io.janela.metrics.streams.StoredTimes.millis;

import io.janela.avro.DeliveryLatencyMeasurement;
import io.janela.avro.DeliveryStatus;
import io.janela.avro.DispatchResult;
import io.janela.avro.FailureStage;
import io.janela.avro.MessageCategory;
import io.janela.avro.MessageFailureMeasurement;
import io.janela.avro.MessagePricingMeasurement;
import io.janela.avro.MessageStatus;
import io.janela.avro.MetaError;
import io.janela.avro.Pricing;
import io.janela.avro.PricingType;
import io.janela.avro.ReadLatencyMeasurement;
import io.janela.avro.ResponderKind;
import io.janela.metrics.conversation.BusinessMessage;
import io.janela.metrics.state.DispatchEntry;
import io.janela.metrics.state.MessageState;
import io.janela.metrics.state.PricingEntry;
import io.janela.metrics.state.StatusEntry;
import io.janela.metrics.streams.LateMeasurement;
import io.janela.metrics.streams.SettlingPass;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * One business message's life as Meta's status webhooks and dispatch's result tell it, and the measurements it
 * gives (DESIGN.md §4, Metrics):
 *
 * <ul>
 *   <li><b>statuses</b> are kept once each ({@code (message id, status)} duplicates are ignored) and only move
 *       forward: sent, delivered, read. Read implies delivered: when Meta skipped {@code delivered} (a message read at
 *       once), the read stands in for it, flagged {@code deliveredInferred}, but only after the settle delay, so that a
 *       {@code delivered} that merely arrived after the {@code read} still gives the exact values, and only beside
 *       the {@code sent} status (a read alone gives no read latency);
 *   <li><b>delivery latency</b> = delivered - sent; <b>read latency</b> = read - delivered, from Meta's timestamps;
 *   <li>a <b>failure</b> is a {@code failed} status of a message never delivered or read (a message can be both
 *       delivered and failed on different devices), labelled with Meta's error code;
 *   <li>Meta's <b>reported pricing</b> (the first status carrying it) beside dispatch's prediction;
 *   <li>the <b>business message</b> handed to the conversation, once, for a message no dispatch result named: for a
 *       message whose statuses carry no Janela request id, at the {@code sent} status's time, as sent outside Janela;
 *       for one that carries a request id whose result did not come within the settle delay, at the {@code sent}
 *       status's time with an unknown responder. A SENT dispatch result goes to the conversation step itself
 *       ({@link MessageStream#businessMessage}), keyed by contact in the contact's task, never through this step.
 * </ul>
 *
 * A measurement waits for the settle delay only where a record still on its way could change it; a late record that
 * would change an emitted one is counted as late, once.
 *
 * <p>The message's <b>contact</b> is the business-scoped user id its statuses name, once one came; until then the
 * contact its first record named (a phone number, for a send to someone who never wrote and has no alias yet).
 */
final class MessageLifecycle {

    /** What became of a record applied to the message. */
    enum Applied {
        ADDED,
        DUPLICATE,
        IGNORED
    }

    /** What a settling pass gives: measurements, at most one business message, late counts, the next check. */
    record Settlement(
            List<SpecificRecord> measurements,
            BusinessMessage businessMessage,
            Map<LateMeasurement, Integer> late,
            Long nextCheckAt) {}

    private final MessageState state;

    MessageLifecycle(MessageState state) {
        this.state = state;
    }

    static MessageLifecycle start(String phoneNumberId, String contactId, String messageId) {
        return new MessageLifecycle(MessageState.newBuilder()
                .setPhoneNumberId(phoneNumberId)
                .setContactId(contactId)
                .setMessageId(messageId)
                .build());
    }

    MessageState state() {
        return state;
    }

    Applied applyStatus(MessageStatus status, long now) {
        DeliveryStatus kind = status.getStatus();
        if (kind == null) {
            return Applied.IGNORED;
        }
        StatusEntry entry = new StatusEntry(millis(status.getTimestamp()), now);
        boolean added = switch (kind) {
            case SENT -> state.getSent() == null && set(() -> state.setSent(entry));
            case DELIVERED -> state.getDelivered() == null && set(() -> state.setDelivered(entry));
            case READ -> state.getRead() == null && set(() -> state.setRead(entry));
            case FAILED ->
                state.getFailed() == null
                        && set(() -> {
                            state.setFailed(entry);
                            List<MetaError> errors = status.getErrors();
                            state.setErrorCode(
                                    errors == null || errors.isEmpty()
                                            ? null
                                            : errors.getFirst().getCode());
                        });
            case PLAYED, DELETED, UNKNOWN -> {
                yield false;
            }
        };
        if (!added) {
            return kind == DeliveryStatus.PLAYED || kind == DeliveryStatus.DELETED || kind == DeliveryStatus.UNKNOWN
                    ? Applied.IGNORED
                    : Applied.DUPLICATE;
        }
        if (status.getBizOpaqueCallbackData() != null) {
            state.setExpectsDispatch(true);
        }
        String userId = status.getRecipientUserId();
        if (userId != null && !userId.isBlank() && !userId.equals(state.getContactId())) {
            // A record that named the recipient by phone number came first (a send to someone who never wrote):
            // the business-scoped user id Meta names is the contact from here on.
            state.setContactId(userId);
        }
        Pricing pricing = status.getPricing();
        if (pricing != null && state.getPricing() == null) {
            state.setPricing(new PricingEntry(
                    name(pricing.getCategory()),
                    name(pricing.getType()),
                    pricing.getPricingModel(),
                    pricing.getBillable(),
                    millis(status.getTimestamp()),
                    now));
        }
        return Applied.ADDED;
    }

    /** A SENT dispatch result for this message. */
    Applied applySent(DispatchResult result, long now) {
        if (state.getDispatch() != null) {
            return Applied.DUPLICATE;
        }
        state.setDispatch(new DispatchEntry(
                result.getRequestId(),
                millis(DispatchMeasurements.sentAt(result)),
                ResponderKinds.of(result.getOrigin()).name(),
                name(result.getCategory()),
                name(result.getPricingType()),
                now,
                result.getTeam(),
                result.getAgentId()));
        return Applied.ADDED;
    }

    /** Emits what has settled by {@code now} (processing time, ms). */
    Settlement settle(long now, Duration settleDelay) {
        Pass pass = new Pass(now, settleDelay.toMillis());
        BusinessMessage business = pass.businessMessage();
        pass.deliveryLatency();
        pass.readLatency();
        pass.failure();
        pass.pricing();
        return new Settlement(pass.measurements(), business, pass.lateCounts(), pass.nextCheckAt());
    }

    /** The category to label this message with: Meta's report, else dispatch's prediction. */
    MessageCategory category() {
        if (state.getPricing() != null) {
            return MessageCategory.valueOf(state.getPricing().getCategory());
        }
        if (state.getDispatch() != null) {
            return MessageCategory.valueOf(state.getDispatch().getCategory());
        }
        return MessageCategory.UNKNOWN;
    }

    ResponderKind responderKind() {
        if (state.getDispatch() != null) {
            return ResponderKind.valueOf(state.getDispatch().getResponderKind());
        }
        return state.getExpectsDispatch() ? ResponderKind.UNKNOWN : ResponderKind.OUTSIDE_JANELA;
    }

    private static boolean set(Runnable change) {
        change.run();
        return true;
    }

    private static String name(Enum<?> symbol) {
        return symbol == null ? "UNKNOWN" : symbol.name();
    }

    /** One settling pass. */
    private final class Pass extends SettlingPass {

        Pass(long now, long delay) {
            super(now, delay);
        }

        BusinessMessage businessMessage() {
            if (state.getBusinessMessageForwarded() || state.getMessageId() == null) {
                return null;
            }
            Instant at;
            if (state.getDispatch() != null) {
                // The conversation step took it straight from the dispatch result, in the contact's own task.
                state.setBusinessMessageForwarded(true);
                return null;
            } else if (state.getSent() != null
                    && (!state.getExpectsDispatch() || settled(state.getSent().getArrivedAt()))) {
                // Sent outside Janela; or Janela's own, whose dispatch result (naming the responder) did not come.
                at = instant(state.getSent().getAt());
            } else {
                return null;
            }
            state.setBusinessMessageForwarded(true);
            return new BusinessMessage(state.getMessageId(), at, responderKind(), now);
        }

        void deliveryLatency() {
            StatusEntry sent = state.getSent();
            StatusEntry delivered = state.getDelivered();
            StatusEntry read = state.getRead();
            if (sent == null || (delivered == null && read == null)) {
                return;
            }
            boolean inferred = delivered == null;
            StatusEntry effective = inferred ? read : delivered;
            long signature = inferred ? -1 : effective.getAt();
            if (state.getDeliveryEmitted()) {
                if (state.getDeliverySignature() != signature) {
                    late(LateMeasurement.DELIVERY_LATENCY);
                    state.setDeliverySignature(signature);
                }
                return;
            }
            if (inferred && !settled(Math.max(sent.getArrivedAt(), read.getArrivedAt()))) {
                return;
            }
            emit(DeliveryLatencyMeasurement.newBuilder()
                    .setMeasurementId(messageMeasurementId("delivered"))
                    .setPhoneNumberId(state.getPhoneNumberId())
                    .setContactId(state.getContactId())
                    .setMessageId(state.getMessageId())
                    .setOccurredAt(instant(effective.getAt()))
                    .setSentAt(instant(sent.getAt()))
                    .setDeliveredAt(instant(effective.getAt()))
                    .setDeliveredInferred(inferred)
                    .setLatencyMillis(millisBetween(instant(sent.getAt()), instant(effective.getAt())))
                    .setCategory(category())
                    .setSentByJanela(state.getDispatch() != null)
                    .build());
            state.setDeliveryEmitted(true);
            state.setDeliverySignature(signature);
        }

        void readLatency() {
            StatusEntry delivered = state.getDelivered();
            StatusEntry read = state.getRead();
            if (read == null) {
                return;
            }
            boolean inferred = delivered == null;
            if (inferred && state.getSent() == null) {
                // Nothing says Meta skipped delivered rather than that this state never saw it (it went to the state
                // of the message's former task, before an upgrade re-keyed the step; or the webhook was lost): a
                // read is measured against an inferred delivery only beside its sent status.
                return;
            }
            Instant deliveredAt = inferred ? instant(read.getAt()) : instant(delivered.getAt());
            long signature = inferred ? -1 : deliveredAt.toEpochMilli();
            if (state.getReadEmitted()) {
                if (state.getReadSignature() != signature) {
                    late(LateMeasurement.READ_LATENCY);
                    state.setReadSignature(signature);
                }
                return;
            }
            if (inferred && !settled(read.getArrivedAt())) {
                return;
            }
            emit(ReadLatencyMeasurement.newBuilder()
                    .setMeasurementId(messageMeasurementId("read"))
                    .setPhoneNumberId(state.getPhoneNumberId())
                    .setContactId(state.getContactId())
                    .setMessageId(state.getMessageId())
                    .setOccurredAt(instant(read.getAt()))
                    .setDeliveredAt(deliveredAt)
                    .setReadAt(instant(read.getAt()))
                    .setDeliveredInferred(inferred)
                    .setLatencyMillis(millisBetween(deliveredAt, instant(read.getAt())))
                    .setCategory(category())
                    .setSentByJanela(state.getDispatch() != null)
                    .build());
            state.setReadEmitted(true);
            state.setReadSignature(signature);
        }

        void failure() {
            StatusEntry failed = state.getFailed();
            if (failed == null || state.getMessageId() == null) {
                return;
            }
            boolean reachedCustomer = state.getDelivered() != null || state.getRead() != null;
            long signature = reachedCustomer ? 2 : 1;
            if (state.getFailureEmitted()) {
                if (state.getFailureSignature() != signature) {
                    late(LateMeasurement.FAILURE);
                    state.setFailureSignature(signature);
                }
                return;
            }
            if (reachedCustomer || !settled(failed.getArrivedAt())) {
                return;
            }
            emit(MessageFailureMeasurement.newBuilder()
                    .setMeasurementId(messageMeasurementId("failed"))
                    .setPhoneNumberId(state.getPhoneNumberId())
                    .setContactId(state.getContactId())
                    .setMessageId(state.getMessageId())
                    .setRequestId(
                            state.getDispatch() == null
                                    ? null
                                    : state.getDispatch().getRequestId())
                    .setStage(FailureStage.DELIVERY)
                    .setErrorCode(state.getErrorCode())
                    .setOccurredAt(instant(failed.getAt()))
                    .setCategory(category())
                    .setResponderKind(responderKind())
                    .build());
            state.setFailureEmitted(true);
            state.setFailureSignature(signature);
        }

        void pricing() {
            PricingEntry pricing = state.getPricing();
            if (pricing == null || state.getPricingEmitted()) {
                return;
            }
            DispatchEntry dispatch = state.getDispatch();
            if (dispatch == null && state.getExpectsDispatch() && !settled(pricing.getArrivedAt())) {
                return; // the prediction is on its way
            }
            emit(MessagePricingMeasurement.newBuilder()
                    .setMeasurementId(messageMeasurementId("priced"))
                    .setPhoneNumberId(state.getPhoneNumberId())
                    .setContactId(state.getContactId())
                    .setMessageId(state.getMessageId())
                    .setOccurredAt(instant(pricing.getAt()))
                    .setCategory(MessageCategory.valueOf(pricing.getCategory()))
                    .setPricingType(PricingType.valueOf(pricing.getPricingType()))
                    .setPricingModel(pricing.getPricingModel())
                    .setBillable(pricing.getBillable())
                    .setPredictedCategory(dispatch == null ? null : MessageCategory.valueOf(dispatch.getCategory()))
                    .setPredictedPricingType(dispatch == null ? null : PricingType.valueOf(dispatch.getPricingType()))
                    .setSentByJanela(dispatch != null)
                    .build());
            state.setPricingEmitted(true);
        }

        private String messageMeasurementId(String kind) {
            return state.getPhoneNumberId() + ':' + state.getMessageId() + ':' + kind;
        }

        private static long millisBetween(Instant from, Instant to) {
            return Math.max(0, to.toEpochMilli() - from.toEpochMilli());
        }
    }
}
