package io.janela.metrics.summary;

import java.util.List;
import java.util.function.Function;

/**
 * Rows of a bucket named by what a producer wrote (an agent id, a team): at most a cap of named rows per bucket, then
 * one {@code none} row (nothing named) and one {@code other} row (beyond the cap, or a name longer than
 * {@link #MAX_NAME_LENGTH}), so that a producer writing a new name on every request cannot grow a bucket without
 * bound. A bucket's rows are bounded by who answered in it; a name that got a row keeps it for the bucket.
 */
final class SummaryRows {

    static final String NAMED = "named";
    static final String NONE = "none";
    static final String OTHER = "other";

    /** Names longer than this (in chars) are counted in the {@code other} row. */
    static final int MAX_NAME_LENGTH = 128;

    private SummaryRows() {}

    /**
     * The row of {@code rows} that {@code name} counts in, added to {@code rows} if missing.
     *
     * @param row the row kind of an element ({@link #NAMED}, {@link #NONE}, {@link #OTHER})
     * @param key the name of an element (null in the none and other rows)
     * @param create a new element of a row kind and name
     */
    static <T> T rowFor(
            List<T> rows,
            String name,
            int maxNamed,
            Function<T, String> row,
            Function<T, String> key,
            RowFactory<T> create) {
        String kind = kind(name);
        if (NAMED.equals(kind)) {
            int named = 0;
            for (T candidate : rows) {
                if (NAMED.equals(row.apply(candidate))) {
                    if (name.equals(key.apply(candidate))) {
                        return candidate;
                    }
                    named++;
                }
            }
            if (named < maxNamed) {
                T created = create.create(NAMED, name);
                rows.add(created);
                return created;
            }
            kind = OTHER;
        }
        for (T candidate : rows) {
            if (kind.equals(row.apply(candidate))) {
                return candidate;
            }
        }
        T created = create.create(kind, null);
        rows.add(created);
        return created;
    }

    static String kind(String name) {
        if (name == null || name.isBlank()) {
            return NONE;
        }
        return name.length() > MAX_NAME_LENGTH ? OTHER : NAMED;
    }

    /** Orders named rows by name, then {@code none}, then {@code other}. */
    static int order(String rowA, String keyA, String rowB, String keyB) {
        int byKind = Integer.compare(rank(rowA), rank(rowB));
        if (byKind != 0 || !NAMED.equals(rowA)) {
            return byKind;
        }
        return keyA.compareTo(keyB);
    }

    private static int rank(String row) {
        return switch (row) {
            case NAMED -> 0;
            case NONE -> 1;
            default -> 2;
        };
    }

    @FunctionalInterface
    interface RowFactory<T> {
        T create(String row, String key);
    }
}
