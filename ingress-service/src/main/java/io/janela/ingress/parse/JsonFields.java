package io.janela.ingress.parse;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Lenient reads of Meta's JSON: a field that is absent, null or of an unexpected kind reads as absent, and scalars
 * read as text whatever their JSON type (Meta sends some ids as numbers, some as strings, and has switched between
 * the two).
 */
final class JsonFields {

    private JsonFields() {}

    /** The field as text (numbers and booleans too), or null when absent, null, an object or an array. */
    static String text(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || node.isNull() || node.isContainer() || node.isMissingNode()) {
            return null;
        }
        return node.asString();
    }

    /** Like {@link #text}, for identifiers: surrounding spaces removed, blank reads as absent. */
    static String id(JsonNode parent, String field) {
        String text = text(parent, field);
        if (text == null) {
            return null;
        }
        String stripped = text.strip();
        return stripped.isEmpty() ? null : stripped;
    }

    /** The field when it is an object, else null. */
    static JsonNode object(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        return node != null && node.isObject() ? node : null;
    }

    /** The elements of the field when it is an array; empty when absent or null; null when it is something else. */
    static List<JsonNode> array(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            return null;
        }
        return node.valueStream().toList();
    }

    /** A boolean sent as a JSON boolean or as the string true/false; null otherwise. */
    static Boolean bool(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isString()) {
            String text = node.asString().strip();
            if (text.equalsIgnoreCase("true")) {
                return true;
            }
            if (text.equalsIgnoreCase("false")) {
                return false;
            }
        }
        return null;
    }

    /** Whether the field is present with a value other than null. */
    static boolean has(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        return node != null && !node.isNull();
    }
}
