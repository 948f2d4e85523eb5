package io.janela.dispatch.outcome;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.sendCommand;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.MessageCategory;
import io.janela.avro.OutboundRequest;
import io.janela.avro.SendCommand;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the contract says every result copies from its request (OutboundRequest's team, agentId and surveyId docs):
 * metrics labels responses by team, sums them per agent and tells a survey from a reply by them.
 */
class ResultsTest {

    @Test
    void everyKindOfResultCarriesTheRequestsTeamAgentAndSurvey() {
        OutboundRequest request = text("survey:s-1", "How did we do?")
                .setTeam("support")
                .setAgentId("agent-7")
                .setSurveyId("s-1")
                .build();
        SendCommand command = sendCommand(request, null);

        List<DispatchResult> results = List.of(
                Results.refused(
                        request,
                        "US.1",
                        DispatchOutcome.REJECTED,
                        DispatchReason.WINDOW_CLOSED,
                        "closed",
                        MessageCategory.SERVICE,
                        NOW),
                Results.sent(command, false, "wamid.1", 1, NOW),
                Results.failed(command, DispatchOutcome.FAILED, DispatchReason.META_ERROR, 131000, "x", false, 1, NOW));

        assertThat(results).allSatisfy(result -> {
            assertThat(result.getTeam()).isEqualTo("support");
            assertThat(result.getAgentId()).isEqualTo("agent-7");
            assertThat(result.getSurveyId()).isEqualTo("s-1");
        });
    }
}
