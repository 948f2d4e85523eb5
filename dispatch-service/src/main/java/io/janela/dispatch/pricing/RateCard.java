package io.janela.dispatch.pricing;

import io.janela.avro.MessageCategory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Prices per message by market, category and effective date, loaded from a CSV file:
 *
 * <pre>
 * # market,category,effective_from,price,currency
 * 55,MARKETING,2025-07-01,0.0625,USD
 * *,UTILITY,2025-07-01,0.0080,USD
 * </pre>
 *
 * A market is a country calling code (the longest one that prefixes the recipient's number wins) or {@code *} for
 * every other market; categories are {@link MessageCategory} names; a row applies from its date until a later row of
 * the same market and category. Lines starting with {@code #} and blank lines are ignored.
 */
public final class RateCard {

    /** A price per message. */
    public record Price(BigDecimal amount, String currency) {}

    record Rate(String market, MessageCategory category, LocalDate effectiveFrom, Price price) {}

    private final List<Rate> rates;

    RateCard(List<Rate> rates) {
        this.rates = rates.stream()
                .sorted(Comparator.comparing((Rate rate) ->
                                rate.market().equals("*") ? 0 : rate.market().length())
                        .reversed()
                        .thenComparing(Rate::effectiveFrom, Comparator.reverseOrder()))
                .toList();
    }

    /** Reads a rate card; a malformed line fails with its line number. */
    public static RateCard read(InputStream csv, String source) {
        List<Rate> rates = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                rates.add(parse(trimmed, source, number));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the rate card " + source, e);
        }
        return new RateCard(rates);
    }

    private static Rate parse(String line, String source, int number) {
        String[] fields = line.split(",", -1);
        if (fields.length != 5) {
            throw new IllegalArgumentException(
                    source + " line " + number + ": expected 5 fields, got " + fields.length);
        }
        try {
            String market = fields[0].strip();
            if (!market.equals("*") && !market.matches("[1-9][0-9]{0,3}")) {
                throw new IllegalArgumentException("market must be a calling code or *: " + market);
            }
            return new Rate(
                    market,
                    MessageCategory.valueOf(fields[1].strip().toUpperCase(Locale.ROOT)),
                    LocalDate.parse(fields[2].strip()),
                    new Price(
                            new BigDecimal(fields[3].strip()), fields[4].strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException(source + " line " + number + ": " + e.getMessage(), e);
        }
    }

    /**
     * The price of a message of this category to this number (digits, or null when unknown: then only {@code *} rows
     * apply) on this date.
     */
    public Optional<Price> price(String phoneDigits, MessageCategory category, LocalDate date) {
        for (Rate rate : rates) {
            if (rate.category() == category
                    && !rate.effectiveFrom().isAfter(date)
                    && (rate.market().equals("*") || (phoneDigits != null && phoneDigits.startsWith(rate.market())))) {
                return Optional.of(rate.price());
            }
        }
        return Optional.empty();
    }
}
