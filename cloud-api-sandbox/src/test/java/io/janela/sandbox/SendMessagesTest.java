package io.janela.sandbox;

import static io.janela.sandbox.SandboxTestSupport.PHONE_NUMBER_ID;
import static io.janela.sandbox.SandboxTestSupport.TOKEN;
import static io.janela.sandbox.SandboxTestSupport.USER_ID;
import static io.janela.sandbox.SandboxTestSupport.WA_ID;
import static io.janela.sandbox.SandboxTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.sandbox.control.LoggedRequest;
import io.janela.sandbox.faults.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

@SandboxTest
@TestPropertySource(properties = {"janela.sandbox.window-enforcement=SYNC"})
class SendMessagesTest {

    private static final String MESSAGES = "/v23.0/" + PHONE_NUMBER_ID + "/messages";

    @Autowired
    WebTestClient http;

    @LocalServerPort
    int port;

    SandboxControl control;

    @BeforeEach
    void openWindow() {
        control = new SandboxControl(java.net.URI.create("http://127.0.0.1:" + port));
        control.reset();
        control.inbound(PHONE_NUMBER_ID, WA_ID, USER_ID, Instant.now().minus(Duration.ofHours(1)));
    }

    @AfterEach
    void reset() {
        control.reset();
    }

    @Test
    void acceptsTextInsideTheWindowAndAnswersWithAWamid() {
        send(resource("meta/send-text.json"))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.messaging_product")
                .isEqualTo("whatsapp")
                .jsonPath("$.contacts[0].input")
                .isEqualTo("+16505551234")
                .jsonPath("$.contacts[0].wa_id")
                .isEqualTo(WA_ID)
                .jsonPath("$.messages[0].id")
                .value(id -> assertThat((String) id).startsWith("wamid."))
                .jsonPath("$.messages[0].message_status")
                .doesNotExist();
        assertThat(control.accepted())
                .singleElement()
                .satisfies(request -> assertThat(request.callbackData()).isEqualTo("request-1"));
    }

    @Test
    void answersASendToAUserIdWithTheUserIdAndNoWaId() {
        send("""
                        {"messaging_product":"whatsapp","recipient":"%s","type":"text","text":{"body":"hi"}}""".formatted(USER_ID))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.contacts[0].user_id")
                .isEqualTo(USER_ID)
                .jsonPath("$.contacts[0].wa_id")
                .doesNotExist();
    }

    @Test
    void refusesFreeFormOutsideTheWindowWith131047() {
        control.reset();
        control.inbound(PHONE_NUMBER_ID, WA_ID, USER_ID, Instant.now().minus(Duration.ofHours(25)));
        send(resource("meta/send-text.json"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error.code")
                .isEqualTo(131047)
                .jsonPath("$.error.type")
                .isEqualTo("OAuthException")
                .jsonPath("$.error.error_data.messaging_product")
                .isEqualTo("whatsapp")
                .jsonPath("$.error.fbtrace_id")
                .exists();
    }

    @Test
    void acceptsANamedTemplateWithHeaderAndButtonsOutsideAnyWindow() {
        control.reset();
        send(resource("meta/send-template.json"))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.messages[0].message_status")
                .isEqualTo("accepted");
    }

    @Test
    void refusesATemplateThatDoesNotExistInThatLanguageWith132001() {
        send(resource("meta/send-template.json").replace("en_US", "fr_FR"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error.code")
                .isEqualTo(132001);
    }

    @Test
    void refusesTemplateParametersThatDoNotMatchItsPlaceholdersWith132000() {
        send(resource("meta/send-template.json").replace("\"order_number\"", "\"order_id\""))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error.code")
                .isEqualTo(132000);
    }

    @Test
    void refusesAPausedTemplateWith132015() {
        send("""
                {"messaging_product":"whatsapp","to":"+16505551234","type":"template","template":{
                  "name":"appointment_reminder","language":{"code":"pt_BR"},"components":[
                  {"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]}}""")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error.code")
                .isEqualTo(132015);
    }

    @Test
    void refusesAnAuthenticationTemplateToAUserIdWith131062() {
        send("""
                {"messaging_product":"whatsapp","recipient":"%s","type":"template","template":{
                  "name":"verification_code","language":{"code":"en_US"},"components":[
                  {"type":"body","parameters":[{"type":"text","text":"123456"}]}]}}""".formatted(USER_ID))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error.code")
                .isEqualTo(131062);
    }

    @Test
    void refusesAnUnknownPhoneNumberIdAsMetaDoes() {
        http.post()
                .uri("/v23.0/999/messages")
                .header("Authorization", "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(resource("meta/send-text.json"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error.code")
                .isEqualTo(100)
                .jsonPath("$.error.error_subcode")
                .isEqualTo(33);
    }

    @Test
    void refusesAWrongTokenWith190() {
        http.post()
                .uri(MESSAGES)
                .header("Authorization", "Bearer wrong")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(resource("meta/send-text.json"))
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.error.code")
                .isEqualTo(190);
    }

    @Test
    void refusesTextOverFourThousandNinetySixCharactersWith100() {
        send("""
                {"messaging_product":"whatsapp","to":"+16505551234","type":"text","text":{"body":"%s"}}""".formatted("x".repeat(4_097)))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error.code")
                .isEqualTo(100);
    }

    @Test
    void answersInjectedErrorsOnceEachInTheGraphEnvelope() {
        control.inject(new Fault(null, null, 131056, null, Fault.Mode.SYNC, 1, null));
        control.inject(new Fault(null, WA_ID, 130429, 429, Fault.Mode.SYNC, 1, null));
        send(resource("meta/send-text.json"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error.code")
                .isEqualTo(131056)
                .jsonPath("$.error.message")
                .isEqualTo("(#131056) (Business Account, Consumer Account) pair rate limit hit");
        send(resource("meta/send-text.json"))
                .expectStatus()
                .isEqualTo(429)
                .expectBody()
                .jsonPath("$.error.code")
                .isEqualTo(130429);
        send(resource("meta/send-text.json")).expectStatus().isOk();
    }

    @Test
    void answersAnInjectedBareGatewayErrorWithoutAGraphBody() {
        control.inject(new Fault(null, null, null, 503, Fault.Mode.SYNC, 1, null));
        send(resource("meta/send-text.json"))
                .expectStatus()
                .isEqualTo(503)
                .expectBody(String.class)
                .isEqualTo("Service Unavailable");
    }

    @Test
    void leavesASendUnansweredOnAnInjectedTimeoutAndDoesNotAcceptIt() {
        control.inject(new Fault(null, null, null, null, Fault.Mode.TIMEOUT, 1, null));
        WebClient client = WebClient.create("http://127.0.0.1:" + port);
        Throwable failure = client.post()
                .uri(MESSAGES)
                .header("Authorization", "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(resource("meta/send-text.json"))
                .retrieve()
                .toBodilessEntity()
                .timeout(Duration.ofMillis(500))
                .then()
                .onErrorResume(e -> reactor.core.publisher.Mono.error(e))
                .materialize()
                .block()
                .getThrowable();
        assertThat(failure).isInstanceOf(TimeoutException.class);
        assertThat(control.requests()).extracting(LoggedRequest::outcome).containsExactly("TIMEOUT");
    }

    @Test
    void answersAfterTheInjectedLatency() {
        control.latency(Duration.ofMillis(300), Duration.ZERO);
        long began = System.nanoTime();
        send(resource("meta/send-text.json")).expectStatus().isOk();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    private WebTestClient.ResponseSpec send(String body) {
        return http.post()
                .uri(MESSAGES)
                .header("Authorization", "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }
}
