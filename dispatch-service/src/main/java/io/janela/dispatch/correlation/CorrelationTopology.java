package io.janela.dispatch.correlation;

import io.janela.avro.DeliveryStatus;
import io.janela.avro.MessageStatus;
import io.janela.avro.SendCommand;
import io.janela.contract.TopicDescriptor;
import io.janela.dispatch.topics.DispatchTopics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Failed statuses back to their requests:
 *
 * <pre>
 * whatsapp.message-statuses → failed, with a callback → dispatch-failed-statuses-by-request (repartition) ─┐
 * checked fallbacks of free-form sends (from the decision) → dispatch-fallback-plans-by-request ─────────┴→
 *   dispatch-correlate → whatsapp.dispatch-results (DELIVERY_FAILED), whatsapp.dispatch.send-commands (FALLBACK)
 * </pre>
 */
public final class CorrelationTopology {

    public static final String FALLBACK_PLANS_STORE = "dispatch-fallback-plans";
    public static final String REPORTED_STORE = "dispatch-reported-failures";
    private static final String CORRELATE = "dispatch-correlate-";

    private CorrelationTopology() {}

    /**
     * @param fallbackPlans the checked fallbacks of free-form sends, keyed by request id
     * @param partitions partitions of the two repartition topics
     * @param retention how long a plan waits for a failure, and a failure is remembered
     */
    public static void addTo(
            StreamsBuilder builder,
            KStream<String, SendCommand> fallbackPlans,
            DispatchTopics topics,
            int partitions,
            Duration retention) {
        TopicDescriptor<String, MessageStatus> statuses = topics.shared().messageStatuses();
        TopicDescriptor<String, SendCommand> commands = topics.sendCommands();
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(FALLBACK_PLANS_STORE, retention, Duration.ofMillis(1), false),
                Serdes.String(),
                commands.valueSerde()));
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(REPORTED_STORE, retention, Duration.ofMillis(1), false),
                Serdes.String(),
                Serdes.Long()));
        KStream<String, CorrelationInput> plans = fallbackPlans
                .repartition(Repartitioned.<String, SendCommand>as("dispatch-fallback-plans-by-request")
                        .withKeySerde(commands.keySerde())
                        .withValueSerde(commands.valueSerde())
                        .withNumberOfPartitions(partitions))
                .mapValues(CorrelationInput.Plan::new, Named.as(CORRELATE + "plan"));
        KStream<String, CorrelationInput> failures = builder.stream(
                        statuses.name(),
                        Consumed.with(statuses.keySerde(), statuses.valueSerde())
                                .withName("dispatch-message-statuses-source"))
                .filter(
                        (key, status) -> status != null
                                && status.getStatus() == DeliveryStatus.FAILED
                                && status.getBizOpaqueCallbackData() != null,
                        Named.as(CORRELATE + "failed-statuses"))
                .selectKey((key, status) -> status.getBizOpaqueCallbackData(), Named.as(CORRELATE + "request-id"))
                .repartition(Repartitioned.<String, MessageStatus>as("dispatch-failed-statuses-by-request")
                        .withKeySerde(statuses.keySerde())
                        .withValueSerde(statuses.valueSerde())
                        .withNumberOfPartitions(partitions))
                .mapValues(CorrelationInput.Failure::new, Named.as(CORRELATE + "failure"));
        Map<String, KStream<String, CorrelationOutput>> outputs = plans.merge(failures, Named.as(CORRELATE + "inputs"))
                .process(
                        () -> new CorrelateProcessor(retention),
                        Named.as("dispatch-correlate"),
                        FALLBACK_PLANS_STORE,
                        REPORTED_STORE)
                .split(Named.as(CORRELATE))
                .branch((key, out) -> out instanceof CorrelationOutput.Result, Branched.as("results"))
                .branch((key, out) -> out instanceof CorrelationOutput.Fallback, Branched.as("fallbacks"))
                .noDefaultBranch();
        TopicDescriptor<String, io.janela.avro.DispatchResult> results =
                topics.shared().dispatchResults();
        outputs.get(CORRELATE + "results")
                .mapValues(out -> ((CorrelationOutput.Result) out).result(), Named.as(CORRELATE + "result"))
                .to(
                        results.name(),
                        Produced.with(results.keySerde(), results.valueSerde()).withName(CORRELATE + "results-sink"));
        outputs.get(CORRELATE + "fallbacks")
                .mapValues(out -> ((CorrelationOutput.Fallback) out).command(), Named.as(CORRELATE + "fallback"))
                .to(
                        commands.name(),
                        Produced.with(commands.keySerde(), commands.valueSerde())
                                .withName(CORRELATE + "send-commands-sink"));
    }
}
