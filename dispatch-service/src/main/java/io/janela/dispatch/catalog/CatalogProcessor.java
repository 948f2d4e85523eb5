package io.janela.dispatch.catalog;

import io.janela.avro.Template;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps one catalog entry per template ({@code {wabaId}:{name}:{language}}) and publishes it to whatsapp.templates
 * whenever a webhook or a sync changes it (an hourly sync that finds nothing new publishes nothing).
 */
final class CatalogProcessor implements Processor<String, CatalogInput, String, Template> {

    private ProcessorContext<String, Template> context;
    private KeyValueStore<String, Template> catalog;

    @Override
    public void init(ProcessorContext<String, Template> context) {
        this.context = context;
        this.catalog = context.getStateStore(CatalogTopology.CATALOG_STORE);
    }

    @Override
    public void process(Record<String, CatalogInput> record) {
        Template current = catalog.get(record.key());
        Template merged = switch (record.value()) {
            case CatalogInput.Event event -> CatalogMerge.applyEvent(current, event.event());
            case CatalogInput.Synced synced -> CatalogMerge.applySync(current, synced.template());
        };
        if (merged != null && !Objects.equals(merged, current)) {
            catalog.put(record.key(), merged);
            context.forward(record.withValue(merged));
        }
    }
}
