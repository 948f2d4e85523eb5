package io.janela.ingress.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Meta's verification handshake: when a Callback URL or verify token is saved, Meta calls {@code GET
 * <callback>?hub.mode=subscribe&hub.verify_token=<token>&hub.challenge=<random>} and expects the raw challenge back.
 *
 * <p>The token comparison takes the same time whatever the presented token is: both sides are hashed with SHA-256
 * and the digests compared with {@link MessageDigest#isEqual}, so neither the position of the first wrong character
 * nor the length of the token shows in the response time.
 */
public final class VerificationHandshake {

    static final String SUBSCRIBE = "subscribe";

    private final byte[] tokenDigest;

    public VerificationHandshake(String verifyToken) {
        if (verifyToken == null || verifyToken.isBlank()) {
            throw new IllegalArgumentException("a verify token is needed for Meta's verification handshake");
        }
        this.tokenDigest = sha256(verifyToken);
    }

    /**
     * The challenge to answer with, when the request is a subscription with the right token and carries a challenge;
     * empty otherwise (the caller answers 403).
     */
    public Optional<String> answer(String mode, String verifyToken, String challenge) {
        boolean tokenMatches = verifyToken != null && MessageDigest.isEqual(sha256(verifyToken), tokenDigest);
        if (tokenMatches && SUBSCRIBE.equals(mode) && challenge != null && !challenge.isEmpty()) {
            return Optional.of(challenge);
        }
        return Optional.empty();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
