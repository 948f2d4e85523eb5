package io.janela.ingress.parse;

import static io.janela.ingress.parse.Parsing.WABA;
import static io.janela.ingress.parse.Parsing.single;
import static io.janela.ingress.parse.Parsing.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.QualityScore;
import io.janela.avro.TemplateCategory;
import io.janela.avro.TemplateEvent;
import io.janela.avro.TemplateEventKind;
import io.janela.avro.TemplateStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TemplateEventParsingTest {

    @Test
    void readsAStatusUpdateKeyedByAccountNameAndTheUnderscoreLanguage() {
        MappedRecord record = single("templates/status-update-approved.json");
        TemplateEvent event = (TemplateEvent) record.value();

        assertThat(record.kind()).isEqualTo(RecordKind.TEMPLATE_EVENT);
        assertThat(record.key()).isEqualTo(WABA + ":order_confirmation:en_US");
        assertThat(record.timestamp()).isEqualTo(Instant.ofEpochSecond(1751247548));
        assertThat(event.getKind()).isEqualTo(TemplateEventKind.STATUS_UPDATE);
        assertThat(event.getWabaId()).isEqualTo(WABA);
        assertThat(event.getEventTime()).isEqualTo(Instant.ofEpochSecond(1751247548));
        assertThat(event.getTemplateId()).isEqualTo("1689556908129832");
        assertThat(event.getName()).isEqualTo("order_confirmation");
        assertThat(event.getLanguage()).isEqualTo("en_US");
        assertThat(event.getStatus()).isEqualTo(TemplateStatus.APPROVED);
        assertThat(event.getReason()).isEqualTo("NONE");
        assertThat(event.getCategory()).isEqualTo(TemplateCategory.UTILITY);
        assertThat(event.getRawJson()).contains("\"message_template_language\":\"en-US\"");
    }

    @Test
    void readsAPauseWithItsTitleAndANullReason() {
        TemplateEvent event = value("templates/status-update-paused.json", TemplateEvent.class);

        assertThat(event.getStatus()).isEqualTo(TemplateStatus.PAUSED);
        assertThat(event.getReason()).isNull();
        assertThat(event.getOtherInfoTitle()).isEqualTo("FIRST_PAUSE");
        assertThat(event.getLanguage()).isEqualTo("pt_BR");
    }

    @Test
    void readsARejectionWithItsReason() {
        TemplateEvent event = value("templates/status-update-rejected.json", TemplateEvent.class);

        assertThat(event.getStatus()).isEqualTo(TemplateStatus.REJECTED);
        assertThat(event.getReason()).isEqualTo("INVALID_FORMAT");
        assertThat(event.getRawJson()).contains("rejection_info");
    }

    @Test
    void readsAnImpendingRecategorisationWithWhenItTakesEffect() {
        TemplateEvent event = value("templates/category-update-impending.json", TemplateEvent.class);

        assertThat(event.getKind()).isEqualTo(TemplateEventKind.CATEGORY_UPDATE);
        assertThat(event.getCategory()).isEqualTo(TemplateCategory.UTILITY);
        assertThat(event.getCorrectCategory()).isEqualTo(TemplateCategory.MARKETING);
        assertThat(event.getPreviousCategory()).isNull();
        assertThat(event.getCategoryUpdateAt()).isEqualTo(Instant.ofEpochSecond(1751334000));
    }

    @Test
    void readsACompletedRecategorisation() {
        MappedRecord record = single("templates/category-update-completed.json");
        TemplateEvent event = (TemplateEvent) record.value();

        assertThat(record.key()).isEqualTo(WABA + ":welcome_template:en_US");
        assertThat(event.getPreviousCategory()).isEqualTo(TemplateCategory.UTILITY);
        assertThat(event.getCategory()).isEqualTo(TemplateCategory.MARKETING);
        assertThat(event.getCorrectCategory()).isNull();
    }

    @Test
    void readsAQualityUpdate() {
        MappedRecord record = single("templates/quality-update.json");
        TemplateEvent event = (TemplateEvent) record.value();

        assertThat(record.key()).isEqualTo(WABA + ":order_confirmation:en_US");
        assertThat(event.getKind()).isEqualTo(TemplateEventKind.QUALITY_UPDATE);
        assertThat(event.getPreviousQuality()).isEqualTo(QualityScore.GREEN);
        assertThat(event.getNewQuality()).isEqualTo(QualityScore.YELLOW);
        assertThat(event.getStatus()).isNull();
    }
}
