package io.janela.dispatch.business;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configured business numbers by phone number id, and their access tokens. A token file is read when first needed
 * and again whenever its modification time changes (a rotated Kubernetes secret), so that no restart is needed.
 * Tokens never leave this class except into an {@code Authorization} header.
 */
public final class BusinessNumbers {

    private final Map<String, BusinessNumber> byId;
    private final Map<String, CachedToken> fileTokens = new ConcurrentHashMap<>();

    public BusinessNumbers(List<BusinessNumber> numbers) {
        Map<String, BusinessNumber> index = new LinkedHashMap<>();
        for (BusinessNumber number : numbers) {
            if (index.put(number.phoneNumberId(), number) != null) {
                throw new IllegalArgumentException(
                        "business number " + number.phoneNumberId() + " is configured twice");
            }
        }
        this.byId = Map.copyOf(index);
    }

    public Optional<BusinessNumber> find(String phoneNumberId) {
        return Optional.ofNullable(phoneNumberId == null ? null : byId.get(phoneNumberId));
    }

    public BusinessNumber get(String phoneNumberId) {
        return find(phoneNumberId)
                .orElseThrow(() -> new IllegalArgumentException("unknown business number " + phoneNumberId));
    }

    public Collection<BusinessNumber> all() {
        return byId.values();
    }

    /** The configured business portfolios, in a stable order. */
    public SortedSet<String> portfolios() {
        SortedSet<String> portfolios = new TreeSet<>();
        byId.values().forEach(number -> portfolios.add(number.portfolioId()));
        return portfolios;
    }

    /** The business accounts of a portfolio, as configured. */
    public SortedSet<String> wabaIds(String portfolioId) {
        SortedSet<String> accounts = new TreeSet<>();
        byId.values().stream()
                .filter(number -> number.portfolioId().equals(portfolioId))
                .forEach(number -> accounts.add(number.wabaId()));
        return accounts;
    }

    /** The current access token of a number. */
    public String accessToken(BusinessNumber number) {
        if (number.accessTokenFile() == null) {
            return number.accessToken().strip();
        }
        try {
            FileTime modified = Files.getLastModifiedTime(number.accessTokenFile());
            CachedToken cached = fileTokens.get(number.phoneNumberId());
            if (cached == null || !cached.modified().equals(modified)) {
                String token = Files.readString(number.accessTokenFile(), StandardCharsets.UTF_8)
                        .strip();
                cached = new CachedToken(token, modified);
                fileTokens.put(number.phoneNumberId(), cached);
            }
            return cached.token();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the access token file of business number " + number.phoneNumberId(), e);
        }
    }

    private record CachedToken(String token, FileTime modified) {}
}
