package io.janela.ingress.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.avro.MessageStatus;
import io.janela.avro.TemplateEvent;
import io.janela.ingress.TestWebhooks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookParserTest {

    private final WebhookParser parser = new WebhookParser();

    @Test
    void readsEveryEntryChangeAndItemOfAMixedBatchInOrder() {
        ParsedWebhook parsed = Parsing.parse("batches/mixed-batch.json");

        assertThat(parsed.failure()).isEmpty();
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.records())
                .extracting(MappedRecord::kind, MappedRecord::key, MappedRecord::path)
                .containsExactly(
                        tuple(
                                RecordKind.INBOUND_MESSAGE,
                                "106540352242922:US.13491208655302741918",
                                "entry[0].changes[0].value.messages[0]"),
                        tuple(
                                RecordKind.INBOUND_MESSAGE,
                                "106540352242922:GB.55512345678901234567",
                                "entry[0].changes[0].value.messages[1]"),
                        tuple(
                                RecordKind.INBOUND_MESSAGE,
                                "106540352242922:US.13491208655302741918",
                                "entry[0].changes[0].value.messages[2]"),
                        tuple(
                                RecordKind.MESSAGE_STATUS,
                                "106540352242922:US.13491208655302741918",
                                "entry[0].changes[1].value.statuses[0]"),
                        tuple(
                                RecordKind.MESSAGE_STATUS,
                                "106540352242922:447700900123",
                                "entry[0].changes[1].value.statuses[1]"),
                        tuple(
                                RecordKind.USER_PREFERENCE,
                                "106540352242922:US.13491208655302741918",
                                "entry[0].changes[2].value.user_preferences[0]"),
                        tuple(
                                RecordKind.ACCOUNT_EVENT,
                                "102290129340398:ACCOUNT_UPDATE:VERIFIED_ACCOUNT",
                                "entry[0].changes[3].value"),
                        tuple(
                                RecordKind.INBOUND_MESSAGE,
                                "106540352242999:BR.99988877766655544433",
                                "entry[1].changes[0].value.messages[0]"),
                        tuple(
                                RecordKind.TEMPLATE_EVENT,
                                "102290129340777:pedido_confirmado:pt_BR",
                                "entry[1].changes[1].value"));
        assertThat(((InboundMessage) parsed.records().get(2).value()).getType()).isEqualTo(InboundMessageType.UNKNOWN);
        assertThat(((TemplateEvent) parsed.records().get(8).value()).getWabaId())
                .isEqualTo("102290129340777");
        assertThat(parsed.notes().ignoredFields()).isEmpty();
        assertThat(parsed.notes().unrecognisedValues()).containsExactly("message_type");
    }

    @Test
    void readsTheSameBodyIntoEqualRecordsEveryTime() {
        byte[] body = TestWebhooks.load("batches/mixed-batch.json");

        List<MappedRecord> first = parser.parse(body).records();
        List<MappedRecord> second = new WebhookParser().parse(body.clone()).records();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void decodesMetasEscapedUnicodeIntoTheRecord() {
        InboundMessage message =
                (InboundMessage) Parsing.single("signed/escaped-unicode.json").value();

        assertThat(message.getText()).isEqualTo("¿Tienen envío a Córdoba? \uD83D\uDE9A https://example.com/envíos");
        assertThat(message.getProfileName()).isEqualTo("José María");
        assertThat(message.getRawJson()).contains("envío a Córdoba").doesNotContain("\\u00ed");
    }

    @ParameterizedTest
    @CsvSource({
        "malformed/not-json.txt,      MALFORMED_JSON",
        "malformed/truncated.json,    MALFORMED_JSON",
        "malformed/not-whatsapp.json, UNSUPPORTED_OBJECT",
        "malformed/no-entry.json,     UNEXPECTED_SHAPE"
    })
    void failsABodyThatIsNotAWhatsAppEnvelopeAsAWhole(String path, DeadLetterReason reason) {
        ParsedWebhook parsed = Parsing.parse(path);

        assertThat(parsed.failure())
                .hasValueSatisfying(failure -> assertThat(failure.reason()).isEqualTo(reason));
        assertThat(parsed.records()).isEmpty();
    }

    @Test
    void saysWhereTheJsonBreaksWithoutQuotingIt() {
        ParsedWebhook parsed =
                parser.parse("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"16505551234\" oops}]}"
                        .getBytes(StandardCharsets.UTF_8));

        EnvelopeFailure failure = parsed.failure().orElseThrow();
        assertThat(failure.cause())
                .startsWith("not valid JSON (line 1, column ")
                .doesNotContain("16505551234", "oops");
        assertThat(failure.exception()).startsWith("tools.jackson");
    }

    @Test
    void failsEmptyBodiesScalarsArraysAndInvalidUtf8() {
        assertThat(parser.parse(new byte[0]).failure())
                .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(DeadLetterReason.MALFORMED_JSON));
        assertThat(parser.parse("[]".getBytes(StandardCharsets.UTF_8)).failure())
                .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(DeadLetterReason.UNEXPECTED_SHAPE));
        assertThat(parser.parse("42".getBytes(StandardCharsets.UTF_8)).failure())
                .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(DeadLetterReason.UNEXPECTED_SHAPE));
        assertThat(parser.parse(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'})
                        .failure())
                .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(DeadLetterReason.MALFORMED_JSON));
        assertThat(parser.parse("{} {}".getBytes(StandardCharsets.UTF_8)).failure())
                .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(DeadLetterReason.MALFORMED_JSON));
    }

    @Test
    void readsTheGoodItemsAndNamesTheBadOnesByPosition() {
        ParsedWebhook parsed = Parsing.parse("malformed/invalid-items.json");

        assertThat(parsed.failure()).isEmpty();
        assertThat(parsed.records())
                .singleElement()
                .satisfies(record -> assertThat(((InboundMessage) record.value()).getMessageId())
                        .isEqualTo("wamid.GOOD1"));
        assertThat(parsed.problems())
                .containsExactly(
                        new ItemProblem("entry[0].changes[0].value.messages[1]", "no id"),
                        new ItemProblem("entry[0].changes[0].value.messages[2]", "timestamp is not Unix seconds"),
                        new ItemProblem(
                                "entry[0].changes[0].value.messages[3]",
                                "no from_user_id, from or matching contact: no identity"));
    }

    @Test
    void namesEntriesAndChangesOfTheWrongShape() {
        ParsedWebhook parsed = parser.parse(
                ("{\"object\":\"whatsapp_business_account\",\"entry\":[42,{\"id\":\"1\"},{\"id\":\"2\",\"changes\":["
                                + "{\"value\":{}},{\"field\":\"messages\"},{\"field\":\"messages\",\"value\":{\"messages\":{}}},"
                                + "{\"field\":\"messages\",\"value\":{\"messages\":[{\"id\":\"wamid.X\",\"timestamp\":\"1\",\"from\":\"1\"}]}}]}]}")
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(parsed.records()).isEmpty();
        assertThat(parsed.problems())
                .containsExactly(
                        new ItemProblem("entry[0]", "not an object"),
                        new ItemProblem("entry[1]", "no changes array"),
                        new ItemProblem("entry[2].changes[0]", "no field"),
                        new ItemProblem("entry[2].changes[1]", "no value object"),
                        new ItemProblem("entry[2].changes[2].value.messages", "not an array"),
                        new ItemProblem("entry[2].changes[3].value.messages[0]", "no value.metadata.phone_number_id"));
    }

    @Test
    void acceptsAnEnvelopeWithoutEntriesOrObjectAsNothingToPublish() {
        assertThat(parser.parse(
                        "{\"object\":\"whatsapp_business_account\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8)))
                .satisfies(parsed -> {
                    assertThat(parsed.failure()).isEmpty();
                    assertThat(parsed.records()).isEmpty();
                    assertThat(parsed.problems()).isEmpty();
                });
        assertThat(parser.parse("{\"entry\":[]}".getBytes(StandardCharsets.UTF_8))
                        .failure())
                .isEmpty();
    }

    @Test
    void notesAccountLevelErrorsWithoutPublishingThem() {
        ParsedWebhook parsed =
                parser.parse(("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
                                + "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\"2\"},"
                                + "\"errors\":[{\"code\":130429,\"title\":\"Rate limit hit\"}]}}]}]}")
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(parsed.records()).isEmpty();
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.notes().platformErrorCodes()).containsExactly(130429);
    }

    @Test
    void publishesNothingForFieldsItHasNoTopicFor() {
        ParsedWebhook parsed =
                parser.parse(("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":["
                                + "{\"field\":\"account_alerts\",\"value\":{\"entity_type\":\"WABA\"}},"
                                + "{\"field\":\"history\",\"value\":{\"history\":[]}}]}]}")
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(parsed.records()).isEmpty();
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.notes().ignoredFields()).containsExactly("account_alerts", "history");
    }

    @Test
    void readsAThousandMessagesOfOneChange() {
        StringBuilder body =
                new StringBuilder("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
                        + "\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"2\"},\"statuses\":[");
        for (int i = 0; i < 1_000; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"id\":\"wamid.")
                    .append(i)
                    .append("\",\"status\":\"delivered\",\"timestamp\":\"1750030075\",\"recipient_id\":\"1650555")
                    .append(i)
                    .append("\"}");
        }
        body.append("]}}]}]}");

        ParsedWebhook parsed = parser.parse(body.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.records()).hasSize(1_000);
        assertThat(((MessageStatus) parsed.records().get(999).value()).getMessageId())
                .isEqualTo("wamid.999");
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
