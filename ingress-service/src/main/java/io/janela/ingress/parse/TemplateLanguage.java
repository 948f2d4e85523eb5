package io.janela.ingress.parse;

import java.util.Locale;

/**
 * Template language codes in the Graph API's form. The API and the template catalog use underscores ({@code en_US},
 * {@code pt_BR}); some webhooks spell the same language with a hyphen ({@code en-US}). Normalising here makes
 * template events and the catalog agree on the {@code {wabaId}:{name}:{language}} key.
 */
final class TemplateLanguage {

    private TemplateLanguage() {}

    /**
     * Hyphens become underscores; a two-letter region is upper-cased and the language lower-cased ({@code en-us} →
     * {@code en_US}); a code without a region ({@code en}, {@code fil}) is lower-cased. Anything else keeps its case.
     */
    static String normalise(String raw) {
        String code = raw.strip().replace('-', '_');
        int separator = code.indexOf('_');
        if (separator < 0) {
            return isLetters(code) ? code.toLowerCase(Locale.ROOT) : code;
        }
        String language = code.substring(0, separator);
        String region = code.substring(separator + 1);
        if (isLetters(language) && region.length() == 2 && isLetters(region)) {
            return language.toLowerCase(Locale.ROOT) + '_' + region.toUpperCase(Locale.ROOT);
        }
        return code;
    }

    private static boolean isLetters(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    }
}
