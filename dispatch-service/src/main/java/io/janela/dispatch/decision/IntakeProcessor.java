package io.janela.dispatch.decision;

import io.janela.avro.ContactAlias;
import io.janela.avro.OutboundRequest;
import io.janela.avro.ParkedRequest;
import io.janela.avro.ParkedRequests;
import io.janela.avro.Recipient;
import io.janela.avro.TemplatePayload;
import io.janela.contract.ContactKey;
import io.janela.dispatch.outcome.Results;
import io.janela.dispatch.rules.RequestValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The first step of DESIGN.md §4 for each record of whatsapp.outbound-requests (any key): decode and validate, then
 * find the contact, and re-key by it.
 *
 * <ul>
 *   <li>undecodable: the record goes to the dead-letter topic with the cause, and a REJECTED INVALID_REQUEST result
 *       is published when its request id can still be read;
 *   <li>invalid: dead-lettered, and REJECTED INVALID_REQUEST;
 *   <li>addressed by user id: the contact is that user id;
 *   <li>addressed by phone number: the contact is the one whatsapp.contact-aliases names for that number. When none
 *       is known yet, a free-form request waits up to {@code aliasGrace} for it, because a customer's first message
 *       creates the alias at the same moment as the window the reply needs; a template goes on at once with the
 *       phone number as contact. Requests to the same number queue behind a waiting one, in order.
 * </ul>
 *
 * <p>Nothing here reads the record timestamp, which is the broker's append time (the topic's
 * {@code message.timestamp.type=LogAppendTime}) or, on a topic created without it, whatever the company's producer
 * set: every record it forwards, result and dead letter carries the wall clock when the intake took the request in,
 * and a result's {@code requestCreatedAt} is the request's {@code createdAt}, or that wall clock when none can be
 * read (an undecodable request), as for an unreadable send command.
 */
final class IntakeProcessor implements Processor<byte[], Intake, String, DecisionOutput> {

    private final RequestValidator validator;
    private final Duration parkCheckInterval;
    private final Duration aliasGrace;
    private final DecisionMetrics metrics;
    private ProcessorContext<String, DecisionOutput> context;
    private TimestampedKeyValueStore<String, ContactAlias> aliases;
    private ParkingLot parking;

