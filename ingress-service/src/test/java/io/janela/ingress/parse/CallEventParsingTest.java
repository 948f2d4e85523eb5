package io.janela.ingress.parse;

import static io.janela.ingress.parse.Parsing.CONTACT_KEY;
import static io.janela.ingress.parse.Parsing.PHONE_NUMBER_ID;
import static io.janela.ingress.parse.Parsing.USER_ID;
import static io.janela.ingress.parse.Parsing.WABA;
import static io.janela.ingress.parse.Parsing.WA_ID;
import static io.janela.ingress.parse.Parsing.parse;
import static io.janela.ingress.parse.Parsing.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.CallDirection;
import io.janela.avro.CallEvent;
import io.janela.avro.CallEventType;
import io.janela.avro.CallStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CallEventParsingTest {

    @Test
    void readsAUserCallConnectKeyedByTheUserId() {
        MappedRecord record = single("calls/user-connect.json");
        CallEvent call = (CallEvent) record.value();

        assertThat(record.kind()).isEqualTo(RecordKind.CALL_EVENT);
        assertThat(record.key()).isEqualTo(CONTACT_KEY);
        assertThat(record.timestamp()).isEqualTo(Instant.ofEpochSecond(1765000000));
        assertThat(call.getCallId()).startsWith("wacid.");
        assertThat(call.getPhoneNumberId()).isEqualTo(PHONE_NUMBER_ID);
        assertThat(call.getDisplayPhoneNumber()).isEqualTo("15550783881");
        assertThat(call.getWabaId()).isEqualTo(WABA);
        assertThat(call.getContactId()).isEqualTo(USER_ID);
        assertThat(call.getUserId()).isEqualTo(USER_ID);
        assertThat(call.getWaId()).isEqualTo(WA_ID);
        assertThat(call.getDirection()).isEqualTo(CallDirection.USER_INITIATED);
        assertThat(call.getEvent()).isEqualTo(CallEventType.CONNECT);
        assertThat(call.getStatus()).isNull();
        assertThat(call.getTimestamp()).isEqualTo(Instant.ofEpochSecond(1765000000));
        assertThat(call.getRawJson()).contains("\"event\":\"connect\"");
    }

    @Test
    void readsATerminateWithItsTimesAndDurationKeyedByTheWaIdWhenNoUserIdIsKnown() {
        MappedRecord record = single("calls/user-terminate.json");
        CallEvent call = (CallEvent) record.value();

        assertThat(record.key()).isEqualTo(PHONE_NUMBER_ID + ":" + WA_ID);
        assertThat(call.getContactId()).isEqualTo(WA_ID);
        assertThat(call.getUserId()).isNull();
        assertThat(call.getEvent()).isEqualTo(CallEventType.TERMINATE);
        assertThat(call.getStatus()).isEqualTo(CallStatus.COMPLETED);
        assertThat(call.getStartedAt()).isEqualTo(Instant.ofEpochSecond(1765000005));
        assertThat(call.getEndedAt()).isEqualTo(Instant.ofEpochSecond(1765000120));
        assertThat(call.getDurationSeconds()).isEqualTo(115);
        assertThat(call.getBizOpaqueCallbackData()).isEqualTo("ticket-42");
    }

    @Test
    void readsTheStatusOfACallTheBusinessPlacedKeyedByTheRecipient() {
        MappedRecord record = single("calls/business-accepted.json");
        CallEvent call = (CallEvent) record.value();

        assertThat(record.kind()).isEqualTo(RecordKind.CALL_EVENT);
        assertThat(record.key()).isEqualTo(CONTACT_KEY);
        assertThat(call.getDirection()).isEqualTo(CallDirection.BUSINESS_INITIATED);
        assertThat(call.getEvent()).isEqualTo(CallEventType.STATUS);
        assertThat(call.getStatus()).isEqualTo(CallStatus.ACCEPTED);
        assertThat(call.getWaId()).isEqualTo(WA_ID);
        assertThat(call.getTimestamp()).isEqualTo(Instant.ofEpochSecond(1765000300));
        assertThat(call.getBizOpaqueCallbackData()).isEqualTo("campaign-7");
    }

    @Test
    void keysACallTheBusinessPlacedByTheUserItWentToNotByTheBusinessNumber() {
        MappedRecord record = single("calls/business-connect.json");
        CallEvent call = (CallEvent) record.value();

        assertThat(record.key()).isEqualTo(PHONE_NUMBER_ID + ":" + WA_ID);
        assertThat(call.getContactId()).isEqualTo(WA_ID);
        assertThat(call.getWaId()).isEqualTo(WA_ID);
        assertThat(call.getDirection()).isEqualTo(CallDirection.BUSINESS_INITIATED);
        assertThat(call.getEvent()).isEqualTo(CallEventType.CONNECT);
        assertThat(call.getTimestamp()).isEqualTo(Instant.ofEpochSecond(1765000290));
        assertThat(call.getBizOpaqueCallbackData()).isEqualTo("TRx334DUDFTI4Mj");
    }

    @Test
    void mapsValuesItDoesNotKnowToUnknownAndNotesThemWithoutAProblem() {
        ParsedWebhook parsed = parse("calls/unknown-values.json");
        CallEvent call = (CallEvent) single("calls/unknown-values.json").value();

        assertThat(call.getDirection()).isEqualTo(CallDirection.UNKNOWN);
        assertThat(call.getEvent()).isEqualTo(CallEventType.UNKNOWN);
        assertThat(call.getStatus()).isEqualTo(CallStatus.UNKNOWN);
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.notes().unrecognisedValues()).containsExactly("call_direction", "call_event", "call_status");
        assertThat(parsed.notes().ignoredFields()).isEmpty();
    }
}
