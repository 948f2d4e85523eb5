package io.janela.dispatch.catalog;

import io.janela.avro.Template;
import io.janela.avro.TemplateEvent;
import io.janela.avro.TemplateSource;
import io.janela.avro.TemplateStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * How the catalog folds its two sources into one entry per template: webhooks (status, category and quality changes,
 * as they happen) and the periodic Graph API listing (everything, including the parameters, as of the sync).
 *
 * <p>Status, category and quality are separate facts, each with the time Meta said it ({@code statusAt},
 * {@code categoryAt}, {@code qualityAt}; entries written before those fields existed read {@code updatedAt} for all
 * three). For each fact the newer word wins, whichever source it came from: a status webhook that arrives after a
 * newer category update is still applied (webhooks are retried and reordered), an older webhook of a fact changes
 * nothing, and a sync replaces only the facts it is newer than. The parameters and components only come from the
 * listing, so a sync always brings them. An announced recategorisation is kept until a later category update or sync
 * shows it done.
 */
final class CatalogMerge {

    private CatalogMerge() {}

    public static Template applyEvent(Template current, TemplateEvent event) {
        Instant at = event.getEventTime();
        Template.Builder merged = current != null
                // An entry from before the per-fact times read updatedAt for all three: pin them before it moves.
                ? Template.newBuilder(current)
                        .setStatusAt(statusAt(current))
                        .setCategoryAt(categoryAt(current))
                        .setQualityAt(qualityAt(current))
                : Template.newBuilder()
                        .setWabaId(event.getWabaId())
                        .setName(event.getName())
                        .setLanguage(event.getLanguage())
                        .setSource(TemplateSource.WEBHOOK)
                        .setUpdatedAt(at);
        boolean changed = current == null;
        if (merged.getTemplateId() == null && event.getTemplateId() != null) {
            merged.setTemplateId(event.getTemplateId());
            changed = true;
        }
        switch (event.getKind()) {
            case STATUS_UPDATE -> {
                if (event.getStatus() != null && notBefore(at, statusAt(current))) {
                    merged.setStatus(statusAfter(event.getStatus())).setStatusAt(at);
                    changed = true;
                }
                if (event.getCategory() != null && notBefore(at, categoryAt(current))) {
                    merged.setCategory(event.getCategory()).setCategoryAt(at);
                    changed = true;
                }
            }
            case CATEGORY_UPDATE -> {
                boolean impending = event.getCorrectCategory() != null && event.getCategoryUpdateAt() != null;
                if (impending) {
                    merged.setPendingCategory(event.getCorrectCategory())
                            .setPendingCategoryAt(event.getCategoryUpdateAt());
                    changed = true;
                }
                if (event.getCategory() != null && notBefore(at, categoryAt(current))) {
                    merged.setCategory(event.getCategory()).setCategoryAt(at);
                    if (!impending) {
                        merged.setPendingCategory(null).setPendingCategoryAt(null);
                    }
                    changed = true;
                }
            }
            case QUALITY_UPDATE -> {
                if (event.getNewQuality() != null && notBefore(at, qualityAt(current))) {
                    merged.setQuality(event.getNewQuality()).setQualityAt(at);
                    changed = true;
                }
            }
            case UNKNOWN -> {
                return current;
            }
        }
        if (!changed) {
            return current;
        }
        if (current != null) {
            merged.setSource(TemplateSource.WEBHOOK).setUpdatedAt(later(current.getUpdatedAt(), at));
        }
        return merged.build();
    }

    public static Template applySync(Template current, Template synced) {
        Instant syncedAt = synced.getUpdatedAt();
        if (current == null) {
            return Template.newBuilder(synced)
                    .setStatusAt(syncedAt)
                    .setCategoryAt(syncedAt)
                    .setQualityAt(syncedAt)
                    .build();
        }
        boolean statusFromSync = notBefore(syncedAt, statusAt(current));
        boolean categoryFromSync = notBefore(syncedAt, categoryAt(current));
        boolean qualityFromSync = notBefore(syncedAt, qualityAt(current));
        Template.Builder merged = Template.newBuilder(synced)
                .setTemplateId(synced.getTemplateId() != null ? synced.getTemplateId() : current.getTemplateId())
                .setStatusAt(syncedAt)
                .setCategoryAt(syncedAt)
                .setQualityAt(syncedAt)
                .setUpdatedAt(later(current.getUpdatedAt(), syncedAt));
        if (!statusFromSync) {
            merged.setStatus(current.getStatus()).setStatusAt(statusAt(current));
        }
        if (!categoryFromSync) {
            merged.setCategory(current.getCategory()).setCategoryAt(categoryAt(current));
        }
        if (!qualityFromSync) {
            merged.setQuality(current.getQuality()).setQualityAt(qualityAt(current));
        }
        boolean pendingStillAhead = current.getPendingCategoryAt() != null
                && (!categoryFromSync || current.getPendingCategoryAt().isAfter(syncedAt));
        if (synced.getPendingCategory() == null && pendingStillAhead) {
            merged.setPendingCategory(current.getPendingCategory())
                    .setPendingCategoryAt(current.getPendingCategoryAt());
        }
        merged.setSource(
                statusFromSync && categoryFromSync && qualityFromSync ? TemplateSource.SYNC : current.getSource());
        return merged.build();
    }

    static Instant statusAt(Template template) {
        return template == null ? null : Objects.requireNonNullElse(template.getStatusAt(), template.getUpdatedAt());
    }

    static Instant categoryAt(Template template) {
        return template == null ? null : Objects.requireNonNullElse(template.getCategoryAt(), template.getUpdatedAt());
    }

    static Instant qualityAt(Template template) {
        return template == null ? null : Objects.requireNonNullElse(template.getQualityAt(), template.getUpdatedAt());
    }

    /** Meta's word at {@code at} replaces the fact said at {@code factAt} unless it is older; equal times apply. */
    private static boolean notBefore(Instant at, Instant factAt) {
        return factAt == null || !at.isBefore(factAt);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
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
