package io.janela.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class ContractSubjectsTest {

    @Test
    void namesASubjectForEveryAvroTopicOfTheContractAndNoneForRawBytes() {
        JanelaTopics topics = JanelaTopics.create(
                TopicNames.defaults(),
                ValueSerdes.janela(java.util.Map.of("schema.registry.url", "mock://contract-subjects-test")));
        List<String> avroTopics = topics.all().stream()
                .filter(topic -> !(topic.valueSerde() instanceof Serdes.ByteArraySerde))
                .map(TopicDescriptor::name)
                .toList();

        assertThat(ContractSubjects.all(TopicNames.defaults()))
                .extracting(ContractSubjects.Subject::topic)
                .containsExactlyInAnyOrderElementsOf(avroTopics);
        assertThat(ContractSubjects.all(TopicNames.defaults()))
                .allSatisfy(subject -> assertThat(subject.subject()).isEqualTo(subject.topic() + "-value"));
    }
}
