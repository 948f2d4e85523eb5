package io.janela.sandbox;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

/**
 * A sandbox on a random port with one business number ({@link SandboxTestSupport#PHONE_NUMBER_ID} of
 * {@link SandboxTestSupport#WABA_ID}, token {@link SandboxTestSupport#TOKEN}) and the test templates; a test class adds
 * its own properties with {@code @TestPropertySource}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        classes = CloudApiSandboxApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=cloud-api-sandbox",
            "janela.sandbox.phone-numbers[0].id=" + SandboxTestSupport.PHONE_NUMBER_ID,
            "janela.sandbox.phone-numbers[0].waba-id=" + SandboxTestSupport.WABA_ID,
            "janela.sandbox.phone-numbers[0].display-phone-number=15550783881",
            "janela.sandbox.phone-numbers[0].access-token=" + SandboxTestSupport.TOKEN,
            "janela.sandbox.templates=classpath:meta/templates.json"
        })
@AutoConfigureWebTestClient
@interface SandboxTest {}
