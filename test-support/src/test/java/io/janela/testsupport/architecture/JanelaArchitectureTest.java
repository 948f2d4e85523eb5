package io.janela.testsupport.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    private static final String STORE = "io.janela.testsupport.architecture.fixture.store";
    private static final String LOOP = "io.janela.testsupport.architecture.fixture.loop";

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
    void findsAPublicClassOnlyItsOwnPackageUsesAndLetsFeaturesMeetThroughPublicTypes() {
        JavaClasses store = new ClassFileImporter().importPackages(STORE);

        List<String> violations = violations(JanelaArchitecture.featureRules(STORE, store), store);

        assertThat(violations)
                .singleElement()
                .satisfies(v -> assertThat(v).contains("OrderIds").contains("package-private"));
    }

    @Test
    void findsFeaturesThatDependOnEachOtherInACycle() {
        JavaClasses loop = new ClassFileImporter().importPackages(LOOP);

        List<String> violations = violations(JanelaArchitecture.featureRules(LOOP, loop), loop);

        assertThat(violations)
                .anySatisfy(v -> assertThat(v).contains("Cycle detected").contains("Alpha"));
    }

    @Test
    void checksTheMainAndTestClassesOfAPackageOnTheClassPath() {
        // test-support's streams package is a library: its public TopologyNames serves other modules, so checked as a
        // service it breaks the feature rule, and only that one (its tests keep the test rules).
        assertThatThrownBy(() -> JanelaArchitecture.assertConventions("io.janela.testsupport.streams"))
                .hasMessageContaining("TopologyNames is public but only its own package uses it")
                .hasMessageContaining("(1 times)");
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
