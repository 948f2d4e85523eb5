package io.janela.ingress.signature;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks Meta's {@code X-Hub-Signature-256: sha256=<hex>} header: the HMAC-SHA256 of the request body, keyed with the
 * app secret.
 *
 * <p>The HMAC is computed over the body's bytes exactly as they arrived. Meta signs its own serialisation, which
 * escapes non-ASCII characters ({@code "Ol\u00e1"}) and slashes; any re-serialisation of parsed JSON gives other
 * bytes and another hash, so nothing may parse or decode the body before this check.
 *
 * <p>Several secrets are accepted so that an app secret can be rotated without refusing webhooks: every configured
 * secret is tried, and digests are compared with {@link MessageDigest#isEqual}, whose time does not depend on where
 * the bytes differ. Thread-safe.
 */
public final class SignatureVerifier {

    /** The header Meta signs webhooks with. */
    public static final String HEADER = "X-Hub-Signature-256";

    private static final String ALGORITHM = "HmacSHA256";
    private static final String PREFIX = "sha256=";
    private static final int DIGEST_HEX_LENGTH = 64;

    private final List<SecretKeySpec> keys;

    public SignatureVerifier(List<String> appSecrets) {
        if (appSecrets == null || appSecrets.isEmpty()) {
            throw new IllegalArgumentException("at least one app secret is needed to verify webhook signatures");
        }
        this.keys = appSecrets.stream()
                .map(secret -> {
                    if (secret == null || secret.isBlank()) {
                        throw new IllegalArgumentException("an app secret is blank");
                    }
                    return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
                })
                .toList();
    }

    /**
     * Refuses a header that cannot be a signature (absent, or not {@code sha256=<64 hex digits>}), so that such a
     * request is answered before its body is read; empty when the header is well-formed. {@link #verify} repeats the
     * check.
     */
    public Optional<SignatureCheck> rejectHeader(String header) {
        if (header == null || header.isEmpty()) {
            return Optional.of(SignatureCheck.MISSING);
        }
        return expectedDigest(header) == null ? Optional.of(SignatureCheck.MALFORMED) : Optional.empty();
    }

    /** Verifies the header against the body's bytes as received. */
    public SignatureCheck verify(String header, byte[] body) {
        if (header == null || header.isEmpty()) {
            return SignatureCheck.MISSING;
        }
        byte[] expected = expectedDigest(header);
        if (expected == null) {
            return SignatureCheck.MALFORMED;
        }
        int match = -1;
        // Every secret is tried, also after a match, so that the time taken does not say which one matched.
        for (int i = 0; i < keys.size(); i++) {
            if (MessageDigest.isEqual(hmac(keys.get(i), body), expected) && match < 0) {
                match = i;
            }
        }
        return match >= 0 ? SignatureCheck.valid(match) : SignatureCheck.MISMATCH;
    }

    /** The digest the header announces, or null when the header is not {@code sha256=<64 hex digits>}. */
    private static byte[] expectedDigest(String header) {
        String value = header.strip();
        if (!value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || value.length() != PREFIX.length() + DIGEST_HEX_LENGTH) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(value, PREFIX.length(), value.length());
        } catch (IllegalArgumentException notHex) {
            return null;
        }
    }

    private static byte[] hmac(SecretKeySpec key, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
