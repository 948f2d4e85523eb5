package io.janela.ingress.parse;

import static io.janela.ingress.parse.Parsing.CONTACT_KEY;
import static io.janela.ingress.parse.Parsing.PHONE_NUMBER_ID;
import static io.janela.ingress.parse.Parsing.USER_ID;
import static io.janela.ingress.parse.Parsing.WA_ID;
import static io.janela.ingress.parse.Parsing.single;
import static io.janela.ingress.parse.Parsing.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DeliveryStatus;
import io.janela.avro.MessageCategory;
import io.janela.avro.MessageStatus;
import io.janela.avro.Pricing;
import io.janela.avro.PricingType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MessageStatusParsingTest {

    @Test
    void readsASentStatusWithPricingKeyedByTheRecipientUserId() {
        MappedRecord record = single("statuses/sent.json");
        MessageStatus status = (MessageStatus) record.value();

        assertThat(record.kind()).isEqualTo(RecordKind.MESSAGE_STATUS);
        assertThat(record.key()).isEqualTo(CONTACT_KEY);
        assertThat(record.timestamp()).isEqualTo(Instant.ofEpochSecond(1750030073));
        assertThat(status.getMessageId()).isEqualTo("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3MDlBQkQ3NjI0MzE5QjhBNkEA");
        assertThat(status.getStatus()).isEqualTo(DeliveryStatus.SENT);
        assertThat(status.getContactId()).isEqualTo(USER_ID);
        assertThat(status.getRecipientId()).isEqualTo(WA_ID);
        assertThat(status.getRecipientUserId()).isEqualTo(USER_ID);
        assertThat(status.getPhoneNumberId()).isEqualTo(PHONE_NUMBER_ID);
        assertThat(status.getBizOpaqueCallbackData()).isEqualTo("req-0c6f1a7e");
        assertThat(status.getPricing())
                .isEqualTo(new Pricing(true, "PMP", PricingType.REGULAR, MessageCategory.MARKETING));
        assertThat(status.getConversation()).isNull();
        assertThat(status.getErrors()).isEmpty();
    }

    @Test
    void readsDeliveredReadAndPlayedStatusesWithStringOrIntegerTimestamps() {
        assertThat(value("statuses/delivered.json", MessageStatus.class).getStatus())
                .isEqualTo(DeliveryStatus.DELIVERED);
        MappedRecord read = single("statuses/read.json");
        assertThat(((MessageStatus) read.value()).getStatus()).isEqualTo(DeliveryStatus.READ);
        assertThat(read.timestamp()).isEqualTo(Instant.ofEpochSecond(1750030190));
        assertThat(((MessageStatus) read.value()).getPricing()).isNull();
        assertThat(value("statuses/played.json", MessageStatus.class).getStatus())
                .isEqualTo(DeliveryStatus.PLAYED);
    }

    @Test
    void keysAFailedStatusToAPhoneNumberByTheRecipientIdAndKeepsItsErrors() {
        MappedRecord record = single("statuses/failed.json");
        MessageStatus status = (MessageStatus) record.value();

        assertThat(record.key()).isEqualTo(PHONE_NUMBER_ID + ":" + WA_ID);
        assertThat(status.getStatus()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(status.getRecipientUserId()).isNull();
        assertThat(status.getContactId()).isEqualTo(WA_ID);
        assertThat(status.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getCode()).isEqualTo(131049);
            assertThat(error.getTitle()).startsWith("This message was not delivered");
            assertThat(error.getDetails()).startsWith("In order to maintain a healthy ecosystem engagement");
        });
    }

    @Test
    void keepsTheReEngagementErrorThatClosesAWindow() {
        MessageStatus status = value("statuses/failed-outside-window.json", MessageStatus.class);

        assertThat(status.getErrors()).singleElement().extracting("code").isEqualTo(131047);
    }

    @Test
    void readsTheFreeEntryPointConversationWithItsExpiry() {
        MessageStatus status = value("statuses/sent-free-entry-point.json", MessageStatus.class);

        assertThat(status.getPricing().getType()).isEqualTo(PricingType.FREE_ENTRY_POINT);
        assertThat(status.getPricing().getCategory()).isEqualTo(MessageCategory.REFERRAL_CONVERSION);
        assertThat(status.getPricing().getBillable()).isFalse();
        assertThat(status.getConversation().getId()).isEqualTo("72b14d6bd5407799e66f64d1b338e567");
        assertThat(status.getConversation().getOriginType()).isEqualTo(MessageCategory.REFERRAL_CONVERSION);
        assertThat(status.getConversation().getExpiresAt()).isEqualTo(Instant.ofEpochSecond(1750289800));
    }

    @Test
    void readsBothOfMetasSpellingsOfAuthenticationInternational() {
        MessageStatus status = value("statuses/sent-authentication-international.json", MessageStatus.class);

        assertThat(status.getPricing().getCategory()).isEqualTo(MessageCategory.AUTHENTICATION_INTERNATIONAL);
        assertThat(status.getConversation().getOriginType()).isEqualTo(MessageCategory.AUTHENTICATION_INTERNATIONAL);
        assertThat(status.getConversation().getExpiresAt()).isNull();
    }

    @Test
    void readsAChargedServiceMessage() {
        assertThat(value("statuses/sent-service-charged.json", MessageStatus.class)
                        .getPricing())
                .isEqualTo(new Pricing(true, "PMP", PricingType.REGULAR, MessageCategory.SERVICE));
    }

    @Test
    void keysAGroupStatusByTheGroup() {
        MappedRecord record = single("statuses/delivered-group.json");
        MessageStatus status = (MessageStatus) record.value();

        assertThat(status.getRecipientType()).isEqualTo("group");
        assertThat(record.key()).isEqualTo(PHONE_NUMBER_ID + ":120363025246125486@g.us");
        assertThat(status.getRawJson()).contains("\"recipient_participant_id\":\"16505551234\"");
    }

    @Test
    void takesTheUserIdFromTheStatusContactsWhenTheStatusHasNone() {
        MappedRecord record = single("statuses/delivered-via-contacts.json");

        assertThat(record.key()).isEqualTo(CONTACT_KEY);
        assertThat(((MessageStatus) record.value()).getRecipientUserId()).isEqualTo(USER_ID);
        assertThat(((MessageStatus) record.value()).getRecipientId()).isEqualTo(WA_ID);
    }

    @Test
    void mapsUnknownStatusesAndPricingValuesToUnknownWithoutFailing() {
        ParsedWebhook parsed = Parsing.parse("statuses/unknown-status.json");
        MessageStatus status = (MessageStatus) parsed.records().getFirst().value();

        assertThat(parsed.problems()).isEmpty();
        assertThat(status.getStatus()).isEqualTo(DeliveryStatus.UNKNOWN);
        assertThat(status.getPricing().getType()).isEqualTo(PricingType.UNKNOWN);
        assertThat(status.getPricing().getCategory()).isEqualTo(MessageCategory.UNKNOWN);
        assertThat(status.getRawJson()).contains("\"status\":\"expired\"", "meta_business_agent");
        assertThat(parsed.notes().unrecognisedValues())
                .containsExactlyInAnyOrder("status", "pricing_type", "pricing_category");
    }
}
