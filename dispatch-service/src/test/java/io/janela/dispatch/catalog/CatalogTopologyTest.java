package io.janela.dispatch.catalog;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static io.janela.dispatch.Fixtures.catalogEntry;
import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DispatchReason;
import io.janela.avro.Template;
import io.janela.avro.TemplateCategory;
import io.janela.avro.TemplateEvent;
import io.janela.avro.TemplateEventKind;
import io.janela.avro.TemplateSource;
import io.janela.avro.TemplateStatus;
import io.janela.dispatch.DispatchTopology;
import io.janela.dispatch.TopologyHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CatalogTopologyTest {

    private static final String KEY = WABA_ID + ":order_update:en_US";

    private TopologyHarness harness;

    @BeforeEach
    void start() {
        harness = new TopologyHarness(
                "catalog-topology-test", (topics, settings, config) -> DispatchTopology.build(settings, 3, config));
    }

    @AfterEach
    void stop() {
        assertThat(harness.catalog.isEmpty()).as("no more catalog records").isTrue();
        assertThat(harness.commands.isEmpty()).as("no more send commands").isTrue();
        assertThat(harness.results.isEmpty()).as("no more results").isTrue();
        harness.close();
    }

    @Test
    void publishesASyncedTemplateAndUsesItForDecisions() {
        harness.templateSync.pipeInput(KEY, synced(NOW.minus(Duration.ofMinutes(5))));

        assertThat(harness.catalog.readValue().getBodyParameterCount()).isEqualTo(1);
        harness.requests.pipeInput(
                "k",
                text("r-1", "x")
                        .setPayload(templatePayload("order_update", "42").build())
                        .build());
        assertThat(harness.commands.readValue().getRequestId()).isEqualTo("r-1");
    }

    @Test
    void appliesAPauseWebhookSoThatTheNextRequestIsRefused() {
        harness.templateSync.pipeInput(KEY, synced(NOW.minus(Duration.ofMinutes(5))));
        harness.catalog.readValue();

        harness.templateEvents.pipeInput(
                KEY,
                TemplateEvent.newBuilder()
                        .setKind(TemplateEventKind.STATUS_UPDATE)
                        .setWabaId(WABA_ID)
                        .setEventTime(NOW)
                        .setName("order_update")
                        .setLanguage("en_US")
                        .setStatus(TemplateStatus.PAUSED)
                        .setRawJson("{}")
                        .build());

        assertThat(harness.catalog.readValue().getStatus()).isEqualTo(TemplateStatus.PAUSED);
        harness.requests.pipeInput(
                "k",
                text("r-1", "x")
                        .setPayload(templatePayload("order_update", "42").build())
                        .build());
        assertThat(harness.results.readValue().getReason()).isEqualTo(DispatchReason.TEMPLATE_NOT_APPROVED);
    }

    @Test
    void publishesNothingWhenASyncFindsNothingNew() {
        harness.templateSync.pipeInput(KEY, synced(NOW.minus(Duration.ofMinutes(5))));
        harness.catalog.readValue();

        harness.templateSync.pipeInput(KEY, synced(NOW.minus(Duration.ofMinutes(5))));

        assertThat(harness.catalog.isEmpty()).isTrue();
    }

    private static Template synced(java.time.Instant at) {
        return catalogEntry("order_update", TemplateCategory.UTILITY, 1)
                .setSource(TemplateSource.SYNC)
                .setUpdatedAt(at)
                .build();
    }
}
