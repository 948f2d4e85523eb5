package io.janela.ingress.parse;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.AccountRestriction;
import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.avro.InboundSystemChange;
import io.janela.avro.RestrictionType;
import io.janela.avro.ThroughputLevel;
import io.janela.contract.AccountEventKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The account-level changes that decide what may be sent (WHATSAPP.md §3.9, §11.3) → {@link AccountEvent} on the
 * compacted whatsapp.account-events, keyed by {@link AccountEventKey} (restrictions, messaging limits and throughput
 * reports with Meta's time in the key, so that compaction cannot keep an older statement in place of a newer one):
 *
 * <ul>
 *   <li>{@code account_update}: {@code event} ACCOUNT_RESTRICTION → RESTRICTION with {@code restriction_info[]}
 *       ({@code restriction_type}, {@code expiration}); any other event (DISABLED_UPDATE, ACCOUNT_VIOLATION,
 *       VOLUME_BASED_PRICING_TIER_UPDATE, PARTNER_REMOVED, …) → ACCOUNT_UPDATE with the event as sent;
 *   <li>{@code business_capability_update} → MESSAGING_LIMIT: {@code max_daily_conversations_per_business} (a tier
 *       name such as {@code TIER_2K}, or a number) or the older {@code max_daily_conversation_per_phone} ({@code -1}
 *       unlimited);
 *   <li>{@code phone_number_quality_update}: a {@code THROUGHPUT_*} event → THROUGHPUT of the number; any other →
 *       PHONE_NUMBER_QUALITY with {@code current_limit}/{@code old_limit}. When it carries {@code
 *       max_daily_conversations_per_business} (the portfolio's limit), a MESSAGING_LIMIT record as well;
 *   <li>{@code user_id_update}: one USER_ID_CHANGE per {@code user_id_update[]} item ({@code user_id.previous},
 *       {@code user_id.current}, {@code wa_id}, {@code timestamp});
 *   <li>a {@code messages} system message with {@code previous_user_id}: a USER_ID_CHANGE too ({@link
 *       #userIdChange}); Meta's changelog of 2026-08-11 says this is how a change arrives.
 * </ul>
 *
 * The time is Meta's: the item's {@code timestamp} where there is one, else {@code entry[].time}. Values the contract
 * does not know (a new restriction type, tier or throughput event) become {@code UNKNOWN} or stay as text, never a
 * problem; an item without the time, the business account or the ids its key needs is an invalid item.
 */
final class AccountEventMapper {

    static final String ACCOUNT_UPDATE = "account_update";
    static final String CAPABILITY_UPDATE = "business_capability_update";
    static final String NUMBER_QUALITY_UPDATE = "phone_number_quality_update";
    static final String USER_ID_UPDATE = "user_id_update";

    private static final String RESTRICTION_EVENT = "ACCOUNT_RESTRICTION";
    private static final String PORTFOLIO_LIMIT = "max_daily_conversations_per_business";
    private static final String LEGACY_LIMIT = "max_daily_conversation_per_phone";

    private final RawJson rawJson;

    AccountEventMapper(RawJson rawJson) {
        this.rawJson = rawJson;
    }

    static boolean handlesWholeChange(String field) {
        return ACCOUNT_UPDATE.equals(field) || CAPABILITY_UPDATE.equals(field) || NUMBER_QUALITY_UPDATE.equals(field);
    }

    /** The records of an account_update, business_capability_update or phone_number_quality_update change. */
    List<MappedRecord> mapChange(String field, JsonNode value, ChangeContext change, String path, ParseNotes notes) {
        requireWaba(change);
        Instant time = MetaTime.required(change.entry(), "time");
        return switch (field) {
            case ACCOUNT_UPDATE -> List.of(accountUpdate(value, change, time, path, notes));
            case CAPABILITY_UPDATE -> List.of(messagingLimit(field, value, change, time, path, notes));
            case NUMBER_QUALITY_UPDATE -> numberQuality(value, change, time, path, notes);
            default -> throw new IllegalArgumentException("not an account-level field: " + field);
        };
    }

    /** One {@code user_id_update[]} item (or the change's value, when Meta sends the item without the array). */
    MappedRecord mapUserIdChange(JsonNode item, ChangeContext change, String path) {
        String phoneNumberId = change.requirePhoneNumberId();
        JsonNode userId = JsonFields.object(item, "user_id");
        String previous = JsonFields.id(userId, "previous");
        String current = JsonFields.id(userId, "current");
        if (previous == null || current == null) {
            throw new InvalidItemException("no user_id.previous or user_id.current");
        }
        Instant time = MetaTime.optional(item, "timestamp");
        if (time == null) {
            time = MetaTime.required(change.entry(), "time");
        }
        Contacts.Identity identity =
                change.contacts().identify(previous, PhoneNumbers.waId(JsonFields.id(item, "wa_id")));
        if (identity.waId() == null) {
            identity = change.contacts().identify(current, null);
        }
        AccountEvent event = base(AccountEventKind.USER_ID_CHANGE, USER_ID_UPDATE, change, time, item)
                .setPhoneNumberId(phoneNumberId)
                .setPreviousUserId(previous)
                .setNewUserId(current)
                .setWaId(identity.waId())
                .build();
        return record(event, time, path);
    }

    /**
     * A {@code messages[]} system message that reports a business-scoped user id change ({@code
     * user_changed_user_id}, or {@code user_changed_number}, which regenerates the id): the same USER_ID_CHANGE a
     * {@code user_id_update} item gives, from {@code system.previous_user_id} and {@code system.user_id}, at the
     * message's time, with field {@code messages} and the system type as event. Empty for any other message, and for
     * one that does not name two different ids (a number change without ids moves no contact).
     */
    static List<MappedRecord> userIdChange(InboundMessage message, String path) {
        InboundSystemChange system = message.getSystem();
        if (message.getType() != InboundMessageType.SYSTEM || system == null) {
            return List.of();
        }
        String previous = system.getPreviousUserId();
        String current = system.getNewUserId();
        if (previous == null || current == null || previous.equals(current)) {
            return List.of();
        }
        // The number after the change: the new one for user_changed_number; else the message's own, if given.
        String waId = system.getNewWaId() != null ? system.getNewWaId() : message.getWaId();
        AccountEvent event = AccountEvent.newBuilder()
                .setKind(AccountEventKind.USER_ID_CHANGE)
                .setField(WebhookParser.MESSAGES_FIELD)
                .setEvent(system.getKind())
                .setWabaId(message.getWabaId())
                .setPhoneNumberId(message.getPhoneNumberId())
                .setPreviousUserId(previous)
                .setNewUserId(current)
                .setWaId(waId)
                .setTimestamp(message.getTimestamp())
                .setRawJson(message.getRawJson())
                .build();
        return List.of(record(event, message.getTimestamp(), path));
    }

    private MappedRecord accountUpdate(
            JsonNode value, ChangeContext change, Instant time, String path, ParseNotes notes) {
        String event = JsonFields.id(value, "event");
        if (event != null && RESTRICTION_EVENT.equals(MetaSymbols.normalise(event))) {
            AccountEvent restriction = base(AccountEventKind.RESTRICTION, ACCOUNT_UPDATE, change, time, value)
                    .setEvent(event)
                    .setRestrictions(restrictions(value, notes))
                    .build();
            return record(restriction, time, path);
        }
        AccountEvent other = base(AccountEventKind.ACCOUNT_UPDATE, ACCOUNT_UPDATE, change, time, value)
                .setEvent(event)
                .build();
        return record(other, time, path);
    }

    private MappedRecord messagingLimit(
            String field, JsonNode value, ChangeContext change, Instant time, String path, ParseNotes notes) {
        String tier = MessagingLimits.tier(value.get(PORTFOLIO_LIMIT));
        if (tier == null) {
            tier = MessagingLimits.tier(value.get(LEGACY_LIMIT));
        }
        AccountEvent event = base(AccountEventKind.MESSAGING_LIMIT, field, change, time, value)
                .setEvent(JsonFields.id(value, "event"))
                .setDisplayPhoneNumber(JsonFields.id(value, "display_phone_number"))
                .setMessagingLimitTier(tier)
                .setMessagingLimit(MessagingLimits.limit(tier, notes))
                .build();
        return record(event, time, path);
    }

    private List<MappedRecord> numberQuality(
            JsonNode value, ChangeContext change, Instant time, String path, ParseNotes notes) {
        String event = JsonFields.id(value, "event");
        String displayPhoneNumber = JsonFields.id(value, "display_phone_number");
        if (displayPhoneNumber == null) {
            displayPhoneNumber = change.displayPhoneNumber();
        }
        String portfolioTier = MessagingLimits.tier(value.get(PORTFOLIO_LIMIT));
        boolean throughput = event != null && MetaSymbols.normalise(event).startsWith("THROUGHPUT");
        AccountEvent.Builder number = base(
                        throughput ? AccountEventKind.THROUGHPUT : AccountEventKind.PHONE_NUMBER_QUALITY,
                        NUMBER_QUALITY_UPDATE,
                        change,
                        time,
                        value)
                .setEvent(event)
                .setPhoneNumberId(change.phoneNumberId())
                .setDisplayPhoneNumber(displayPhoneNumber)
                .setQualityRating(JsonFields.id(value, "quality_rating"));
        if (throughput) {
            number.setThroughputLevel(throughputLevel(event, notes)).setMessagingLimitTier(portfolioTier);
        } else {
            String tier = portfolioTier != null ? portfolioTier : MessagingLimits.tier(value.get("current_limit"));
            // The portfolio's tier is read (and an unknown one noted) once, by the MESSAGING_LIMIT record below.
            ParseNotes tierNotes = portfolioTier != null ? new ParseNotes() : notes;
            number.setMessagingLimitTier(tier)
                    .setPreviousMessagingLimitTier(MessagingLimits.tier(value.get("old_limit")))
                    .setMessagingLimit(MessagingLimits.limit(tier, tierNotes));
        }
        List<MappedRecord> records = new ArrayList<>(2);
        records.add(record(number.build(), time, path));
        if (portfolioTier != null) {
            records.add(messagingLimit(NUMBER_QUALITY_UPDATE, value, change, time, path, notes));
        }
        return records;
    }

    private static ThroughputLevel throughputLevel(String event, ParseNotes notes) {
        return switch (MetaSymbols.normalise(event)) {
            case "THROUGHPUT_UPGRADE" -> ThroughputLevel.HIGH;
            case "THROUGHPUT_DOWNGRADE" -> ThroughputLevel.STANDARD;
            default -> {
                notes.unrecognised("throughput_level");
                yield ThroughputLevel.UNKNOWN;
            }
        };
    }

    private static List<AccountRestriction> restrictions(JsonNode value, ParseNotes notes) {
        List<JsonNode> items = JsonFields.array(value, "restriction_info");
        if (items == null) {
            JsonNode single = JsonFields.object(value, "restriction_info");
            items = single == null ? List.of() : List.of(single);
        }
        List<AccountRestriction> restrictions = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            if (!item.isObject()) {
                continue;
            }
            String raw = JsonFields.id(item, "restriction_type");
            restrictions.add(AccountRestriction.newBuilder()
                    .setType(MetaSymbols.symbol(
                            RestrictionType.class, raw, RestrictionType.UNKNOWN, "restriction_type", notes))
                    .setRawType(raw)
                    .setExpiresAt(MetaTime.optional(item, "expiration"))
                    .build());
        }
        return restrictions;
    }

    private AccountEvent.Builder base(
            AccountEventKind kind, String field, ChangeContext change, Instant time, JsonNode raw) {
        return AccountEvent.newBuilder()
                .setKind(kind)
                .setField(field)
                .setWabaId(change.wabaId())
                .setTimestamp(time)
                .setRawJson(rawJson.of(raw));
    }

    private static MappedRecord record(AccountEvent event, Instant time, String path) {
        return new MappedRecord(RecordKind.ACCOUNT_EVENT, AccountEventKey.of(event), event, time, path);
    }

    private static void requireWaba(ChangeContext change) {
        if (change.wabaId() == null) {
            throw new InvalidItemException("no entry id (business account)");
        }
    }
}
