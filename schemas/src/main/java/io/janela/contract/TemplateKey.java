package io.janela.contract;

import java.util.Objects;

/**
 * The key of template topics: {@code {wabaId}:{name}:{language}}. A template is unique per business account, name and
 * language; names are lower-case letters, digits and underscores, and languages are codes such as {@code en_US}, so
 * neither holds a colon.
 */
public record TemplateKey(String wabaId, String name, String language) {

    public TemplateKey {
        requirePart("business account id", wabaId);
        requirePart("name", name);
        requirePart("language", language);
    }

    /** Parses {@code {wabaId}:{name}:{language}}. */
    public static TemplateKey parse(String key) {
        Objects.requireNonNull(key, "template key");
        String[] parts = key.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("a template key is {wabaId}:{name}:{language}; got '" + key + "'");
        }
        return new TemplateKey(parts[0], parts[1], parts[2]);
    }

    public String format() {
        return wabaId + ':' + name + ':' + language;
    }

    @Override
    public String toString() {
        return format();
    }

    private static void requirePart(String what, String value) {
        if (value == null || value.isBlank() || value.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a template key needs a " + what + " without ':'; got '" + value + "'");
        }
    }
}
