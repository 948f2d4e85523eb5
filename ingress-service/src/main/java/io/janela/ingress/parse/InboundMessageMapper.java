package io.janela.ingress.parse;

import io.janela.avro.InboundContext;
import io.janela.avro.InboundLocation;
import io.janela.avro.InboundMedia;
import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.avro.InboundReaction;
import io.janela.avro.InboundReply;
import io.janela.avro.InboundSystemChange;
import io.janela.avro.Referral;
import io.janela.avro.ReplyKind;
import java.time.Instant;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A {@code messages[]} item → {@link InboundMessage}, keyed by contact. Required: the wamid, the timestamp, the
 * business phone number id and an identity (business-scoped user id or wa_id). Everything else is optional and
 * unknown types and sub-types map to {@code UNKNOWN} with the item's raw JSON kept.
 */
final class InboundMessageMapper {

    private static final Set<String> MEDIA_TYPES = Set.of("image", "video", "audio", "document", "sticker");

    private final RawJson rawJson;

    InboundMessageMapper(RawJson rawJson) {
        this.rawJson = rawJson;
    }

    MappedRecord map(JsonNode message, ChangeContext change, String path, ParseNotes notes) {
        String messageId = JsonFields.id(message, "id");
        if (messageId == null) {
            throw new InvalidItemException("no id");
        }
        Instant timestamp = MetaTime.required(message, "timestamp");
        String phoneNumberId = change.requirePhoneNumberId();

        String userId = JsonFields.id(message, "from_user_id");
        if (userId == null) {
            // A system message has no contacts array, and a user_changed_user_id one no phone number either: the user
            // is the contact their previous business-scoped user id names.
            userId = JsonFields.id(JsonFields.object(message, "system"), "previous_user_id");
        }
        Contacts.Identity identity = change.contacts().identify(userId, JsonFields.id(message, "from"));
        String contactId = identity.contactId();
        if (contactId == null) {
            throw new InvalidItemException("no from_user_id, from or matching contact: no identity");
        }
        Contacts.Contact contact = identity.contact();
        String parentUserId = JsonFields.id(message, "from_parent_user_id");
        if (parentUserId == null && contact != null) {
            parentUserId = contact.parentUserId();
        }

        String typeName = JsonFields.text(message, "type");
        InboundMessageType type = MetaSymbols.symbol(
                InboundMessageType.class, typeName, InboundMessageType.UNKNOWN, "message_type", notes);

        InboundMessage value = InboundMessage.newBuilder()
                .setMessageId(messageId)
                .setPhoneNumberId(phoneNumberId)
                .setDisplayPhoneNumber(change.displayPhoneNumber())
                .setWabaId(change.wabaId())
                .setContactId(contactId)
                .setUserId(identity.userId())
                .setWaId(identity.waId())
                .setParentUserId(parentUserId)
                .setProfileName(contact == null ? null : contact.profileName())
                .setUsername(contact == null ? null : contact.username())
                .setTimestamp(timestamp)
                .setType(type)
                .setText(JsonFields.text(JsonFields.object(message, "text"), "body"))
                .setMedia(media(message, typeName))
                .setReply(reply(message, type, notes))
                .setReaction(reaction(message))
                .setLocation(location(message))
                .setSystem(system(message))
                .setUnsupportedType(JsonFields.text(JsonFields.object(message, "unsupported"), "type"))
                .setContext(context(message))
                .setReferral(referral(message))
                .setGroupId(JsonFields.id(message, "group_id"))
                .setErrors(SharedObjects.errors(message, notes))
                .setRawJson(rawJson.of(message))
                .build();
        return new MappedRecord(
                RecordKind.INBOUND_MESSAGE, SharedObjects.contactKey(phoneNumberId, contactId), value, timestamp, path);
    }

    /** image, video, audio, document and sticker share one shape: {@code {id, mime_type, sha256, caption, ...}}. */
    private static InboundMedia media(JsonNode message, String typeName) {
        if (typeName == null || !MEDIA_TYPES.contains(typeName)) {
            return null;
        }
        JsonNode media = JsonFields.object(message, typeName);
        if (media == null) {
            return null;
        }
        return InboundMedia.newBuilder()
                .setMediaId(JsonFields.id(media, "id"))
                .setMimeType(JsonFields.text(media, "mime_type"))
                .setSha256(JsonFields.text(media, "sha256"))
                .setCaption(JsonFields.text(media, "caption"))
                .setFilename(JsonFields.text(media, "filename"))
                .setUrl(JsonFields.text(media, "url"))
                .build();
    }

