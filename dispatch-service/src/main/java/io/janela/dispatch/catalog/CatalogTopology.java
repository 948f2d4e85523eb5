package io.janela.dispatch.catalog;

import io.janela.avro.Template;
import io.janela.avro.TemplateEvent;
import io.janela.contract.TopicDescriptor;
import io.janela.dispatch.topics.DispatchTopics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The template catalog (whatsapp.templates, compacted): one writer folds template webhooks (whatsapp.template-events)
 * and the periodic Graph API listing (whatsapp.dispatch.template-sync) with {@link CatalogMerge}.
 *
 * <pre>
 * whatsapp.template-events → dispatch-template-events-single (repartition, 1 partition) ─┐
 * whatsapp.dispatch.template-sync (1 partition) ──────────────────────────────────────────┴→ dispatch-catalog
 *   → whatsapp.templates
 * </pre>
 *
 * Both inputs are brought to one partition so that a template's webhooks and listings meet in one store whatever
 * the template events topic's partition count: templates change a few times a day, so one partition is plenty, and
 * the one instance that holds it is the one that runs the sync.
 */
public final class CatalogTopology {

    public static final String CATALOG_STORE = "dispatch-template-catalog";
    public static final String EVENTS_SINGLE_PARTITION = "dispatch-template-events-single";

    private CatalogTopology() {}

    public static void addTo(StreamsBuilder builder, DispatchTopics topics) {
        TopicDescriptor<String, TemplateEvent> events = topics.shared().templateEvents();
        TopicDescriptor<String, Template> sync = topics.templateSync();
        TopicDescriptor<String, Template> catalog = topics.shared().templates();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CATALOG_STORE), Serdes.String(), catalog.valueSerde()));
        KStream<String, CatalogInput> webhooks = builder.stream(
                        events.name(),
                        Consumed.with(events.keySerde(), events.valueSerde())
                                .withName("dispatch-template-events-source"))
                .repartition(Repartitioned.<String, TemplateEvent>as(EVENTS_SINGLE_PARTITION)
                        .withKeySerde(events.keySerde())
                        .withValueSerde(events.valueSerde())
                        .withNumberOfPartitions(1))
                .mapValues(CatalogInput.Event::new, Named.as("dispatch-catalog-event"));
        KStream<String, CatalogInput> listings = builder.stream(
                        sync.name(),
                        Consumed.with(sync.keySerde(), sync.valueSerde()).withName("dispatch-template-sync-source"))
                .mapValues(CatalogInput.Synced::new, Named.as("dispatch-catalog-listing"));
        webhooks.merge(listings, Named.as("dispatch-catalog-inputs"))
                .process(CatalogProcessor::new, Named.as("dispatch-catalog"), CATALOG_STORE)
                .to(
                        catalog.name(),
                        Produced.with(catalog.keySerde(), catalog.valueSerde()).withName("dispatch-templates-sink"));
    }
}
