package io.janela.local.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.janela.avro.ConversationResolution;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ResolutionJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-06T18:00:00Z");

    @Test
    void readsEveryFieldOfTheShapeIntoTheContractsResolution() throws Exception {
        ConversationResolution resolution = ResolutionJson.parse(JSON.readTree("""
                        {"to": "+5511999990000", "userId": "BR.1", "reference": "order 4711", "agentId": "agent-7",
                         "team": "support", "language": "pt_BR", "resolvedAt": "2026-12-06T17:55:00Z",
                         "resolutionId": "r-1", "phoneNumberId": "100000000000009"}"""), "100000000000001", NOW);

        assertThat(resolution.getResolutionId()).isEqualTo("r-1");
        assertThat(resolution.getPhoneNumberId()).isEqualTo("100000000000009");
        assertThat(resolution.getRecipientPhoneNumber()).isEqualTo("+5511999990000");
        assertThat(resolution.getRecipientUserId()).isEqualTo("BR.1");
        assertThat(resolution.getResolvedAt()).isEqualTo(Instant.parse("2026-12-06T17:55:00Z"));
        assertThat(resolution.getAgentId()).isEqualTo("agent-7");
        assertThat(resolution.getTeam()).isEqualTo("support");
        assertThat(resolution.getReference()).isEqualTo("order 4711");
        assertThat(resolution.getLanguage()).isEqualTo("pt_BR");
    }

    @Test
    void defaultsToTheLocalNumberNowAndARandomId() throws Exception {
        ConversationResolution resolution =
                ResolutionJson.parse(JSON.readTree("{\"userId\": \"BR.1\"}"), "100000000000001", NOW);

        assertThat(resolution.getPhoneNumberId()).isEqualTo("100000000000001");
        assertThat(resolution.getResolvedAt()).isEqualTo(NOW);
        assertThat(resolution.getResolutionId()).isNotBlank();
        assertThat(resolution.getRecipientPhoneNumber()).isNull();
        assertThat(resolution.getReference()).isNull();
    }

    @Test
    void refusesABodyWithoutARecipientOrWithABadTime() throws Exception {
        assertThatThrownBy(() -> ResolutionJson.parse(JSON.readTree("{\"team\": \"support\"}"), "1", NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("userId");
        assertThatThrownBy(() -> ResolutionJson.parse(
                        JSON.readTree("{\"userId\": \"BR.1\", \"resolvedAt\": \"yesterday\"}"), "1", NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resolvedAt");
        assertThatThrownBy(() -> ResolutionJson.parse(JSON.readTree("[]"), "1", NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
