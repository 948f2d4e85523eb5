package io.janela.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test data shared by the sandbox's tests. */
final class SandboxTestSupport {

    static final String PHONE_NUMBER_ID = "106540352242922";
    static final String WABA_ID = "300000000000001";
    static final String TOKEN = "test-token";
    static final String APP_SECRET = "test-app-secret";
    static final String USER_ID = "US.13491208655302741918";
    static final String WA_ID = "16505551234";

    private SandboxTestSupport() {}

    static String resource(String path) {
        try (InputStream in = SandboxTestSupport.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
