package io.janela.metrics.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.metrics.state.AgentFigures;
import io.janela.metrics.state.BusinessMessageEntry;
import io.janela.metrics.state.ClosingEntry;
import io.janela.metrics.state.ConversationState;
import io.janela.metrics.state.CustomerMessageEntry;
import io.janela.metrics.state.DispatchEntry;
import io.janela.metrics.state.KeyedSurveys;
import io.janela.metrics.state.LateActEntry;
import io.janela.metrics.state.MessageState;
import io.janela.metrics.state.OpeningEntry;
import io.janela.metrics.state.PricingEntry;
import io.janela.metrics.state.ResolutionEntry;
import io.janela.metrics.state.ResponseEntry;
import io.janela.metrics.state.SketchState;
import io.janela.metrics.state.StatusEntry;
import io.janela.metrics.state.SummaryBucket;
import io.janela.metrics.state.SurveyCounts;
import io.janela.metrics.state.WindowEntry;
import io.janela.serde.SpecificAvroSerde;
import io.janela.serde.registry.MockSchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The state stores are written with Avro's custom coders, on schemas whose times became plain longs. Both must leave
 * the bytes as they were: changelogs written before (with {@code timestamp-millis}) are read back after an upgrade,
 * and an instance not yet upgraded reads what an upgraded one wrote. Every released version of a state schema is kept
 * in {@code state-history} ({@code ConversationState-2} and {@code MessageState-2}: before the agent ids;
 * {@code ConversationState-3}: before the retroactive windows; {@code SummaryBucket-1}: before the per-agent, per-path
 * and per-team rows), and each is read both ways.
 */
class StoreCodersTest {

    private static final long T0 = 1_790_000_000_000L;

    @BeforeAll
    static void enable() {
        StoreCoders.enable();
    }

    @Test
    void theStoreSchemasHaveCustomCodersAndUseThem() throws ReflectiveOperationException {
        for (SpecificRecordBase state : List.of(new ConversationState(), new MessageState(), new SummaryBucket())) {
            // Avro generates them only for schemas without logical types, and uses them only when switched on.
            Method generated = SpecificRecordBase.class.getDeclaredMethod("hasCustomCoders");
            generated.setAccessible(true);
            assertThat(generated.invoke(state))
                    .as(state.getClass().getSimpleName())
                    .isEqualTo(true);
            assertThat(SpecificData.getForClass(state.getClass()).useCustomCoders())
                    .as(state.getClass().getSimpleName())
                    .isTrue();
        }
    }

    @Test
    void aConversationIsWrittenAsTheGenericWriterAndTheFirstSchemaWrite() throws IOException {
        ConversationState state = conversation();

        byte[] custom = customWrite(state);

        assertThat(custom).isEqualTo(genericWrite(state));
        assertThat(roundTrip(state, ConversationState.class)).isEqualTo(state);
        GenericRecord asFirstVersion = readWith(custom, state.getSchema(), firstVersion("ConversationState"));
        GenericRecord window = (GenericRecord) ((List<?>) asFirstVersion.get("windows")).getFirst();
        assertThat(window.get("openedAt")).isEqualTo(T0);
        assertThat(((GenericRecord) window.get("closing")).get("reportedWaitingSince"))
                .isEqualTo(T0 + 3_000);
        assertCompatibleBothWays(state.getSchema(), firstVersion("ConversationState"));
    }

    @Test
    void aMessageIsWrittenAsTheGenericWriterAndTheFirstSchemaWrite() throws IOException {
        MessageState state = message();

        byte[] custom = customWrite(state);

        assertThat(custom).isEqualTo(genericWrite(state));
        assertThat(roundTrip(state, MessageState.class)).isEqualTo(state);
        GenericRecord asFirstVersion = readWith(custom, state.getSchema(), firstVersion("MessageState"));
        assertThat(((GenericRecord) asFirstVersion.get("delivered")).get("at")).isEqualTo(T0 + 1_000);
        assertThat(((GenericRecord) asFirstVersion.get("dispatch")).get("sentAt"))
                .isEqualTo(T0);
        assertCompatibleBothWays(state.getSchema(), firstVersion("MessageState"));
    }

