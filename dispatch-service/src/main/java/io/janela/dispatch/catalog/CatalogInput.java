package io.janela.dispatch.catalog;

import io.janela.avro.Template;
import io.janela.avro.TemplateEvent;

/** What the catalog processor folds: a template webhook, or a template as the latest listing showed it. */
sealed interface CatalogInput {

    record Event(TemplateEvent event) implements CatalogInput {}

    record Synced(Template template) implements CatalogInput {}
}
