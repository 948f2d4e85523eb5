package io.janela.ingress.parse;

import io.janela.avro.QualityScore;
import io.janela.avro.TemplateCategory;
import io.janela.avro.TemplateEvent;
import io.janela.avro.TemplateEventKind;
import io.janela.avro.TemplateStatus;
import io.janela.contract.TemplateKey;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * The value of a {@code message_template_status_update}, {@code template_category_update} or {@code
 * message_template_quality_update} change → {@link TemplateEvent}, keyed {@code {wabaId}:{name}:{language}} with the
 * language in the API's underscore form. Its time is the entry's {@code time}; required are that time, the business
 * account ({@code entry[].id}), the template name and the language.
 */
final class TemplateEventMapper {

    static final String STATUS_UPDATE = "message_template_status_update";
    static final String CATEGORY_UPDATE = "template_category_update";
    static final String QUALITY_UPDATE = "message_template_quality_update";

    private final RawJson rawJson;

    TemplateEventMapper(RawJson rawJson) {
        this.rawJson = rawJson;
    }

    static boolean handles(String field) {
        return STATUS_UPDATE.equals(field) || CATEGORY_UPDATE.equals(field) || QUALITY_UPDATE.equals(field);
    }

    MappedRecord map(String field, JsonNode value, ChangeContext change, String path, ParseNotes notes) {
        String wabaId = change.wabaId();
        if (wabaId == null) {
            throw new InvalidItemException("no entry id (business account)");
        }
        Instant eventTime = MetaTime.required(change.entry(), "time");
        String name = JsonFields.id(value, "message_template_name");
        if (name == null) {
            throw new InvalidItemException("no message_template_name");
        }
        String rawLanguage = JsonFields.id(value, "message_template_language");
        if (rawLanguage == null) {
            throw new InvalidItemException("no message_template_language");
        }
        String language = TemplateLanguage.normalise(rawLanguage);
        String key;
        try {
            key = new TemplateKey(wabaId, name, language).format();
        } catch (IllegalArgumentException e) {
            throw new InvalidItemException("the business account, name or language cannot form a template key");
        }

        TemplateEvent.Builder event = TemplateEvent.newBuilder()
                .setWabaId(wabaId)
                .setEventTime(eventTime)
                .setTemplateId(JsonFields.id(value, "message_template_id"))
                .setName(name)
                .setLanguage(language)
                .setRawJson(rawJson.of(value));
        switch (field) {
            case STATUS_UPDATE ->
                event.setKind(TemplateEventKind.STATUS_UPDATE)
                        .setStatus(MetaSymbols.optionalSymbol(
                                TemplateStatus.class,
                                JsonFields.text(value, "event"),
                                TemplateStatus.UNKNOWN,
                                "template_status",
                                notes))
                        .setReason(JsonFields.text(value, "reason"))
                        .setCategory(category(value, "message_template_category", notes))
                        .setOtherInfoTitle(JsonFields.text(JsonFields.object(value, "other_info"), "title"));
            case CATEGORY_UPDATE ->
                event.setKind(TemplateEventKind.CATEGORY_UPDATE)
                        .setCategory(category(value, "new_category", notes))
                        .setPreviousCategory(category(value, "previous_category", notes))
                        .setCorrectCategory(category(value, "correct_category", notes))
                        .setCategoryUpdateAt(MetaTime.optional(value, "category_update_timestamp"));
            case QUALITY_UPDATE ->
                event.setKind(TemplateEventKind.QUALITY_UPDATE)
                        .setPreviousQuality(quality(value, "previous_quality_score", notes))
                        .setNewQuality(quality(value, "new_quality_score", notes));
            default -> throw new IllegalArgumentException("not a template field: " + field);
        }
        return new MappedRecord(RecordKind.TEMPLATE_EVENT, key, event.build(), eventTime, path);
    }

    private static TemplateCategory category(JsonNode value, String field, ParseNotes notes) {
        return MetaSymbols.optionalSymbol(
                TemplateCategory.class,
                JsonFields.text(value, field),
                TemplateCategory.UNKNOWN,
                "template_category",
                notes);
    }

    private static QualityScore quality(JsonNode value, String field, ParseNotes notes) {
        return MetaSymbols.optionalSymbol(
                QualityScore.class, JsonFields.text(value, field), QualityScore.UNKNOWN, "quality_score", notes);
    }
}
