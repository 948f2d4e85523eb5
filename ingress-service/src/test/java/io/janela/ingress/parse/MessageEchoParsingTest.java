package io.janela.ingress.parse;

import static io.janela.ingress.parse.Parsing.CONTACT_KEY;
import static io.janela.ingress.parse.Parsing.PHONE_NUMBER_ID;
import static io.janela.ingress.parse.Parsing.USER_ID;
import static io.janela.ingress.parse.Parsing.WABA;
import static io.janela.ingress.parse.Parsing.WA_ID;
import static io.janela.ingress.parse.Parsing.parse;
import static io.janela.ingress.parse.Parsing.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.EchoMessageType;
import io.janela.avro.MessageEcho;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MessageEchoParsingTest {

    @Test
    void readsAnAppSentTextKeyedByTheRecipientsUserId() {
        MappedRecord record = single("message-echoes/text.json");
        MessageEcho echo = (MessageEcho) record.value();

        assertThat(record.kind()).isEqualTo(RecordKind.MESSAGE_ECHO);
        assertThat(record.key()).isEqualTo(CONTACT_KEY);
        assertThat(record.timestamp()).isEqualTo(Instant.ofEpochSecond(1765000500));
        assertThat(echo.getMessageId()).startsWith("wamid.");
        assertThat(echo.getPhoneNumberId()).isEqualTo(PHONE_NUMBER_ID);
        assertThat(echo.getWabaId()).isEqualTo(WABA);
        assertThat(echo.getContactId()).isEqualTo(USER_ID);
        assertThat(echo.getUserId()).isEqualTo(USER_ID);
        assertThat(echo.getWaId()).isEqualTo(WA_ID);
        assertThat(echo.getType()).isEqualTo(EchoMessageType.TEXT);
        assertThat(echo.getContextMessageId()).startsWith("wamid.");
        assertThat(echo.getRawJson()).contains("\"type\":\"text\"");
    }

    @Test
    void mapsATypeItDoesNotKnowToUnknownKeyedByTheWaId() {
        ParsedWebhook parsed = parse("message-echoes/unknown-type.json");
        MappedRecord record = single("message-echoes/unknown-type.json");
        MessageEcho echo = (MessageEcho) record.value();

        assertThat(record.key()).isEqualTo(PHONE_NUMBER_ID + ":" + WA_ID);
        assertThat(echo.getType()).isEqualTo(EchoMessageType.UNKNOWN);
        assertThat(echo.getUserId()).isNull();
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.notes().unrecognisedValues()).containsExactly("echo_type");
    }

    @Test
    void readsTheRecipientNumberWithAPlusAsTheWaIdOfThatContact() {
        MappedRecord record = single("message-echoes/image-plus-number.json");
        MessageEcho echo = (MessageEcho) record.value();

        assertThat(record.key()).isEqualTo(PHONE_NUMBER_ID + ":" + WA_ID);
        assertThat(echo.getWaId()).isEqualTo(WA_ID);
        assertThat(echo.getType()).isEqualTo(EchoMessageType.IMAGE);
        assertThat(echo.getTimestamp()).isEqualTo(Instant.ofEpochSecond(1765000700));
    }
}
