package io.janela.dispatch.catalog;

import io.janela.avro.Template;
import io.janela.avro.TemplateEvent;
import io.janela.avro.TemplateSource;
import io.janela.avro.TemplateStatus;

/**
 * How the catalog folds its two sources into one entry per template: webhooks (status, category and quality changes,
 * as they happen) and the periodic Graph API listing (everything, including the parameters, as of the sync).
 *
 * <p>Whichever is newer wins for status, category and quality: a webhook after the sync is applied on top of it, an
 * older one (a webhook retried for days) changes nothing; a sync after a webhook replaces them. The parameters and
 * components only come from the listing, so a sync always brings them. An announced recategorisation is kept until
 * a later category update or sync shows it done.
 */
public final class CatalogMerge {

    private CatalogMerge() {}

    public static Template applyEvent(Template current, TemplateEvent event) {
        Template.Builder merged = current != null
                ? Template.newBuilder(current)
                : Template.newBuilder()
                        .setWabaId(event.getWabaId())
                        .setName(event.getName())
                        .setLanguage(event.getLanguage())
                        .setSource(TemplateSource.WEBHOOK)
                        .setUpdatedAt(event.getEventTime());
        if (merged.getTemplateId() == null) {
            merged.setTemplateId(event.getTemplateId());
        }
        boolean newer = current == null || !event.getEventTime().isBefore(current.getUpdatedAt());
        switch (event.getKind()) {
            case STATUS_UPDATE -> {
                if (newer && event.getStatus() != null) {
                    merged.setStatus(statusAfter(event.getStatus()))
                            .setSource(TemplateSource.WEBHOOK)
                            .setUpdatedAt(event.getEventTime());
                    if (event.getCategory() != null) {
                        merged.setCategory(event.getCategory());
                    }
                }
            }
            case CATEGORY_UPDATE -> {
                boolean impending = event.getCorrectCategory() != null && event.getCategoryUpdateAt() != null;
                if (impending) {
                    merged.setPendingCategory(event.getCorrectCategory())
                            .setPendingCategoryAt(event.getCategoryUpdateAt());
                }
                if (newer && event.getCategory() != null) {
                    merged.setCategory(event.getCategory())
                            .setSource(TemplateSource.WEBHOOK)
                            .setUpdatedAt(event.getEventTime());
                    if (!impending) {
                        merged.setPendingCategory(null).setPendingCategoryAt(null);
                    }
                }
            }
            case QUALITY_UPDATE -> {
                if (newer && event.getNewQuality() != null) {
                    merged.setQuality(event.getNewQuality())
                            .setSource(TemplateSource.WEBHOOK)
                            .setUpdatedAt(event.getEventTime());
                }
            }
            case UNKNOWN -> {
                return current;
            }
        }
        return merged.build();
    }

    public static Template applySync(Template current, Template synced) {
        if (current == null) {
            return synced;
        }
        if (!synced.getUpdatedAt().isBefore(current.getUpdatedAt())) {
            boolean pendingStillAhead = synced.getPendingCategory() == null
                    && current.getPendingCategoryAt() != null
                    && current.getPendingCategoryAt().isAfter(synced.getUpdatedAt());
            return pendingStillAhead
                    ? Template.newBuilder(synced)
                            .setPendingCategory(current.getPendingCategory())
                            .setPendingCategoryAt(current.getPendingCategoryAt())
                            .build()
                    : synced;
        }
        // A webhook is newer than this listing: keep what it said, take the structure only the listing knows.
        return Template.newBuilder(current)
                .setTemplateId(synced.getTemplateId() != null ? synced.getTemplateId() : current.getTemplateId())
                .setParameterFormat(synced.getParameterFormat())
                .setBodyParameterCount(synced.getBodyParameterCount())
                .setBodyParameterNames(synced.getBodyParameterNames())
                .setHeaderParameterCount(synced.getHeaderParameterCount())
                .setHeaderParameterNames(synced.getHeaderParameterNames())
                .setHeaderFormat(synced.getHeaderFormat())
                .setComponentsJson(synced.getComponentsJson())
                .build();
    }

    /**
     * The status a status event leaves: REINSTATED (after an appeal) and UNARCHIVED bring a template back to APPROVED
     * (the next sync corrects this if Meta says otherwise); every other event is the new status.
     */
    static TemplateStatus statusAfter(TemplateStatus event) {
        return event == TemplateStatus.REINSTATED || event == TemplateStatus.UNARCHIVED
                ? TemplateStatus.APPROVED
                : event;
    }
}
