package io.janela.metrics.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.avro.InboundReply;
import io.janela.avro.ReplyKind;
import io.janela.contract.SurveyAnswers;
import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class CustomerMessageKindsTest {

    @Test
    void messagesTheCustomerWroteWaitForAnAnswer() {
        for (InboundMessageType type : EnumSet.of(
                InboundMessageType.TEXT,
                InboundMessageType.IMAGE,
                InboundMessageType.AUDIO,
                InboundMessageType.INTERACTIVE,
                InboundMessageType.BUTTON,
                InboundMessageType.LOCATION,
                InboundMessageType.ORDER)) {
            assertThat(CustomerMessageKinds.awaitsReply(type)).as(type.name()).isTrue();
        }
    }

    @Test
    void reactionsNoticesEditsAndUnknownTypesDoNot() {
        for (InboundMessageType type : EnumSet.of(
                InboundMessageType.REACTION,
                InboundMessageType.SYSTEM,
                InboundMessageType.UNSUPPORTED,
                InboundMessageType.EDIT,
                InboundMessageType.REVOKE,
                InboundMessageType.REQUEST_WELCOME,
                InboundMessageType.UNKNOWN)) {
            assertThat(CustomerMessageKinds.awaitsReply(type)).as(type.name()).isFalse();
        }
        assertThat(CustomerMessageKinds.awaitsReply((InboundMessageType) null)).isFalse();
    }

    @Test
    void aTapOnASatisfactionSurveyWaitsForNothingButOtherTapsAndTextDo() {
        assertThat(CustomerMessageKinds.awaitsReply(tap(ReplyKind.LIST_REPLY, SurveyAnswers.code("s1", 5), null)))
                .isFalse();
        assertThat(CustomerMessageKinds.awaitsReply(tap(ReplyKind.TEMPLATE_BUTTON, null, SurveyAnswers.code("s1", 2))))
                .isFalse();
        assertThat(CustomerMessageKinds.awaitsReply(tap(ReplyKind.LIST_REPLY, "order-status", null)))
                .isTrue();
        assertThat(CustomerMessageKinds.awaitsReply(tap(ReplyKind.TEMPLATE_BUTTON, null, "STOP_PROMOS")))
                .isTrue();
    }

    private static InboundMessage tap(ReplyKind kind, String id, String payload) {
        return InboundMessage.newBuilder()
                .setMessageId("wamid.tap")
                .setPhoneNumberId("100000000000001")
                .setContactId("BR.1")
                .setTimestamp(Instant.parse("2026-12-06T10:00:00Z"))
                .setType(kind == ReplyKind.TEMPLATE_BUTTON ? InboundMessageType.BUTTON : InboundMessageType.INTERACTIVE)
                .setReply(InboundReply.newBuilder()
                        .setKind(kind)
                        .setId(id)
                        .setPayload(payload)
                        .build())
                .setRawJson("{}")
                .build();
    }
}