    /**
     * A tap on an interactive reply button or list row, a Flow response ({@code interactive}), or a template
     * quick-reply button ({@code button}).
     */
    private static InboundReply reply(JsonNode message, InboundMessageType type, ParseNotes notes) {
        if (type == InboundMessageType.BUTTON) {
            JsonNode button = JsonFields.object(message, "button");
            if (button == null) {
                return null;
            }
            return InboundReply.newBuilder()
                    .setKind(ReplyKind.TEMPLATE_BUTTON)
                    .setPayload(JsonFields.text(button, "payload"))
                    .setTitle(JsonFields.text(button, "text"))
                    .build();
        }
        JsonNode interactive = JsonFields.object(message, "interactive");
        if (type != InboundMessageType.INTERACTIVE || interactive == null) {
            return null;
        }
        String replyType = JsonFields.text(interactive, "type");
        ReplyKind kind = MetaSymbols.symbol(ReplyKind.class, replyType, ReplyKind.UNKNOWN, "interactive_type", notes);
        JsonNode reply = replyType == null ? null : JsonFields.object(interactive, replyType);
        InboundReply.Builder builder = InboundReply.newBuilder().setKind(kind);
        if (reply != null) {
            builder.setId(JsonFields.id(reply, "id"))
                    .setTitle(JsonFields.text(reply, kind == ReplyKind.NFM_REPLY ? "name" : "title"))
                    .setDescription(JsonFields.text(reply, kind == ReplyKind.NFM_REPLY ? "body" : "description"))
                    .setResponseJson(JsonFields.text(reply, "response_json"));
        }
        return builder.build();
    }

    private static InboundReaction reaction(JsonNode message) {
        JsonNode reaction = JsonFields.object(message, "reaction");
        if (reaction == null) {
            return null;
        }
        return InboundReaction.newBuilder()
                .setMessageId(JsonFields.id(reaction, "message_id"))
                .setEmoji(JsonFields.text(reaction, "emoji"))
                .build();
    }

    /** Latitude and longitude are required by the contract: a location without both is kept in rawJson only. */
    private static InboundLocation location(JsonNode message) {
        JsonNode location = JsonFields.object(message, "location");
        if (location == null) {
            return null;
        }
        Double latitude = coordinate(location, "latitude");
        Double longitude = coordinate(location, "longitude");
        if (latitude == null || longitude == null) {
            return null;
        }
        return InboundLocation.newBuilder()
                .setLatitude(latitude)
                .setLongitude(longitude)
                .setName(JsonFields.text(location, "name"))
                .setAddress(JsonFields.text(location, "address"))
                .setUrl(JsonFields.text(location, "url"))
                .build();
    }

    private static Double coordinate(JsonNode location, String field) {
        JsonNode node = location.get(field);
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isString()) {
            try {
                double value = Double.parseDouble(node.asString().strip());
                return Double.isFinite(value) ? value : null;
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
    }

    /**
     * A user changed number ({@code user_changed_number}: the new number in {@code wa_id}, {@code new_wa_id} in older
     * payloads) or business-scoped user id ({@code user_changed_user_id}: the new id in {@code user_id}). Since
     * 2026-08-11 both carry the id before the change in {@code previous_user_id} (Meta's changelog: a user id change
     * comes only this way; {@code user_id_update} is no subscribable field).
     */
    private static InboundSystemChange system(JsonNode message) {
        JsonNode system = JsonFields.object(message, "system");
        if (system == null) {
            return null;
        }
        String newWaId = JsonFields.id(system, "wa_id");
        return InboundSystemChange.newBuilder()
                .setKind(JsonFields.text(system, "type"))
                .setBody(JsonFields.text(system, "body"))
                .setNewWaId(newWaId != null ? newWaId : JsonFields.id(system, "new_wa_id"))
                .setNewUserId(JsonFields.id(system, "user_id"))
                .setPreviousUserId(JsonFields.id(system, "previous_user_id"))
                .build();
    }

    /** A reply to a business message ({@code from}, {@code id}), a forward, or a product enquiry. */
    private static InboundContext context(JsonNode message) {
        JsonNode context = JsonFields.object(message, "context");
        if (context == null) {
            return null;
        }
        JsonNode product = JsonFields.object(context, "referred_product");
        return InboundContext.newBuilder()
                .setFrom(JsonFields.id(context, "from"))
                .setMessageId(JsonFields.id(context, "id"))
                .setForwarded(Boolean.TRUE.equals(JsonFields.bool(context, "forwarded")))
                .setFrequentlyForwarded(Boolean.TRUE.equals(JsonFields.bool(context, "frequently_forwarded")))
                .setCatalogId(JsonFields.id(product, "catalog_id"))
                .setProductRetailerId(JsonFields.id(product, "product_retailer_id"))
                .build();
    }

    /** A click-to-WhatsApp ad entry; {@code ctwa_clid} is absent for Status ad placements. */
    private static Referral referral(JsonNode message) {
        JsonNode referral = JsonFields.object(message, "referral");
        if (referral == null) {
            return null;
        }
        return Referral.newBuilder()
                .setSourceUrl(JsonFields.text(referral, "source_url"))
                .setSourceId(JsonFields.id(referral, "source_id"))
                .setSourceType(JsonFields.text(referral, "source_type"))
                .setHeadline(JsonFields.text(referral, "headline"))
                .setBody(JsonFields.text(referral, "body"))
                .setMediaType(JsonFields.text(referral, "media_type"))
                .setImageUrl(JsonFields.text(referral, "image_url"))
                .setVideoUrl(JsonFields.text(referral, "video_url"))
                .setThumbnailUrl(JsonFields.text(referral, "thumbnail_url"))
                .setCtwaClid(JsonFields.text(referral, "ctwa_clid"))
                .setWelcomeMessageText(JsonFields.text(JsonFields.object(referral, "welcome_message"), "text"))
                .build();
    }
}
