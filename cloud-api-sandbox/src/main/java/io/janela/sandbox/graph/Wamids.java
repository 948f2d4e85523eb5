package io.janela.sandbox.graph;

import java.security.SecureRandom;
import java.util.Base64;

/** Message ids in Meta's shape: {@code wamid.} and base64, unique enough never to repeat in a sandbox's life. */
public final class Wamids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Wamids() {}

    public static String next() {
        byte[] bytes = new byte[30];
        RANDOM.nextBytes(bytes);
        return "wamid." + Base64.getEncoder().encodeToString(bytes);
    }
}
