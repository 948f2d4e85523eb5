package io.janela.sandbox.templates;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One template as {@code GET /{waba-id}/message_templates} lists it (WHATSAPP.md §5.7), with what a send is checked
 * against: its status, category, and the placeholders of its body and header.
 */
public record SandboxTemplate(JsonNode json) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    public String name() {
        return json.path("name").asString("");
    }

    /** The language code in the API's underscore form ({@code en_US}). */
    public String language() {
        return json.path("language").asString("").replace('-', '_');
    }

    public String status() {
        return json.path("status").asString("APPROVED").toUpperCase(Locale.ROOT);
    }

    public String category() {
        return json.path("category").asString("UTILITY").toUpperCase(Locale.ROOT);
    }

    public boolean named() {
        return "NAMED".equalsIgnoreCase(json.path("parameter_format").asString("POSITIONAL"));
    }

    /** The distinct placeholders of the body, in order of appearance. */
    public List<String> bodyPlaceholders() {
        return placeholders(component("BODY").path("text").asString(""));
    }

    /** The header's format ({@code TEXT}, {@code IMAGE}...), or null without a header. */
    public String headerFormat() {
        JsonNode header = component("HEADER");
        return header.isMissingNode()
                ? null
                : header.path("format").asString("TEXT").toUpperCase(Locale.ROOT);
    }

    public List<String> headerPlaceholders() {
        return placeholders(component("HEADER").path("text").asString(""));
    }

    private JsonNode component(String type) {
        for (JsonNode component : json.path("components").values()) {
            if (type.equalsIgnoreCase(component.path("type").asString(""))) {
                return component;
            }
        }
        return tools.jackson.databind.node.MissingNode.getInstance();
    }

    private static List<String> placeholders(String text) {
        LinkedHashSet<String> found = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return new ArrayList<>(found);
    }
}
