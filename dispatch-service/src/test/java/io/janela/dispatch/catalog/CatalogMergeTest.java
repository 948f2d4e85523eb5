package io.janela.dispatch.catalog;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static io.janela.dispatch.Fixtures.catalogEntry;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.ParameterFormat;
import io.janela.avro.QualityScore;
import io.janela.avro.Template;
import io.janela.avro.TemplateCategory;
import io.janela.avro.TemplateEvent;
import io.janela.avro.TemplateEventKind;
import io.janela.avro.TemplateSource;
import io.janela.avro.TemplateStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CatalogMergeTest {

    private static final Instant SYNCED_AT = NOW.minus(Duration.ofHours(1));

    @Test
    void aWebhookAfterTheSyncChangesTheStatusAndKeepsTheParameters() {
        Template synced = synced();
        Template merged = CatalogMerge.applyEvent(synced, status(TemplateStatus.PAUSED, SYNCED_AT.plusSeconds(60)));

        assertThat(merged.getStatus()).isEqualTo(TemplateStatus.PAUSED);
        assertThat(merged.getBodyParameterCount()).isEqualTo(2);
        assertThat(merged.getSource()).isEqualTo(TemplateSource.WEBHOOK);
    }

    @Test
    void aWebhookOlderThanTheSyncChangesNothing() {
        Template synced = synced();
        assertThat(CatalogMerge.applyEvent(synced, status(TemplateStatus.PAUSED, SYNCED_AT.minusSeconds(60))))
                .isEqualTo(synced);
    }

    @Test
    void aSyncOlderThanAWebhookBringsTheStructureButKeepsTheStatus() {
        Template fromWebhook =
                CatalogMerge.applyEvent(null, status(TemplateStatus.DISABLED, SYNCED_AT.plusSeconds(60)));
        assertThat(fromWebhook.getParameterFormat()).isEqualTo(ParameterFormat.UNKNOWN);

        Template merged = CatalogMerge.applySync(fromWebhook, synced());

        assertThat(merged.getStatus()).isEqualTo(TemplateStatus.DISABLED);
        assertThat(merged.getParameterFormat()).isEqualTo(ParameterFormat.POSITIONAL);
        assertThat(merged.getBodyParameterCount()).isEqualTo(2);
    }

    @Test
    void keepsAnAnnouncedRecategorisationUntilItIsDone() {
        TemplateEvent impending = event(TemplateEventKind.CATEGORY_UPDATE, SYNCED_AT.plusSeconds(60))
                .setCategory(TemplateCategory.UTILITY)
                .setCorrectCategory(TemplateCategory.MARKETING)
                .setCategoryUpdateAt(NOW.plus(Duration.ofHours(24)))
                .build();
        Template announced = CatalogMerge.applyEvent(synced(), impending);
        assertThat(announced.getPendingCategory()).isEqualTo(TemplateCategory.MARKETING);

        Template afterHourlySync = CatalogMerge.applySync(
                announced, Template.newBuilder(synced()).setUpdatedAt(NOW).build());
        assertThat(afterHourlySync.getPendingCategory()).isEqualTo(TemplateCategory.MARKETING);

        TemplateEvent done = event(TemplateEventKind.CATEGORY_UPDATE, NOW.plus(Duration.ofHours(24)))
                .setPreviousCategory(TemplateCategory.UTILITY)
                .setCategory(TemplateCategory.MARKETING)
                .build();
        Template recategorised = CatalogMerge.applyEvent(afterHourlySync, done);
        assertThat(recategorised.getCategory()).isEqualTo(TemplateCategory.MARKETING);
        assertThat(recategorised.getPendingCategory()).isNull();
    }

    @Test
    void appliesQualityUpdatesAndBringsReinstatedTemplatesBackToApproved() {
        Template rated = CatalogMerge.applyEvent(
                synced(),
                event(TemplateEventKind.QUALITY_UPDATE, NOW)
                        .setNewQuality(QualityScore.RED)
                        .build());
        assertThat(rated.getQuality()).isEqualTo(QualityScore.RED);

        Template reinstated = CatalogMerge.applyEvent(rated, status(TemplateStatus.REINSTATED, NOW.plusSeconds(1)));
        assertThat(reinstated.getStatus()).isEqualTo(TemplateStatus.APPROVED);
    }

    @Test
    void aStatusArrivingAfterANewerCategoryUpdateStillApproves() {
        Template pending =
                Template.newBuilder(synced()).setStatus(TemplateStatus.PENDING).build();
        Template recategorised = CatalogMerge.applyEvent(
                pending,
                event(TemplateEventKind.CATEGORY_UPDATE, SYNCED_AT.plusSeconds(120))
                        .setPreviousCategory(TemplateCategory.UTILITY)
                        .setCategory(TemplateCategory.MARKETING)
                        .build());

        Template approved =
                CatalogMerge.applyEvent(recategorised, status(TemplateStatus.APPROVED, SYNCED_AT.plusSeconds(60)));

        assertThat(approved.getStatus()).isEqualTo(TemplateStatus.APPROVED);
        assertThat(approved.getCategory()).isEqualTo(TemplateCategory.MARKETING);
    }

    @Test
    void aStatusCarryingAnOlderCategoryKeepsTheNewerCategory() {
        Template recategorised = CatalogMerge.applyEvent(
                synced(),
                event(TemplateEventKind.CATEGORY_UPDATE, SYNCED_AT.plusSeconds(120))
                        .setCategory(TemplateCategory.MARKETING)
                        .build());

        Template approved = CatalogMerge.applyEvent(
                recategorised,
                event(TemplateEventKind.STATUS_UPDATE, SYNCED_AT.plusSeconds(60))
                        .setStatus(TemplateStatus.APPROVED)
                        .setCategory(TemplateCategory.UTILITY)
                        .build());

        assertThat(approved.getStatus()).isEqualTo(TemplateStatus.APPROVED);
        assertThat(approved.getCategory()).isEqualTo(TemplateCategory.MARKETING);
    }

    @Test
    void anOlderQualityUpdateDoesNotUndoANewerOne() {
        Template red = CatalogMerge.applyEvent(
                synced(),
                event(TemplateEventKind.QUALITY_UPDATE, SYNCED_AT.plusSeconds(120))
                        .setNewQuality(QualityScore.RED)
                        .build());
        Template paused = CatalogMerge.applyEvent(red, status(TemplateStatus.PAUSED, SYNCED_AT.plusSeconds(180)));

        Template stale = CatalogMerge.applyEvent(
                paused,
                event(TemplateEventKind.QUALITY_UPDATE, SYNCED_AT.plusSeconds(60))
                        .setNewQuality(QualityScore.GREEN)
                        .build());

        assertThat(stale.getQuality()).isEqualTo(QualityScore.RED);
        assertThat(stale.getStatus()).isEqualTo(TemplateStatus.PAUSED);
    }

    @Test
    void aSyncBetweenTwoFactsKeepsTheNewerWebhookFactAndTakesTheOlderOnesFromTheListing() {
        Template paused = CatalogMerge.applyEvent(synced(), status(TemplateStatus.PAUSED, NOW.plusSeconds(60)));
        Template listing = Template.newBuilder(synced())
                .setStatus(TemplateStatus.APPROVED)
                .setQuality(QualityScore.YELLOW)
                .setUpdatedAt(NOW)
                .build();

        Template merged = CatalogMerge.applySync(paused, listing);

        assertThat(merged.getStatus()).isEqualTo(TemplateStatus.PAUSED);
        assertThat(merged.getQuality()).isEqualTo(QualityScore.YELLOW);
    }

    private static Template synced() {
        return catalogEntry("order_update", TemplateCategory.UTILITY, 2)
                .setTemplateId("1689556908129832")
                .setUpdatedAt(SYNCED_AT)
                .setSource(TemplateSource.SYNC)
                .build();
    }

    private static TemplateEvent status(TemplateStatus status, Instant at) {
        return event(TemplateEventKind.STATUS_UPDATE, at).setStatus(status).build();
    }

    private static TemplateEvent.Builder event(TemplateEventKind kind, Instant at) {
        return TemplateEvent.newBuilder()
                .setKind(kind)
                .setWabaId(WABA_ID)
                .setEventTime(at)
                .setTemplateId("1689556908129832")
                .setName("order_update")
                .setLanguage("en_US")
                .setRawJson("{}");
    }
}
