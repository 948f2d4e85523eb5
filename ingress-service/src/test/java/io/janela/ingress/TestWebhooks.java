package io.janela.ingress;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Webhook bodies from {@code src/test/resources/webhooks} and signatures made the way Meta makes them. */
public final class TestWebhooks {

    /** The app secret tests sign with (not a real one). */
    public static final String APP_SECRET = "6d2f1c3e9a8b7c6d5e4f3a2b1c0d9e8f";

    public static final String VERIFY_TOKEN = "janela-test-verify-token";

    private TestWebhooks() {}

    /** The bytes of {@code webhooks/<path>}, exactly as stored. */
    public static byte[] load(String path) {
        try (InputStream in = TestWebhooks.class.getResourceAsStream("/webhooks/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test webhook " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code sha256=<hex of HMAC-SHA256(body, secret)>}. */
    public static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String signature(byte[] body) {
        return signature(APP_SECRET, body);
    }
}
