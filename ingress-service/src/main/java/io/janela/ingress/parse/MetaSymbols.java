package io.janela.ingress.parse;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps Meta's spellings onto the contract's enum symbols. Meta writes the same value differently in different places
 * ({@code authentication-international} in {@code pricing.category}, {@code authentication_international} in {@code
 * conversation.origin.type}; lower case in statuses, upper case in template webhooks), so values are compared after
 * normalising case and separators. A value the enum does not know maps to its {@code UNKNOWN} symbol, never to an
 * error: Meta adds values without notice, and the item's raw JSON keeps what it said.
 */
final class MetaSymbols {

    private static final ClassValue<Map<String, Enum<?>>> SYMBOLS = new ClassValue<>() {
        @Override
        protected Map<String, Enum<?>> computeValue(Class<?> type) {
            Map<String, Enum<?>> symbols = new HashMap<>();
            for (Object constant : type.getEnumConstants()) {
                Enum<?> symbol = (Enum<?>) constant;
                symbols.put(symbol.name(), symbol);
            }
            return Map.copyOf(symbols);
        }
    };

    private MetaSymbols() {}

    /**
     * The symbol of {@code type} for Meta's {@code raw} value; {@code unknown} when the value is absent or not a
     * symbol of the enum, noting the latter in {@code notes} under {@code field}.
     */
    static <E extends Enum<E>> E symbol(Class<E> type, String raw, E unknown, String field, ParseNotes notes) {
        if (raw == null) {
            return unknown;
        }
        Enum<?> symbol = SYMBOLS.get(type).get(normalise(raw));
        if (symbol == null || symbol == unknown) {
            notes.unrecognised(field);
            return unknown;
        }
        return type.cast(symbol);
    }

    /** Like {@link #symbol} but null when the value is absent, for optional enum fields. */
    static <E extends Enum<E>> E optionalSymbol(Class<E> type, String raw, E unknown, String field, ParseNotes notes) {
        return raw == null ? null : symbol(type, raw, unknown, field, notes);
    }

    /** Upper case, with hyphens, spaces and dots as underscores: {@code authentication-international} → {@code AUTHENTICATION_INTERNATIONAL}. */
    static String normalise(String raw) {
        String upper = raw.strip().toUpperCase(Locale.ROOT);
        StringBuilder normalised = new StringBuilder(upper.length());
        for (int i = 0; i < upper.length(); i++) {
            char c = upper.charAt(i);
            normalised.append(c == '-' || c == ' ' || c == '.' ? '_' : c);
        }
        return normalised.toString();
    }
}
