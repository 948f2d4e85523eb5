package io.janela.survey;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.ConversationResolution;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchResult;
import io.janela.avro.InboundContext;
import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.avro.InboundReply;
import io.janela.avro.OutboundRequest;
import io.janela.avro.PayloadType;
import io.janela.avro.ReplyKind;
import io.janela.avro.ResultKind;
import io.janela.avro.SurveyEvent;
import io.janela.avro.SurveyEventKind;
import io.janela.contract.JanelaTopics;
import io.janela.contract.SurveyAnswers;
import io.janela.contract.TopicDescriptor;
import io.janela.testsupport.kafka.TopicReader;
import io.janela.testsupport.kafka.UsesKafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** The whole service against a real broker: resolution → survey request → dispatch result → answer → events. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "spring.kafka.properties.schema.registry.url=mock://survey-service-it",
            // A fresh state directory: state left by an earlier run holds schema ids of an earlier mock registry.
            "spring.kafka.streams.state-dir=${java.io.tmpdir}/survey-service-it-${random.uuid}",
            "janela.survey.delay=1s",
            "janela.survey.punctuation-interval=200ms",
            "janela.survey.topics.partitions=2",
            "janela.survey.templates.[*].name=csat_survey",
            "janela.survey.templates.[*].language=en_US"
        })
@UsesKafkaBroker
class SurveyServiceIT {

    private static final String NUMBER = "106540352242922";
    private static final String USER = "US.13491208655302741918";
    private static final String CONTACT = NUMBER + ":" + USER;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Autowired
    JanelaTopics topics;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Test
    void asksAfterAResolutionAndRecordsTheAnswer() {
        Instant resolvedAt = Instant.now();
        try (TopicReader<String, OutboundRequest> requests = reader(topics.outboundRequests());
                TopicReader<String, SurveyEvent> events = reader(topics.surveyEvents())) {
            send(
                    topics.conversationResolutions(),
                    "ticket-4711",
                    ConversationResolution.newBuilder()
                            .setResolutionId("ticket-4711")
                            .setPhoneNumberId(NUMBER)
                            .setRecipientUserId(USER)
                            .setResolvedAt(resolvedAt)
                            .setTeam("support")
                            .setAgentId("agent-7")
                            .setReference("ticket 4711")
                            .build());

            OutboundRequest request =
                    requests.awaitRecords(1, PATIENCE).getFirst().value();
            assertThat(request.getSurveyId()).isNotBlank();
            assertThat(request.getFallbackTemplate().getName()).isEqualTo("csat_survey");

            Instant sentAt = Instant.now();
            send(
                    topics.dispatchResults(),
                    CONTACT,
                    DispatchResult.newBuilder()
                            .setRequestId(request.getRequestId())
                            .setKind(ResultKind.OUTCOME)
                            .setOutcome(DispatchOutcome.SENT)
                            .setPhoneNumberId(NUMBER)
                            .setContactId(USER)
                            .setWamid("wamid.survey")
                            .setPayloadType(PayloadType.INTERACTIVE)
                            .setRequestCreatedAt(request.getCreatedAt())
                            .setDecidedAt(sentAt)
                            .setSentAt(sentAt)
                            .setSurveyId(request.getSurveyId())
                            .build());
            send(
                    topics.inboundMessages(),
                    CONTACT,
                    InboundMessage.newBuilder()
                            .setMessageId("wamid.answer")
                            .setPhoneNumberId(NUMBER)
                            .setContactId(USER)
                            .setUserId(USER)
                            .setTimestamp(sentAt.plusSeconds(5))
                            .setType(InboundMessageType.INTERACTIVE)
                            .setReply(InboundReply.newBuilder()
                                    .setKind(ReplyKind.LIST_REPLY)
                                    .setId(SurveyAnswers.code(request.getSurveyId(), 4))
                                    .build())
                            .setContext(InboundContext.newBuilder()
                                    .setMessageId("wamid.survey")
                                    .build())
                            .setRawJson("{}")
                            .build());

            List<SurveyEvent> recorded = events.awaitRecords(3, PATIENCE).stream()
                    .map(record -> record.value())
                    .toList();
            assertThat(recorded)
                    .extracting(SurveyEvent::getKind)
                    .containsExactly(SurveyEventKind.SENT, SurveyEventKind.DELIVERED, SurveyEventKind.ANSWERED);
            assertThat(recorded.get(2).getScore()).isEqualTo(4);
            assertThat(recorded.get(2).getTeam()).isEqualTo("support");
            events.assertNoMoreRecords(Duration.ofSeconds(1));
        }
    }

    private <V> TopicReader<String, V> reader(TopicDescriptor<String, V> topic) {
        return BrokerTopics.reader(bootstrapServers, topic);
    }

    private <V> void send(TopicDescriptor<String, V> topic, String key, V value) {
        BrokerTopics.send(bootstrapServers, topic, key, value, null);
    }
}
