package io.janela.ingress.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.ingress.TestWebhooks;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Parses test webhooks and picks out their records. */
final class Parsing {

    static final String WABA = "102290129340398";
    static final String PHONE_NUMBER_ID = "106540352242922";
    static final String WA_ID = "16505551234";
    static final String USER_ID = "US.13491208655302741918";
    static final String CONTACT_KEY = PHONE_NUMBER_ID + ":" + USER_ID;

    private static final WebhookParser PARSER = new WebhookParser();

    private Parsing() {}

    static ParsedWebhook parse(String path) {
        return PARSER.parse(TestWebhooks.load(path));
    }

    /** A webhook written in the test itself. */
    static ParsedWebhook parseText(String json) {
        return PARSER.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The one record of a test webhook that holds a single item, checked to have parsed without problems. */
    static MappedRecord single(String path) {
        ParsedWebhook parsed = parse(path);
        assertThat(parsed.failure()).as("envelope failure of " + path).isEmpty();
        assertThat(parsed.problems()).as("problems of " + path).isEmpty();
        List<MappedRecord> records = parsed.records();
        assertThat(records).as("records of " + path).hasSize(1);
        return records.getFirst();
    }

    @SuppressWarnings("unchecked")
    static <T> T value(String path, Class<T> type) {
        Object value = single(path).value();
        assertThat(value).isInstanceOf(type);
        return (T) value;
    }
}