    @Test
    void aConversationWrittenBeforeAgentIdsIsReadWithoutAnAgentAndTheEarlierVersionReadsTodays() throws IOException {
        ConversationState state = conversation();
        Schema before = version("ConversationState", 2);

        ConversationState read = readAsToday(writtenBy(before, state), before, ConversationState.class);

        assertThat(read.getBusinessMessages().getFirst().getAgentId()).isNull();
        read.getBusinessMessages().getFirst().setAgentId("agent-7");
        withLateWindows(read, state);
        assertThat(read).isEqualTo(state);
        GenericRecord asBefore = readWith(customWrite(state), state.getSchema(), before);
        assertThat(((GenericRecord) ((List<?>) asBefore.get("businessMessages")).getFirst()).get("team"))
                .hasToString("support");
        assertCompatibleBothWays(state.getSchema(), before);
    }

    @Test
    void aConversationWrittenBeforeLateWindowsIsReadWithNoneAndTheEarlierVersionReadsTodays() throws IOException {
        ConversationState state = conversation();
        Schema before = version("ConversationState", 3);

        ConversationState read = readAsToday(writtenBy(before, state), before, ConversationState.class);

        assertThat(read.getWindows().getFirst().getLate()).isFalse();
        assertThat(read.getLateActs()).isEmpty();
        withLateWindows(read, state);
        assertThat(read).isEqualTo(state);
        GenericRecord asBefore = readWith(customWrite(state), state.getSchema(), before);
        assertThat(((List<?>) asBefore.get("windows"))).hasSize(1);
        assertThat(asBefore.get("checkAt")).isNull();
        assertThat(asBefore.get("lastChangedAt")).isEqualTo(14L);
        assertCompatibleBothWays(state.getSchema(), before);
    }

    /** What a conversation written before the retroactive windows lacks, as {@code state} has it. */
    private static void withLateWindows(ConversationState read, ConversationState state) {
        read.getWindows().getFirst().setLate(state.getWindows().getFirst().getLate());
        read.setLateActs(state.getLateActs());
    }

    @Test
    void aMessageWrittenBeforeAgentIdsIsReadWithoutAnAgentAndTheEarlierVersionReadsTodays() throws IOException {
        MessageState state = message();
        Schema before = version("MessageState", 2);

        MessageState read = readAsToday(writtenBy(before, state), before, MessageState.class);

        assertThat(read.getDispatch().getAgentId()).isNull();
        read.getDispatch().setAgentId("agent-7");
        assertThat(read).isEqualTo(state);
        GenericRecord asBefore = readWith(customWrite(state), state.getSchema(), before);
        assertThat(((GenericRecord) asBefore.get("dispatch")).get("team")).hasToString("sales");
        assertCompatibleBothWays(state.getSchema(), before);
    }

    @Test
    void aSummaryBucketWrittenBeforeAgentRowsIsReadWithNoneAndTheEarlierVersionReadsTodays() throws IOException {
        SummaryBucket bucket = bucket();
        Schema before = version("SummaryBucket", 1);

        SummaryBucket read = readAsToday(writtenBy(before, bucket), before, SummaryBucket.class);

        assertThat(read.getAgents()).isEmpty();
        assertThat(read.getSurveysByPath()).isEmpty();
        assertThat(read.getSurveysByTeam()).isEmpty();
        assertThat(read.getSurveyAnswersByScore()).isEqualTo(bucket.getSurveyAnswersByScore());
        assertThat(read.getResponseTimes()).isEqualTo(bucket.getResponseTimes());
        GenericRecord asBefore = readWith(customWrite(bucket), bucket.getSchema(), before);
        assertThat(asBefore.get("surveysDelivered")).isEqualTo(3L);
        assertCompatibleBothWays(bucket.getSchema(), before);
    }

    private static SummaryBucket bucket() {
        SketchState sketch = new SketchState(1L, 42_000L, 42_000L, 42_000L, List.of(535), List.of(1L));
        SummaryBucket bucket = SummaryBucket.newBuilder()
                .setWindowsOpened(2)
                .setFirstResponses(sketch)
                .setHeadroom(sketch)
                .setResponseTimes(sketch)
                .setSurveysDelivered(3)
                .setSurveyAnswersByScore(List.of(0L, 1L, 0L, 0L, 1L))
                .build();
        bucket.setAgents(List.of(new AgentFigures(
                "named", "agent-7", sketch, sketch, new SurveyCounts(1L, List.of(0L, 0L, 0L, 0L, 1L)))));
        bucket.setSurveysByPath(List.of(new KeyedSurveys("named", "in_window", new SurveyCounts(3L, List.of()))));
        bucket.setSurveysByTeam(List.of(new KeyedSurveys("none", null, new SurveyCounts(3L, List.of()))));
        return bucket;
    }

