package io.janela.testsupport.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.janela.testsupport.architecture.fixture.Pauses;
import io.janela.testsupport.architecture.fixture.shop.Cart;
import io.janela.testsupport.architecture.fixture.shop.Checkout;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JanelaArchitectureTest {

    private static final String SHOP = "io.janela.testsupport.architecture.fixture.shop";
    private static final String BANK = "io.janela.testsupport.architecture.fixture.bank";

    @Test
    void findsAServiceCallingAnotherServiceAndATestLibraryFromItsMainCode() {
        List<String> violations = violations(
                JanelaArchitecture.mainRules(SHOP, List.of(BANK)),
                new ClassFileImporter().importClasses(Checkout.class, Cart.class));

        assertThat(violations)
                .anySatisfy(v -> assertThat(v).contains("Checkout").contains("Ledger"))
                .anySatisfy(v -> assertThat(v).contains("Checkout").contains("org.assertj"))
                .noneSatisfy(v -> assertThat(v).contains("Cart"));
    }

    @Test
    void findsTestsThatSleepAndLetsOtherClassesPause() {
        List<String> violations = violations(
                JanelaArchitecture.testRules(),
                new ClassFileImporter().importClasses(SleepingTest.class, WaitingIT.class, Pauses.class));

        assertThat(violations)
                .anySatisfy(v -> assertThat(v).contains("SleepingTest").contains("Thread.sleep"))
                .anySatisfy(v -> assertThat(v).contains("WaitingIT").contains("Thread.sleep"))
                .noneSatisfy(v -> assertThat(v).contains("Pauses"));
    }

    @Test
    void passesAServiceThatKeepsTheConventions() {
        JanelaArchitecture.assertConventions("io.janela.testsupport.streams");
    }

    private static List<String> violations(List<ArchRule> rules, JavaClasses classes) {
        return rules.stream()
                .map(rule -> rule.evaluate(classes))
                .map(EvaluationResult::getFailureReport)
                .flatMap(report -> report.getDetails().stream())
                .toList();
    }

    static class SleepingTest {
        void waitsTheWrongWay() throws InterruptedException {
            Thread.sleep(1);
        }
    }

    static class WaitingIT {
        void waitsTheWrongWayToo() throws InterruptedException {
            Thread.sleep(Duration.ofMillis(1));
        }
    }
}
