package io.janela.dispatch.catalog;

import io.janela.avro.ParameterFormat;
import io.janela.avro.QualityScore;
import io.janela.avro.Template;
import io.janela.avro.TemplateCategory;
import io.janela.avro.TemplateSource;
import io.janela.avro.TemplateStatus;
import io.janela.dispatch.graph.ListedTemplate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A template as {@code GET /{waba-id}/message_templates} lists it (WHATSAPP.md §5.7), as a catalog entry: status,
 * category, quality, and the placeholders of its body and header ({@code {{1}}}... for positional templates,
 * {@code {{first_name}}}... for named ones), which requests are checked against.
 */
final class TemplateListings {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    private TemplateListings() {}

    public static Template toTemplate(String wabaId, ListedTemplate listed, Instant syncedAt) {
        JsonNode body = component(listed.components(), "BODY");
        JsonNode header = component(listed.components(), "HEADER");
        ParameterFormat format = "NAMED".equalsIgnoreCase(listed.parameterFormat())
                ? ParameterFormat.NAMED
                : ParameterFormat.POSITIONAL; // Meta's default when none is given
        List<String> bodyPlaceholders =
                placeholders(body == null ? "" : body.path("text").asString(""));
        String headerFormat =
                header == null ? null : header.path("format").asString("TEXT").toUpperCase(Locale.ROOT);
        List<String> headerPlaceholders =
                "TEXT".equals(headerFormat) ? placeholders(header.path("text").asString("")) : List.of();
        return Template.newBuilder()
                .setWabaId(wabaId)
                .setName(listed.name())
                .setLanguage(normaliseLanguage(listed.language()))
                .setTemplateId(listed.id())
                .setStatus(enumOf(TemplateStatus.class, listed.status(), TemplateStatus.UNKNOWN))
                .setCategory(enumOf(TemplateCategory.class, listed.category(), TemplateCategory.UNKNOWN))
                .setParameterFormat(format)
                .setBodyParameterCount(bodyPlaceholders.size())
                .setBodyParameterNames(format == ParameterFormat.NAMED ? bodyPlaceholders : List.of())
                .setHeaderParameterCount(headerPlaceholders.size())
                .setHeaderParameterNames(format == ParameterFormat.NAMED ? headerPlaceholders : List.of())
                .setHeaderFormat(headerFormat)
                .setQuality(
                        listed.qualityScore() == null
                                ? QualityScore.UNKNOWN
                                : enumOf(
                                        QualityScore.class,
                                        listed.qualityScore().score(),
                                        QualityScore.UNKNOWN))
                .setSource(TemplateSource.SYNC)
                .setUpdatedAt(syncedAt)
                .setComponentsJson(
                        listed.components() == null ? null : listed.components().toString())
                .build();
    }

    /** A catalog entry the latest listing no longer shows: deleted at Meta. */
    public static Template deleted(Template known, Instant syncedAt) {
        return Template.newBuilder(known)
                .setStatus(TemplateStatus.DELETED)
                .setSource(TemplateSource.SYNC)
                .setUpdatedAt(syncedAt)
                .build();
    }

    public static String normaliseLanguage(String language) {
        return language == null ? "" : language.replace('-', '_');
    }

    private static JsonNode component(JsonNode components, String type) {
        if (components == null) {
            return null;
        }
        for (JsonNode component : components.values()) {
            if (type.equalsIgnoreCase(component.path("type").asString(""))) {
                return component;
            }
        }
        return null;
    }

    private static List<String> placeholders(String text) {
        LinkedHashSet<String> found = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return new ArrayList<>(found);
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value, E fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
