package io.janela.survey.asking;

import static io.janela.survey.asking.SurveyDriver.resolution;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DispatchReason;
import io.janela.avro.InteractivePayload;
import io.janela.avro.OutboundRequest;
import io.janela.avro.ReplyKind;
import io.janela.avro.SurveyAnswerForm;
import io.janela.avro.SurveyEvent;
import io.janela.avro.SurveyEventKind;
import io.janela.avro.SurveyPath;
import io.janela.avro.SurveySkipReason;
import io.janela.avro.WindowEventType;
import io.janela.contract.SurveyAnswers;
import io.janela.streams.DeadlineRebuild;
import io.janela.survey.rules.SurveyPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SurveyTopologyTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final Duration DELAY = Duration.ofMinutes(5);

    private static SurveySettings settings(Set<String> closingSoonNumbers) {
        return new SurveySettings(
                SurveyPolicy.defaults(),
                Duration.ofSeconds(1),
                1000,
                Duration.ofHours(1),
                "en",
                Map.of(),
                Map.of("*", new SurveyTemplate("csat_survey", "en_US", null)),
                closingSoonNumbers,
                1,
                DeadlineRebuild.Pace.DEFAULT);
    }

    private static SurveyDriver driver() {
        return SurveyDriver.start(settings(Set.of()), T0);
    }

    /** Resolves at T0, lets the delay run out, and returns the request produced. */
    private static OutboundRequest resolveAndWait(SurveyDriver survey, String resolutionId) {
        survey.resolve(resolution(resolutionId, survey.now(), "order 4711"));
        assertThat(survey.requests.isEmpty()).isTrue();
        survey.advance(DELAY.plusSeconds(1));
        return survey.requests.readValue();
    }

    private static List<SurveyEventKind> kinds(List<SurveyEvent> events) {
        return events.stream().map(SurveyEvent::getKind).toList();
    }

    @Test
    void asksTheListAfterTheDelayAndCountsATapOnARow() {
        try (SurveyDriver survey = driver()) {
            OutboundRequest request = resolveAndWait(survey, "r1");

            InteractivePayload list = (InteractivePayload) request.getPayload();
            String surveyId = request.getSurveyId();
            assertThat(list.getSections().getFirst().getRows())
                    .extracting(row -> row.getId())
                    .containsExactly(
                            SurveyAnswers.code(surveyId, 5),
                            SurveyAnswers.code(surveyId, 4),
                            SurveyAnswers.code(surveyId, 3),
                            SurveyAnswers.code(surveyId, 2),
                            SurveyAnswers.code(surveyId, 1));
            assertThat(request.getFallbackTemplate().getName()).isEqualTo("csat_survey");
            assertThat(request.getFallbackTemplate()
                            .getBodyParameters()
                            .getFirst()
                            .getText())
                    .isEqualTo("order 4711");
            assertThat(request.getTeam()).isEqualTo("support");

            Instant sentAt = T0.plus(DELAY).plusSeconds(2);
            survey.dispatchSent(request, "wamid.survey", sentAt, false);
            survey.customerTaps(
                    "wamid.answer",
                    sentAt.plusSeconds(30),
                    "wamid.survey",
                    ReplyKind.LIST_REPLY,
                    SurveyAnswers.code(surveyId, 5));

            List<SurveyEvent> events = survey.events.readValuesToList();
            assertThat(kinds(events))
                    .containsExactly(SurveyEventKind.SENT, SurveyEventKind.DELIVERED, SurveyEventKind.ANSWERED);
            SurveyEvent answered = events.get(2);
            assertThat(answered.getScore()).isEqualTo(5);
            assertThat(answered.getAnswerForm()).isEqualTo(SurveyAnswerForm.LIST_REPLY);
            assertThat(answered.getPath()).isEqualTo(SurveyPath.IN_WINDOW);
            assertThat(answered.getAgentId()).isEqualTo("agent-7");
            assertThat(answered.getAnswerMessageId()).isEqualTo("wamid.answer");
            assertThat(survey.requests.isEmpty()).isTrue();
        }
    }

    @Test
    void aTapThatComesBeforeDispatchsResultIsTheAnswerAndTheLateResultIsStale() {
        try (SurveyDriver survey = driver()) {
            OutboundRequest request = resolveAndWait(survey, "r1");
            Instant tappedAt = T0.plus(DELAY).plusSeconds(3);
            survey.customerTaps(
                    "wamid.answer",
                    tappedAt,
                    "wamid.survey",
                    ReplyKind.LIST_REPLY,
                    SurveyAnswers.code(request.getSurveyId(), 4));
            survey.dispatchSent(request, "wamid.survey", tappedAt.minusSeconds(1), false);

            List<SurveyEvent> events = survey.events.readValuesToList();
            assertThat(kinds(events))
                    .containsExactly(SurveyEventKind.SENT, SurveyEventKind.DELIVERED, SurveyEventKind.ANSWERED);
            assertThat(events.get(0).getSurveyMessageId()).isEqualTo("wamid.survey");
            assertThat(events.get(0).getPath()).isEqualTo(SurveyPath.IN_WINDOW);
            assertThat(events.get(2).getScore()).isEqualTo(4);
            assertThat(survey.meters
                            .counter("janela.survey.ignored", "reason", "stale_result")
                            .count())
                    .isEqualTo(1.0);
            // The throttle counts from the tap: a second resolution within the week is not surveyed.
            survey.advance(Duration.ofDays(2));
            survey.resolve(resolution("r2", survey.now(), "order 4712"));
            survey.advance(DELAY.plusSeconds(1));
            List<SurveyEvent> later = survey.events.readValuesToList();
            assertThat(kinds(later)).containsExactly(SurveyEventKind.SKIPPED);
            assertThat(later.getFirst().getSkipReason()).isEqualTo(SurveySkipReason.THROTTLED);
            assertThat(survey.requests.isEmpty()).isTrue();
        }
    }

    @Test
    void cancelsTheSurveyWhenTheCustomerWritesDuringTheDelay() {
        try (SurveyDriver survey = driver()) {
            survey.resolve(resolution("r1", T0, "order 4711"));
            survey.customerWrites("wamid.more", T0.plusSeconds(60), "one more thing");
            survey.advance(DELAY.plusSeconds(1));

            assertThat(kinds(survey.events.readValuesToList())).containsExactly(SurveyEventKind.CANCELLED);
            assertThat(survey.requests.isEmpty()).isTrue();
        }
    }

    @Test
    void aReactionDuringTheDelayDoesNotCancel() {
        try (SurveyDriver survey = driver()) {
            survey.resolve(resolution("r1", T0, "order 4711"));
            survey.customerReacts("wamid.like", T0.plusSeconds(60));
            survey.advance(DELAY.plusSeconds(1));

            assertThat(survey.requests.readValuesToList()).hasSize(1);
            assertThat(survey.events.isEmpty()).isTrue();
        }
    }

    @Test
    void countsAQuickReplyOfTheTemplateSentOutsideTheWindow() {
        try (SurveyDriver survey = driver()) {
            OutboundRequest request = resolveAndWait(survey, "r1");
            Instant sentAt = T0.plus(DELAY).plusSeconds(2);
            survey.dispatchSent(request, "wamid.template", sentAt, true);
            survey.customerTaps(
                    "wamid.answer",
                    sentAt.plusSeconds(30),
                    "wamid.template",
                    ReplyKind.TEMPLATE_BUTTON,
                    SurveyAnswers.code(request.getSurveyId(), 2));

            List<SurveyEvent> events = survey.events.readValuesToList();
            assertThat(kinds(events))
                    .containsExactly(SurveyEventKind.SENT, SurveyEventKind.DELIVERED, SurveyEventKind.ANSWERED);
            assertThat(events.get(0).getPath()).isEqualTo(SurveyPath.TEMPLATE);
            assertThat(events.get(2).getScore()).isEqualTo(2);
            assertThat(events.get(2).getAnswerForm()).isEqualTo(SurveyAnswerForm.QUICK_REPLY);
        }
    }

    @Test
    void countsFreeTextStartingWithAScoreAndNotASecondAnswer() {
        try (SurveyDriver survey = driver()) {
            OutboundRequest request = resolveAndWait(survey, "r1");
            Instant sentAt = T0.plus(DELAY).plusSeconds(2);
            survey.dispatchSent(request, "wamid.survey", sentAt, false);
            survey.customerWrites("wamid.answer", sentAt.plusSeconds(30), " 4 - quick and kind");
            survey.customerTaps(
                    "wamid.again",
                    sentAt.plusSeconds(40),
                    "wamid.survey",
                    ReplyKind.LIST_REPLY,
                    SurveyAnswers.code(request.getSurveyId(), 1));

            List<SurveyEvent> events = survey.events.readValuesToList();
            assertThat(kinds(events))
                    .containsExactly(SurveyEventKind.SENT, SurveyEventKind.DELIVERED, SurveyEventKind.ANSWERED);
            assertThat(events.get(2).getScore()).isEqualTo(4);
            assertThat(events.get(2).getAnswerForm()).isEqualTo(SurveyAnswerForm.FREE_TEXT);
            assertThat(survey.meters
                            .counter("janela.survey.ignored", "reason", "second_answer")
                            .count())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void otherTextWhileOpenCancels() {
        try (SurveyDriver survey = driver()) {
            OutboundRequest request = resolveAndWait(survey, "r1");
            Instant sentAt = T0.plus(DELAY).plusSeconds(2);
            survey.dispatchSent(request, "wamid.survey", sentAt, false);
            survey.customerWrites("wamid.other", sentAt.plusSeconds(30), "10 items are missing");

            assertThat(kinds(survey.events.readValuesToList()))
                    .containsExactly(SurveyEventKind.SENT, SurveyEventKind.CANCELLED);
        }
    }

    @Test
    void expiresWhenNobodyAnswersInTheAnswerWindow() {
        try (SurveyDriver survey = driver()) {
            OutboundRequest request = resolveAndWait(survey, "r1");
            Instant sentAt = T0.plus(DELAY).plusSeconds(2);
            survey.dispatchSent(request, "wamid.survey", sentAt, false);
            survey.advance(Duration.ofHours(23));
            assertThat(kinds(survey.events.readValuesToList())).containsExactly(SurveyEventKind.SENT);

            survey.advance(Duration.ofHours(1).plusSeconds(2));
            List<SurveyEvent> events = survey.events.readValuesToList();
            assertThat(kinds(events)).containsExactly(SurveyEventKind.EXPIRED);
            assertThat(events.getFirst().getOccurredAt()).isEqualTo(sentAt.plus(Duration.ofHours(24)));
        }
    }

    @Test
    void throttlesASecondSurveyToTheSameContactWithinTheWeek() {
        try (SurveyDriver survey = driver()) {
            OutboundRequest first = resolveAndWait(survey, "r1");
            survey.dispatchSent(first, "wamid.survey", T0.plus(DELAY).plusSeconds(2), false);
            survey.advance(Duration.ofDays(2));
            survey.events.readValuesToList();

            survey.resolve(resolution("r2", survey.now(), "order 4712"));
            survey.advance(DELAY.plusSeconds(1));

            List<SurveyEvent> events = survey.events.readValuesToList();
            assertThat(kinds(events)).containsExactly(SurveyEventKind.SKIPPED);
            assertThat(events.getFirst().getSkipReason()).isEqualTo(SurveySkipReason.THROTTLED);
            assertThat(survey.requests.isEmpty()).isTrue();
        }
    }

    @Test
    void namesTheRefusalOfDispatchAsTheSkipReason() {
        try (SurveyDriver survey = driver()) {
            OutboundRequest request = resolveAndWait(survey, "r1");
            survey.dispatchRefused(request, DispatchReason.TEMPLATE_NOT_APPROVED, T0.plus(DELAY));

            List<SurveyEvent> events = survey.events.readValuesToList();
            assertThat(kinds(events)).containsExactly(SurveyEventKind.SKIPPED);
            assertThat(events.getFirst().getSkipReason()).isEqualTo(SurveySkipReason.NO_TEMPLATE);
            assertThat(events.getFirst().getPath()).isEqualTo(SurveyPath.TEMPLATE);
        }
    }

    @Test
    void aResolutionWithoutAReferenceHasNoTemplatePathAndIsSkippedWhenTheWindowIsClosed() {
        try (SurveyDriver survey = driver()) {
            survey.resolve(resolution("r1", T0, null));
            survey.advance(DELAY.plusSeconds(1));
            OutboundRequest request = survey.requests.readValue();
            assertThat(request.getFallbackTemplate()).isNull();

            survey.dispatchRefused(request, DispatchReason.WINDOW_CLOSED, T0.plus(DELAY));
            assertThat(survey.events.readValue().getSkipReason()).isEqualTo(SurveySkipReason.WINDOW_CLOSED);
        }
    }

    @Test
    void oneSurveyPerConversationEvenWhenResolvedTwice() {
        try (SurveyDriver survey = driver()) {
            survey.window(WindowEventType.OPENED, T0.minusSeconds(600), T0.minusSeconds(600), false);
            OutboundRequest request = resolveAndWait(survey, "r1");
            survey.dispatchRefused(request, DispatchReason.META_ERROR, T0.plus(DELAY));
            survey.resolve(resolution("r1", T0, "order 4711"));
            survey.resolve(resolution("r2", survey.now(), "order 4711"));
            survey.advance(DELAY.plusSeconds(1));

            assertThat(kinds(survey.events.readValuesToList())).containsExactly(SurveyEventKind.SKIPPED);
            assertThat(survey.requests.isEmpty()).isTrue();
            assertThat(survey.meters
                            .counter("janela.survey.ignored", "reason", "duplicate_trigger")
                            .count())
                    .isEqualTo(1.0);
            assertThat(survey.meters
                            .counter("janela.survey.ignored", "reason", "already_surveyed")
                            .count())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void theWindowPolicyAsksAtClosingSoonWhenTheBusinessReplied() {
        try (SurveyDriver survey = SurveyDriver.start(settings(Set.of(SurveyDriver.NUMBER)), T0)) {
            Instant opened = T0.minus(Duration.ofHours(23));
            survey.window(WindowEventType.CLOSING_SOON, opened.minusSeconds(3600), T0, false);
            survey.advance(Duration.ofSeconds(2));
            assertThat(survey.requests.isEmpty()).isTrue();

            survey.window(WindowEventType.CLOSING_SOON, opened, T0, true);
            survey.advance(Duration.ofSeconds(2));
            OutboundRequest request = survey.requests.readValue();
            assertThat(request.getRecipient().getUserId()).isEqualTo(SurveyDriver.USER);
            // No reference to name: no template path (Meta refuses generic utility surveys).
            assertThat(request.getFallbackTemplate()).isNull();
            assertThat(survey.requests.isEmpty()).isTrue();
        }
    }

    @Test
    void aResolutionWithoutARecipientGoesToTheDeadLetters() {
        try (SurveyDriver survey = driver()) {
            survey.resolve(io.janela.avro.ConversationResolution.newBuilder(resolution("r1", T0, "order 4711"))
                    .setRecipientUserId(null)
                    .setRecipientPhoneNumber(null)
                    .build());
            survey.advance(DELAY.plusSeconds(1));

            assertThat(survey.deadLetters.readRecordsToList()).hasSize(1);
            assertThat(survey.requests.isEmpty()).isTrue();
            assertThat(survey.events.isEmpty()).isTrue();
        }
    }
}
