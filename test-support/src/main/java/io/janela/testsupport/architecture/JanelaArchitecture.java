package io.janela.testsupport.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The conventions of CONVENTIONS.md that a service's compiled classes can show, checked with ArchUnit: a service
 * depends on the contract ({@code schemas}) and never on another service; nothing in {@code src/main} depends on a
 * test library, on test-support or on test-fixtures (test helpers stay in tests); no test sleeps (Awaitility waits for real
 * asynchronous work). A service's {@code ArchitectureTest} calls {@link #assertConventions(String)} with its base
 * package.
 */
public final class JanelaArchitecture {

    /** The base package of every module that runs as a service of its own. */
    public static final List<String> SERVICES = List.of(
            "io.janela.ingress",
            "io.janela.window",
            "io.janela.dispatch",
            "io.janela.metrics",
            "io.janela.survey",
            "io.janela.sandbox",
            "io.janela.local");

    private JanelaArchitecture() {}

    /**
     * Checks the classes of {@code servicePackage} on the class path: its main classes against {@link #mainRules}, its
     * test classes against {@link #testRules}. Fails, naming every violation, or when the package has no classes.
     */
    public static void assertConventions(String servicePackage) {
        JavaClasses main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(servicePackage);
        JavaClasses tests = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages(servicePackage);
        if (main.isEmpty() || tests.isEmpty()) {
            throw new AssertionError("no main or no test classes found in " + servicePackage);
        }
        List<String> others =
                SERVICES.stream().filter(s -> !s.equals(servicePackage)).toList();
        mainRules(servicePackage, others).forEach(rule -> rule.check(main));
        featureRules(servicePackage, new ClassFileImporter().importPackages(servicePackage))
                .forEach(rule -> rule.check(main));
        testRules().forEach(rule -> rule.check(tests));
    }

    /** What a service's own code ({@code src/main}) may not depend on. */
    public static List<ArchRule> mainRules(String servicePackage, List<String> otherServices) {
        return List.of(
                noClasses()
                        .that()
                        .resideInAPackage(servicePackage + "..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(
                                otherServices.stream().map(s -> s + "..").toArray(String[]::new))
                        .as("a service depends on schemas, never on another service")
                        .allowEmptyShould(true),
                noClasses()
                        .that()
                        .resideInAPackage(servicePackage + "..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(
                                "org.junit..",
                                "org.assertj..",
                                "org.mockito..",
                                "io.janela.testsupport..",
                                "io.janela.testfixtures..")
                        .as("no test helpers in src/main")
                        .allowEmptyShould(true));
    }

    /**
     * How the features of {@code servicePackage} reach each other; {@code everything} is the service's main and test
     * classes, which tell whether another package needs a public class.
     */
    public static List<ArchRule> featureRules(String servicePackage, JavaClasses everything) {
        return List.of(
                FeatureRules.publicOnlyWhenAnotherPackageNeedsIt(servicePackage, everything),
                FeatureRules.featuresFreeOfCycles(servicePackage));
    }

    /** What tests ({@code *Test}, {@code *IT} and their nested classes) may not do. */
    public static List<ArchRule> testRules() {
        return List.of(noClasses()
                .that()
                .haveNameMatching(".*(Test|IT)(\\$.*)?")
                .should()
                .callMethod(Thread.class, "sleep", long.class)
                .orShould()
                .callMethod(Thread.class, "sleep", long.class, int.class)
                .orShould()
                .callMethod(Thread.class, "sleep", java.time.Duration.class)
                .orShould()
                .callMethod(TimeUnit.class, "sleep", long.class)
                .as("tests do not sleep: Awaitility waits for real asynchronous work")
                .allowEmptyShould(true));
    }
}
