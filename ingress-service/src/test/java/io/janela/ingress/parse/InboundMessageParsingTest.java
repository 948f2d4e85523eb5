package io.janela.ingress.parse;

import static io.janela.ingress.parse.Parsing.CONTACT_KEY;
import static io.janela.ingress.parse.Parsing.PHONE_NUMBER_ID;
import static io.janela.ingress.parse.Parsing.USER_ID;
import static io.janela.ingress.parse.Parsing.WABA;
import static io.janela.ingress.parse.Parsing.WA_ID;
import static io.janela.ingress.parse.Parsing.single;
import static io.janela.ingress.parse.Parsing.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.avro.MetaError;
import io.janela.avro.ReplyKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class InboundMessageParsingTest {

    @Test
    void readsATextMessageKeyedByTheBusinessScopedUserIdWithBothIdentitiesKept() {
        MappedRecord record = single("messages/text.json");
        InboundMessage message = (InboundMessage) record.value();

        assertThat(record.kind()).isEqualTo(RecordKind.INBOUND_MESSAGE);
        assertThat(record.key()).isEqualTo(CONTACT_KEY);
        assertThat(record.timestamp()).isEqualTo(Instant.ofEpochSecond(1749416383));
        assertThat(message.getMessageId()).isEqualTo("wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzTEXT");
        assertThat(message.getPhoneNumberId()).isEqualTo(PHONE_NUMBER_ID);
        assertThat(message.getDisplayPhoneNumber()).isEqualTo("15550783881");
        assertThat(message.getWabaId()).isEqualTo(WABA);
        assertThat(message.getContactId()).isEqualTo(USER_ID);
        assertThat(message.getUserId()).isEqualTo(USER_ID);
        assertThat(message.getWaId()).isEqualTo(WA_ID);
        assertThat(message.getProfileName()).isEqualTo("Sheena Nelson");
        assertThat(message.getTimestamp()).isEqualTo(Instant.ofEpochSecond(1749416383));
        assertThat(message.getType()).isEqualTo(InboundMessageType.TEXT);
        assertThat(message.getText()).isEqualTo("Does it come in another color?");
        assertThat(message.getErrors()).isEmpty();
    }

    @Test
    void keepsTheItemAsCompactJsonInMetasFieldOrder() {
        InboundMessage message = value("messages/text.json", InboundMessage.class);

        assertThat(message.getRawJson())
                .isEqualTo("{\"from\":\"16505551234\",\"from_user_id\":\"US.13491208655302741918\","
                        + "\"id\":\"wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzTEXT\",\"timestamp\":\"1749416383\","
                        + "\"type\":\"text\",\"text\":{\"body\":\"Does it come in another color?\"}}");
    }

    @Test
    void identifiesAUsernameUserWithoutAPhoneNumberByUserIdAndTakesProfileFromTheContact() {
        InboundMessage message = value("messages/text-username-user.json", InboundMessage.class);

        assertThat(message.getContactId()).isEqualTo("US.77777777777777777777");
        assertThat(message.getWaId()).isNull();
        assertThat(message.getUsername()).isEqualTo("realsheenanelson");
        assertThat(message.getProfileName()).isEqualTo("Real Sheena");
        assertThat(message.getParentUserId()).isEqualTo("US.ENT.11815799212886844830");
    }

    @Test
    void readsTheClickToWhatsAppAdReferral() {
        InboundMessage message = value("messages/text-with-referral.json", InboundMessage.class);

        assertThat(message.getReferral()).isNotNull();
        assertThat(message.getReferral().getSourceId()).isEqualTo("120226305854810726");
        assertThat(message.getReferral().getSourceType()).isEqualTo("ad");
        assertThat(message.getReferral().getSourceUrl()).isEqualTo("https://fb.me/3cr4Wqqkv");
        assertThat(message.getReferral().getHeadline()).isEqualTo("Chat with us");
        assertThat(message.getReferral().getBody()).isEqualTo("Summer sale: 30% off every jacket");
        assertThat(message.getReferral().getMediaType()).isEqualTo("image");
        assertThat(message.getReferral().getImageUrl()).endsWith("ad-image.jpg");
        assertThat(message.getReferral().getThumbnailUrl()).endsWith("ad-thumb.jpg");
        assertThat(message.getReferral().getCtwaClid()).startsWith("ARAkLkA8rmlF");
        assertThat(message.getReferral().getWelcomeMessageText())
                .isEqualTo("Hi! How can we help you with the summer sale?");
    }

    @Test
    void readsTheContextOfAReplyAForwardAndAProductEnquiry() {
        InboundMessage reply = value("messages/text-reply-context.json", InboundMessage.class);
        InboundMessage forwarded = value("messages/text-forwarded.json", InboundMessage.class);
        InboundMessage enquiry = value("messages/text-product-enquiry.json", InboundMessage.class);

        assertThat(reply.getContext().getFrom()).isEqualTo("15550783881");
        assertThat(reply.getContext().getMessageId())
                .isEqualTo("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJCUVNJTkVTU01FU1NBR0UA");
        assertThat(reply.getContext().getForwarded()).isFalse();
        assertThat(forwarded.getContext().getForwarded()).isTrue();
        assertThat(forwarded.getContext().getFrequentlyForwarded()).isTrue();
        assertThat(enquiry.getContext().getCatalogId()).isEqualTo("194836987003835");
        assertThat(enquiry.getContext().getProductRetailerId()).isEqualTo("jacket-blue-m");
    }

    @ParameterizedTest
    @CsvSource({
        "messages/image.json,    IMAGE,    1003383421387256, image/jpeg,               This one",
        "messages/video.json,    VIDEO,    1166846181421424, video/mp4,                Unboxing",
        "messages/audio.json,    AUDIO,    1003383421387257, audio/ogg; codecs=opus,   ",
        "messages/document.json, DOCUMENT, 1003383421387258, application/pdf,          My invoice",
        "messages/sticker.json,  STICKER,  1003383421387259, image/webp,               "
    })
    void readsEveryMediaType(String path, InboundMessageType type, String mediaId, String mimeType, String caption) {
        InboundMessage message = value(path, InboundMessage.class);

        assertThat(message.getType()).isEqualTo(type);
        assertThat(message.getMedia().getMediaId()).isEqualTo(mediaId);
        assertThat(message.getMedia().getMimeType()).isEqualTo(mimeType);
        assertThat(message.getMedia().getSha256()).isNotBlank();
        assertThat(message.getMedia().getCaption()).isEqualTo(caption);
    }

    @Test
    void readsTheFilenameOfADocumentAndTheUrlOfAnImage() {
        assertThat(value("messages/document.json", InboundMessage.class)
                        .getMedia()
                        .getFilename())
                .isEqualTo("invoice-2026-06.pdf");
        assertThat(value("messages/image.json", InboundMessage.class).getMedia().getUrl())
                .startsWith("https://lookaside.fbsbx.com/");
    }

    @Test
    void readsInteractiveButtonAndListReplies() {
        InboundMessage button = value("messages/interactive-button-reply.json", InboundMessage.class);
        InboundMessage list = value("messages/interactive-list-reply.json", InboundMessage.class);

        assertThat(button.getType()).isEqualTo(InboundMessageType.INTERACTIVE);
        assertThat(button.getReply().getKind()).isEqualTo(ReplyKind.BUTTON_REPLY);
        assertThat(button.getReply().getId()).isEqualTo("confirm-order-7");
        assertThat(button.getReply().getTitle()).isEqualTo("Confirm");
        assertThat(button.getContext().getMessageId())
                .isEqualTo("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJJTlRFUkFDVElWRU1TRwA=");
        assertThat(list.getReply().getKind()).isEqualTo(ReplyKind.LIST_REPLY);
        assertThat(list.getReply().getId()).isEqualTo("slot-2026-07-02-10");
        assertThat(list.getReply().getTitle()).isEqualTo("Thu 10:00");
        assertThat(list.getReply().getDescription()).isEqualTo("Store visit, 30 min");
    }

    @Test
    void readsAFlowResponseWithItsResponseJson() {
        InboundMessage flow = value("messages/interactive-nfm-reply.json", InboundMessage.class);

        assertThat(flow.getReply().getKind()).isEqualTo(ReplyKind.NFM_REPLY);
        assertThat(flow.getReply().getResponseJson())
                .isEqualTo("{\"flow_token\":\"ab12\",\"rating\":\"5\",\"comment\":\"Great service\"}");
        assertThat(flow.getReply().getTitle()).isEqualTo("flow");
    }

    @Test
    void readsATemplateQuickReplyButton() {
        InboundMessage button = value("messages/button.json", InboundMessage.class);

        assertThat(button.getType()).isEqualTo(InboundMessageType.BUTTON);
        assertThat(button.getReply().getKind()).isEqualTo(ReplyKind.TEMPLATE_BUTTON);
        assertThat(button.getReply().getPayload()).isEqualTo("STOP_PROMOS");
        assertThat(button.getReply().getTitle()).isEqualTo("Stop promotions");
        assertThat(button.getContext().getMessageId())
                .isEqualTo("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJURU1QTEFURU1FU1NBR0UA");
    }

    @Test
    void readsAReactionAndItsRemoval() {
        InboundMessage reaction = value("messages/reaction.json", InboundMessage.class);
        InboundMessage removed = value("messages/reaction-removed.json", InboundMessage.class);

        assertThat(reaction.getType()).isEqualTo(InboundMessageType.REACTION);
        assertThat(reaction.getReaction().getMessageId())
                .isEqualTo("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJCVVNJTkVTU1JFUExZAA==");
        assertThat(reaction.getReaction().getEmoji()).isEqualTo("\uD83D\uDC4D");
        assertThat(removed.getReaction().getEmoji()).isNull();
    }

    @Test
    void readsALocationWithAnIntegerTimestamp() {
        MappedRecord record = single("messages/location.json");
        InboundMessage message = (InboundMessage) record.value();

        assertThat(record.timestamp()).isEqualTo(Instant.ofEpochSecond(1749416390));
        assertThat(message.getLocation().getLatitude()).isEqualTo(37.483307);
        assertThat(message.getLocation().getLongitude()).isEqualTo(122.148981);
        assertThat(message.getLocation().getName()).isEqualTo("Philz Coffee");
        assertThat(message.getLocation().getAddress()).isEqualTo("101 Forest Ave, Palo Alto, CA 94301");
        assertThat(message.getLocation().getUrl()).isEqualTo("https://philzcoffee.com");
    }

    @Test
    void keepsSharedContactsAndOrdersInTheirRawJson() {
        InboundMessage contacts = value("messages/contacts.json", InboundMessage.class);
        InboundMessage order = value("messages/order.json", InboundMessage.class);
        JsonMapper json = JsonMapper.builder().build();

        assertThat(contacts.getType()).isEqualTo(InboundMessageType.CONTACTS);
        assertThat(json.readTree(contacts.getRawJson())
                        .at("/contacts/0/phones/0/wa_id")
                        .asString())
                .isEqualTo("19405551234");
        assertThat(order.getType()).isEqualTo(InboundMessageType.ORDER);
        assertThat(json.readTree(order.getRawJson())
                        .at("/order/product_items/1/quantity")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void readsANumberChangeWhichCarriesNoContacts() {
        InboundMessage system = value("messages/system-user-changed-number.json", InboundMessage.class);

        assertThat(system.getType()).isEqualTo(InboundMessageType.SYSTEM);
        assertThat(system.getContactId()).isEqualTo(USER_ID);
        assertThat(system.getProfileName()).isNull();
        assertThat(system.getSystem().getKind()).isEqualTo("user_changed_number");
        assertThat(system.getSystem().getNewWaId()).isEqualTo("16505559876");
        assertThat(system.getSystem().getBody()).contains("changed from");
    }

    @Test
    void readsABusinessScopedUserIdChange() {
        InboundMessage system = value("messages/system-user-changed-user-id.json", InboundMessage.class);

        assertThat(system.getSystem().getKind()).isEqualTo("user_changed_user_id");
        assertThat(system.getSystem().getNewUserId()).isEqualTo("US.13491208655302749999");
        assertThat(system.getContactId()).isEqualTo(USER_ID);
    }

    @Test
    void readsAnUnsupportedMessageWithItsErrors() {
        InboundMessage unsupported = value("messages/unsupported.json", InboundMessage.class);

        assertThat(unsupported.getType()).isEqualTo(InboundMessageType.UNSUPPORTED);
        assertThat(unsupported.getUnsupportedType()).isEqualTo("poll_update");
        assertThat(unsupported.getErrors())
                .containsExactly(new MetaError(
                        131051,
                        "Message type unknown",
                        "Message type unknown",
                        "Message type is currently not supported."));
    }

    @Test
    void readsEditsRevokesAndWelcomeRequestsByType() {
        assertThat(value("messages/edit.json", InboundMessage.class).getType()).isEqualTo(InboundMessageType.EDIT);
        assertThat(value("messages/revoke.json", InboundMessage.class).getType())
                .isEqualTo(InboundMessageType.REVOKE);
        assertThat(value("messages/request-welcome.json", InboundMessage.class).getType())
                .isEqualTo(InboundMessageType.REQUEST_WELCOME);
    }

    @Test
    void mapsAnUnknownTypeToUnknownKeepingEverythingInRawJson() {
        ParsedWebhook parsed = Parsing.parse("messages/unknown-type.json");
        InboundMessage message = (InboundMessage) parsed.records().getFirst().value();

        assertThat(parsed.problems()).isEmpty();
        assertThat(message.getType()).isEqualTo(InboundMessageType.UNKNOWN);
        assertThat(message.getRawJson()).contains("\"type\":\"hologram\"", "\"projection\":\"3d\"", "surprise_field");
        assertThat(parsed.notes().unrecognisedValues()).containsExactly("message_type");
    }

    @Test
    void readsTheGroupOfAGroupMessageAndKeysItByTheSender() {
        MappedRecord record = single("messages/group-message.json");

        assertThat(((InboundMessage) record.value()).getGroupId()).isEqualTo("120363025246125486@g.us");
        assertThat(record.key()).isEqualTo(CONTACT_KEY);
    }
}
