package io.janela.dispatch.catalog;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.ParameterFormat;
import io.janela.avro.QualityScore;
import io.janela.avro.Template;
import io.janela.avro.TemplateCategory;
import io.janela.avro.TemplateStatus;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.graph.ListedTemplate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TemplateListingsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        Fixtures.businessNumber(); // trusts Avro's generated classes
    }

    @Test
    void countsTheDistinctPlaceholdersOfAPositionalBodyAndATextHeader() {
        ListedTemplate listed = JSON.readValue("""
                {"id":"594425479261596","name":"order_confirmation","language":"en-US","status":"APPROVED",
                 "category":"UTILITY","components":[
                   {"type":"HEADER","format":"TEXT","text":"Order {{1}}"},
                   {"type":"BODY","text":"Hi {{1}}, order {{2}} ships {{3}}. Again: {{2}}."},
                   {"type":"FOOTER","text":"Thanks"}],
                 "quality_score":{"score":"GREEN"}}""", ListedTemplate.class);

        Template template = TemplateListings.toTemplate(WABA_ID, listed, NOW);

        assertThat(template.getLanguage()).isEqualTo("en_US");
        assertThat(template.getParameterFormat()).isEqualTo(ParameterFormat.POSITIONAL);
        assertThat(template.getBodyParameterCount()).isEqualTo(3);
        assertThat(template.getHeaderFormat()).isEqualTo("TEXT");
        assertThat(template.getHeaderParameterCount()).isEqualTo(1);
        assertThat(template.getStatus()).isEqualTo(TemplateStatus.APPROVED);
        assertThat(template.getCategory()).isEqualTo(TemplateCategory.UTILITY);
        assertThat(template.getQuality()).isEqualTo(QualityScore.GREEN);
        assertThat(template.getTemplateId()).isEqualTo("594425479261596");
        assertThat(template.getComponentsJson()).contains("Order {{1}}");
    }

    @Test
    void namesThePlaceholdersOfANamedTemplateAndKnowsAMediaHeader() {
        ListedTemplate listed = JSON.readValue("""
                {"id":"1","name":"promo","language":"pt_BR","status":"PAUSED","category":"MARKETING",
                 "parameter_format":"NAMED","components":[
                   {"type":"HEADER","format":"IMAGE"},
                   {"type":"BODY","text":"Oi {{first_name}}, a {{season}} chegou!"}]}""", ListedTemplate.class);

        Template template = TemplateListings.toTemplate(WABA_ID, listed, NOW);

        assertThat(template.getParameterFormat()).isEqualTo(ParameterFormat.NAMED);
        assertThat(template.getBodyParameterNames()).containsExactly("first_name", "season");
        assertThat(template.getHeaderFormat()).isEqualTo("IMAGE");
        assertThat(template.getHeaderParameterCount()).isZero();
        assertThat(template.getStatus()).isEqualTo(TemplateStatus.PAUSED);
    }

    @Test
    void readsAStatusMetaAddsTomorrowAsUnknown() {
        ListedTemplate listed = JSON.readValue("""
                {"id":"1","name":"x","language":"en","status":"SOMETHING_NEW","category":"UTILITY","components":[]}""", ListedTemplate.class);
        assertThat(TemplateListings.toTemplate(WABA_ID, listed, NOW).getStatus())
                .isEqualTo(TemplateStatus.UNKNOWN);
    }
}
