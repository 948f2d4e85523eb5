package io.janela.ingress.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DeliveryStatus;
import io.janela.avro.MessageCategory;
import io.janela.avro.TemplateStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MetaNormalisationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest
    @CsvSource({
        "authentication-international, AUTHENTICATION_INTERNATIONAL",
        "authentication_international, AUTHENTICATION_INTERNATIONAL",
        "AUTHENTICATION_INTERNATIONAL, AUTHENTICATION_INTERNATIONAL",
        "marketing_lite,               MARKETING_LITE",
        "Referral Conversion,          REFERRAL_CONVERSION",
        "meta_business_agent,          UNKNOWN",
        "unknown,                      UNKNOWN"
    })
    void mapsMetasSpellingsOfACategoryToOneSymbol(String raw, MessageCategory expected) {
        ParseNotes notes = new ParseNotes();

        assertThat(MetaSymbols.symbol(MessageCategory.class, raw, MessageCategory.UNKNOWN, "pricing_category", notes))
                .isEqualTo(expected);
        assertThat(notes.unrecognisedValues()).hasSize(expected == MessageCategory.UNKNOWN ? 1 : 0);
    }

    @Test
    void readsAbsentValuesAsUnknownOrNullWithoutNotingThem() {
        ParseNotes notes = new ParseNotes();

        assertThat(MetaSymbols.symbol(DeliveryStatus.class, null, DeliveryStatus.UNKNOWN, "status", notes))
                .isEqualTo(DeliveryStatus.UNKNOWN);
        assertThat(MetaSymbols.optionalSymbol(TemplateStatus.class, null, TemplateStatus.UNKNOWN, "x", notes))
                .isNull();
        assertThat(notes.unrecognisedValues()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "en-US, en_US",
        "en_US, en_US",
        "en-us, en_US",
        "pt-BR, pt_BR",
        "en, en",
        "EN, en",
        "fil, fil",
        "zh_HK, zh_HK",
        "es_419, es_419",
        "sr-Latn, sr_Latn"
    })
    void normalisesTemplateLanguagesToTheApisUnderscoreForm(String raw, String expected) {
        assertThat(TemplateLanguage.normalise(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"t\":\"1749416383\"}   | 1749416383",
                "{\"t\":1749416383}       | 1749416383",
                "{\"t\":\" 1749416383 \"} | 1749416383",
                "{\"t\":1749416383.0}     | 1749416383",
                "{\"t\":\"0\"}            | 0"
            })
    void acceptsTimestampsAsStringsOrNumbers(String json, long seconds) {
        assertThat(MetaTime.required(node(json), "t")).isEqualTo(Instant.ofEpochSecond(seconds));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"t\":\"yesterday\"}",
                "{\"t\":\"1749416383.5\"}",
                "{\"t\":1749416383.5}",
                "{\"t\":-1}",
                "{\"t\":\"-1\"}",
                "{\"t\":true}",
                "{\"t\":{}}",
                "{\"t\":\"\"}",
                "{\"t\":99999999999999999999}",
                "{\"t\":1749416383000000}"
            })
    void refusesTimestampsThatAreNotUnixSeconds(String json) {
        assertThat(MetaTime.optional(node(json), "t")).isNull();
    }

    @Test
    void treatsAMissingTimestampAsAProblemOnlyWhereItIsRequired() {
        assertThat(MetaTime.optional(node("{}"), "t")).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MetaTime.required(node("{\"t\":null}"), "t"))
                .isInstanceOf(InvalidItemException.class)
                .hasMessage("no t");
    }

    private static JsonNode node(String json) {
        return JSON.readTree(json);
    }
}
