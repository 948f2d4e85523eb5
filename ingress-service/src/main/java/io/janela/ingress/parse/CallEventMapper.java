package io.janela.ingress.parse;

import io.janela.avro.CallDirection;
import io.janela.avro.CallEvent;
import io.janela.avro.CallEventType;
import io.janela.avro.CallStatus;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * The items of a {@code calls} change (WHATSAPP.md §11.1) → {@link CallEvent}, keyed by contact:
 *
 * <ul>
 *   <li>a {@code calls[]} item: a user call that connected or terminated ({@code from}, {@code from_user_id}, {@code
 *       event}, {@code direction}; a {@code terminate} adds {@code status}, {@code start_time}, {@code end_time},
 *       {@code duration});
 *   <li>a {@code statuses[]} item: the status of a call the business placed ({@code id} the call id, {@code status}
 *       RINGING, ACCEPTED or REJECTED, {@code recipient_id}, {@code recipient_user_id}), as event {@code STATUS}.
 * </ul>
 *
 * Values the contract does not know become {@code UNKNOWN}, never a problem.
 */
final class CallEventMapper {

    static final String FIELD = "calls";

    private final RawJson rawJson;

    CallEventMapper(RawJson rawJson) {
        this.rawJson = rawJson;
    }

    /** A {@code calls[]} item. */
    MappedRecord mapCall(JsonNode call, ChangeContext change, String path, ParseNotes notes) {
        CallDirection direction = MetaSymbols.symbol(
                CallDirection.class,
                JsonFields.text(call, "direction"),
                CallDirection.UNKNOWN,
                "call_direction",
                notes);
        Contacts.Identity identity = userSide(call, change, direction);
        CallEvent.Builder builder = builder(call, change, identity)
                .setDirection(direction)
                .setEvent(MetaSymbols.symbol(
                        CallEventType.class,
                        JsonFields.text(call, "event"),
                        CallEventType.UNKNOWN,
                        "call_event",
                        notes))
                .setStartedAt(MetaTime.optional(call, "start_time"))
                .setEndedAt(MetaTime.optional(call, "end_time"))
                .setDurationSeconds(duration(call));
        return mapped(builder, call, change, identity, path, notes);
    }

    /** A {@code statuses[]} item of a call the business placed. */
    MappedRecord mapStatus(JsonNode status, ChangeContext change, String path, ParseNotes notes) {
        Contacts.Identity identity = change.contacts()
                .identify(
                        JsonFields.id(status, "recipient_user_id"),
                        PhoneNumbers.waId(JsonFields.id(status, "recipient_id")));
        CallEvent.Builder builder = builder(status, change, identity)
                .setDirection(CallDirection.BUSINESS_INITIATED)
                .setEvent(CallEventType.STATUS);
        return mapped(builder, status, change, identity, path, notes);
    }

    /**
     * The user's side of a {@code calls[]} item. A user call names the user in {@code from}/{@code from_user_id}, a
     * call the business placed in {@code to}/{@code to_user_id}; Meta's own samples swap the two at times, so a side
     * that is the business's display number is never taken for the user.
     */
    private static Contacts.Identity userSide(JsonNode call, ChangeContext change, CallDirection direction) {
        String from = PhoneNumbers.waId(JsonFields.id(call, "from"));
        String to = PhoneNumbers.waId(JsonFields.id(call, "to"));
        String business = PhoneNumbers.waId(change.displayPhoneNumber());
        boolean userIsCallee = direction == CallDirection.BUSINESS_INITIATED;
        if (business != null && business.equals(from) && to != null && !business.equals(to)) {
            userIsCallee = true;
        } else if (business != null && business.equals(to) && from != null && !business.equals(from)) {
            userIsCallee = false;
        }
        String userId = userIsCallee ? JsonFields.id(call, "to_user_id") : JsonFields.id(call, "from_user_id");
        return change.contacts().identify(userId, userIsCallee ? to : from);
    }

    private static CallEvent.Builder builder(JsonNode item, ChangeContext change, Contacts.Identity identity) {
        String callId = JsonFields.id(item, "id");
        if (callId == null) {
            throw new InvalidItemException("no id");
        }
        if (identity.contactId() == null) {
            throw new InvalidItemException("no user id or wa_id: no identity");
        }
        return CallEvent.newBuilder()
                .setCallId(callId)
                .setPhoneNumberId(change.requirePhoneNumberId())
                .setDisplayPhoneNumber(change.displayPhoneNumber())
                .setWabaId(change.wabaId())
                .setContactId(identity.contactId())
                .setUserId(identity.userId())
                .setWaId(identity.waId())
                .setBizOpaqueCallbackData(JsonFields.text(item, "biz_opaque_callback_data"));
    }

    private MappedRecord mapped(
            CallEvent.Builder builder,
            JsonNode item,
            ChangeContext change,
            Contacts.Identity identity,
            String path,
            ParseNotes notes) {
        Instant timestamp = MetaTime.required(item, "timestamp");
        CallEvent value = builder.setStatus(MetaSymbols.optionalSymbol(
                        CallStatus.class, JsonFields.text(item, "status"), CallStatus.UNKNOWN, "call_status", notes))
                .setTimestamp(timestamp)
                .setErrors(SharedObjects.errors(item, notes))
                .setRawJson(rawJson.of(item))
                .build();
        return new MappedRecord(
                RecordKind.CALL_EVENT,
                SharedObjects.contactKey(change.requirePhoneNumberId(), identity.contactId()),
                value,
                timestamp,
                path);
    }

    /** {@code duration}: whole seconds, as a number or a string of digits; null otherwise. */
    private static Integer duration(JsonNode call) {
        JsonNode node = call.get("duration");
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isString()) {
            String text = node.asString().strip();
            if (!text.isEmpty() && text.length() <= 9 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Integer.parseInt(text);
            }
        }
        return null;
    }
}