    IntakeProcessor(
            RequestValidator validator, Duration aliasGrace, Duration parkCheckInterval, DecisionMetrics metrics) {
        this.validator = validator;
        this.aliasGrace = aliasGrace;
        this.parkCheckInterval = parkCheckInterval;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, DecisionOutput> context) {
        this.context = context;
        this.aliases = context.getStateStore(DecisionTopology.ALIASES_STORE);
        KeyValueStore<String, ParkedRequests> store = context.getStateStore(DecisionTopology.PARKED_BY_ADDRESSEE_STORE);
        this.parking = new ParkingLot(store, aliasGrace);
        context.schedule(
                parkCheckInterval, PunctuationType.WALL_CLOCK_TIME, now -> releaseWaiting(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<byte[], Intake> record) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        switch (record.value()) {
            case Intake.Undecodable undecodable -> undecodable(record, undecodable, now);
            case Intake.Decoded decoded -> {
                Optional<String> problem = validator.problem(decoded.request());
                if (problem.isPresent()) {
                    invalid(record, decoded, problem.get(), now);
                } else {
                    route(decoded.request(), now);
                }
            }
        }
    }

    private void route(OutboundRequest request, Instant now) {
        Recipient recipient = request.getRecipient();
        if (recipient.getUserId() != null && !recipient.getUserId().isBlank()) {
            forward(request, recipient.getUserId(), now);
            return;
        }
        String waId = recipient.getPhoneNumber().substring(1);
        String addressee = request.getPhoneNumberId() + ContactKey.SEPARATOR + waId;
        if (parking.hasWaiting(addressee)) {
            parking.park(addressee, request, now);
            return;
        }
        String contactId = knownContact(addressee);
        if (contactId != null) {
            forward(request, contactId, now);
        } else if (request.getPayload() instanceof TemplatePayload) {
            forward(request, waId, now);
        } else {
            metrics.parked("contact");
            parking.park(addressee, request, now);
        }
    }

    /** Wall clock: a waiting request goes on when its contact became known, or with its phone number when its grace ran out. */
    void releaseWaiting(Instant now) {
        for (KeyValue<String, List<ParkedRequest>> waiting : parking.all()) {
            String addressee = waiting.key;
            String contactId = knownContact(addressee);
            String waId = ContactKey.parse(addressee).contactId();
            List<ParkedRequest> remaining = new ArrayList<>();
            for (ParkedRequest parked : waiting.value) {
                boolean blocked = !remaining.isEmpty()
                        || (contactId == null
                                && !(parked.getRequest().getPayload() instanceof TemplatePayload)
                                && parking.mayWait(parked, now));
                if (blocked) {
                    remaining.add(parked);
                } else {
                    forward(parked.getRequest(), contactId != null ? contactId : waId, now);
                }
            }
            parking.keep(addressee, remaining);
        }
    }

    private String knownContact(String addressee) {
        ValueAndTimestamp<ContactAlias> alias = aliases.get(addressee);
        return alias == null || alias.value() == null ? null : alias.value().getContactId();
    }

    private void forward(OutboundRequest request, String contactId, Instant now) {
        String key = new ContactKey(request.getPhoneNumberId(), contactId).format();
        context.forward(new Record<>(key, new DecisionOutput.ToDecide(request), now.toEpochMilli()));
    }

    private void undecodable(Record<byte[], Intake> record, Intake.Undecodable undecodable, Instant now) {
        metrics.invalid("undecodable");
        String cause = DeadLetters.describe(undecodable.cause());
        deadLetter(record, DeadLetters.UNDECODABLE, cause, undecodable.cause(), now);
        if (undecodable.requestId() != null) {
            // Nothing names the contact: the result has no key.
            context.forward(new Record<String, DecisionOutput>(
                    null,
                    new DecisionOutput.Result(Results.invalid(
                            undecodable.requestId(),
                            undecodable.phoneNumberId(),
                            null,
                            "the request could not be decoded: " + cause,
                            now,
                            now)),
                    now.toEpochMilli()));
        }
    }

    private void invalid(Record<byte[], Intake> record, Intake.Decoded decoded, String problem, Instant now) {
        metrics.invalid("invalid");
        deadLetter(record, DeadLetters.INVALID_REQUEST, problem, null, now);
        OutboundRequest request = decoded.request();
        if (request.getRequestId() == null || request.getRequestId().isBlank()) {
            return;
        }
        String contactId = recipientId(request.getRecipient());
        context.forward(new Record<>(
                resultKey(request.getPhoneNumberId(), contactId),
                new DecisionOutput.Result(Results.invalid(
                        request.getRequestId(),
                        request.getPhoneNumberId(),
                        contactId,
                        problem,
                        request.getCreatedAt() == null ? now : request.getCreatedAt(),
                        now)),
                now.toEpochMilli()));
    }

    /** {@code {phoneNumberId}:{recipient}} when both are usable in a key, else null. */
    private static String resultKey(String phoneNumberId, String recipientId) {
        try {
            return phoneNumberId == null || recipientId == null
                    ? null
                    : new ContactKey(phoneNumberId, recipientId).format();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void deadLetter(
            Record<byte[], Intake> record, String reason, String cause, Exception exception, Instant now) {
        Headers headers = DeadLetters.headers(
                record.headers(),
                reason,
                cause,
                exception,
                context.applicationId(),
                now,
                context.recordMetadata().orElse(null));
        context.forward(new Record<String, DecisionOutput>(
                null, new DecisionOutput.DeadLetter(record.key(), record.value().raw()), now.toEpochMilli(), headers));
    }

    private static String recipientId(Recipient recipient) {
        if (recipient == null) {
            return null;
        }
        if (recipient.getUserId() != null && !recipient.getUserId().isBlank()) {
            return recipient.getUserId();
        }
        return recipient.getPhoneNumber() == null || recipient.getPhoneNumber().isBlank()
                ? null
                : recipient.getPhoneNumber().replaceAll("[^0-9]", "");
    }
}
