package io.janela.metrics.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.InboundMessageType;
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
        assertThat(CustomerMessageKinds.awaitsReply(null)).isFalse();
    }
}