    /** The bytes the earlier version of the schema writes for what {@code record} holds of it. */
    private static byte[] writtenBy(Schema before, SpecificRecordBase record) throws IOException {
        GenericRecord asBefore = readWith(customWrite(record), record.getSchema(), before);
        return write(new GenericDatumWriter<>(before, GenericData.get()), asBefore);
    }

    private static <T extends SpecificRecordBase> T readAsToday(byte[] bytes, Schema writer, Class<T> type)
            throws IOException {
        SpecificData data = SpecificData.getForClass(type);
        Schema today = data.getSchema(type);
        return new org.apache.avro.specific.SpecificDatumReader<T>(writer, today, data)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }

    private static ConversationState conversation() {
        WindowEntry window = new WindowEntry(
                T0,
                T0 + 86_400_000,
                new OpeningEntry("wamid.c1", false, T0 - 5_000, true, 11L),
                new ClosingEntry(T0 + 86_400_000, "EXPIRED", false, T0 + 3_000, 12L),
                true,
                T0 + 2_000,
                42L,
                true,
                43L,
                true);
        return new ConversationState(
                "15550001",
                "US.1",
                List.of(new CustomerMessageEntry("wamid.c1", T0, 10L)),
                List.of(new BusinessMessageEntry("wamid.b1", T0 + 2_000, 13L, "BOT", "support", "agent-7")),
                List.of(window),
                List.of(new ResponseEntry("wamid.b1", T0, T0 + 2_000, 44L, false)),
                T0 - 10_000,
                List.of(new CustomerMessageEntry("wamid.c2", T0 + 60_000, 16L)),
                List.of("15550001:US.1:AT_RISK:next_response:" + T0),
                List.of(new ResolutionEntry(T0 - 5_000, "resolution-1", "support", false, 16L)),
                List.of(new LateActEntry(
                        T0 + 3_600_000, T0 + 90_000_000, new OpeningEntry("wamid.c3", false, T0 - 5_000, false, 17L))),
                null,
                14L,
                15L);
    }

    private static MessageState message() {
        return new MessageState(
                "15550001",
                "US.1",
                "wamid.b1",
                new StatusEntry(T0, 1L),
                new StatusEntry(T0 + 1_000, 2L),
                null,
                null,
                null,
                new PricingEntry("UTILITY", "REGULAR", "PMP", true, T0, 3L),
                true,
                new DispatchEntry("request-1", T0, "AGENT", "UTILITY", "REGULAR", 4L, "sales", "agent-7"),
                true,
                true,
                T0 + 1_000,
                false,
                0L,
                false,
                0L,
                true,
                5_000L,
                6L,
                7L);
    }

    private static byte[] customWrite(SpecificRecordBase record) throws IOException {
        return write(
                new SpecificDatumWriter<>(record.getSchema(), SpecificData.getForClass(record.getClass())), record);
    }

    private static byte[] genericWrite(SpecificRecordBase record) throws IOException {
        // GenericData walks the schema field by field: the path the custom coders replace.
        return write(new GenericDatumWriter<>(record.getSchema(), GenericData.get()), record);
    }

    private static byte[] write(org.apache.avro.io.DatumWriter<Object> writer, Object record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Through the store's serde (Confluent's framing, the registry), as the store and its changelog see it. */
    private static <T extends SpecificRecordBase> T roundTrip(T record, Class<T> type) {
        var serde = SpecificAvroSerde.forValues(type, Map.of("schema.registry.url", "mock://store-coders-test"));
        try {
            byte[] bytes = serde.serializer().serialize("metrics-store-changelog", record);
            return serde.deserializer().deserialize("metrics-store-changelog", bytes);
        } finally {
            MockSchemaRegistry.dropScope("store-coders-test");
        }
    }

    private static GenericRecord readWith(byte[] bytes, Schema writer, Schema reader) throws IOException {
        return new GenericDatumReader<GenericRecord>(writer, reader, GenericData.get())
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }

    private static void assertCompatibleBothWays(Schema current, Schema first) {
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, first)
                        .getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(first, current)
                        .getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    private static Schema firstVersion(String name) throws IOException {
        return version(name, 1);
    }

    /** A released version of a state schema, kept in state-history ({@code <name>-<n>.avsc}). */
    private static Schema version(String name, int number) throws IOException {
        try (InputStream in =
                StoreCodersTest.class.getResourceAsStream("/state-history/" + name + "-" + number + ".avsc")) {
            return new Schema.Parser().parse(in);
        }
    }
}
