package io.janela.testsupport.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the features of one service (its packages one level below the service's, CONVENTIONS.md "package by feature")
 * reach each other: a class is public only when another package needs it, so what a feature does not export is
 * package-private and other features see only its public types; and features do not depend on each other in a cycle.
 * The service's {@code config} package is the cross-cutting wiring and is left out of the cycle check: it builds every
 * feature, and features read their settings from the properties records it binds.
 */
final class FeatureRules {

    private static final String APPLICATION = "org.springframework.boot.autoconfigure.SpringBootApplication";

    /**
     * A class of constants only (store names, say): javac copies a constant's value into the class that reads it, so
     * its readers leave no trace in bytecode and the rule could not tell whether another package needs it.
     */
    private static final DescribedPredicate<JavaClass> CONSTANT_HOLDER = DescribedPredicate.describe(
            "holders of constants only",
            type -> type.getMethods().isEmpty()
                    && !type.getFields().isEmpty()
                    && type.getFields().stream()
                            .allMatch(field ->
                                    field.getModifiers().containsAll(Set.of(JavaModifier.STATIC, JavaModifier.FINAL))
                                            && (field.getRawType().isPrimitive()
                                                    || field.getRawType().isEquivalentTo(String.class))));

    private FeatureRules() {}

    /**
     * A public top-level class of {@code servicePackage} is used from another package of the service ({@code everything}
     * holds its main and test classes, so a test in another package counts), or is the application class.
     */
    static ArchRule publicOnlyWhenAnotherPackageNeedsIt(String servicePackage, JavaClasses everything) {
        Set<String> usedFromAnotherPackage = everything.stream()
                .flatMap(origin -> origin.getDirectDependenciesFromSelf().stream())
                .filter(dependency -> crossesPackages(dependency, servicePackage))
                .map(dependency -> topLevel(dependency.getTargetClass()).getName())
                .collect(Collectors.toSet());
        return classes()
                .that()
                .resideInAPackage(servicePackage + "..")
                .and()
                .areTopLevelClasses()
                .and()
                .haveModifier(JavaModifier.PUBLIC)
                .and()
                .areNotAnnotatedWith(APPLICATION)
                .and(CONSTANT_HOLDER.negate())
                .should(new ArchCondition<JavaClass>("be used from another package of the service") {
                    @Override
                    public void check(JavaClass type, ConditionEvents events) {
                        boolean needed = usedFromAnotherPackage.contains(type.getName());
                        events.add(new SimpleConditionEvent(
                                type,
                                needed,
                                type.getName()
                                        + " is public but only its own package uses it: make it package-private"));
                    }
                })
                .as("classes are package-private unless another package needs them")
                .allowEmptyShould(true);
    }

    /** The features of {@code servicePackage} depend on each other without a cycle (its config package aside). */
    static ArchRule featuresFreeOfCycles(String servicePackage) {
        return slices().matching(servicePackage + ".(*)..")
                .should()
                .beFreeOfCycles()
                .ignoreDependency(
                        DescribedPredicate.alwaysTrue(),
                        JavaClass.Predicates.resideInAPackage(servicePackage + ".config.."))
                .as("features of " + servicePackage + " depend on each other without a cycle")
                .allowEmptyShould(true);
    }

    private static boolean crossesPackages(Dependency dependency, String servicePackage) {
        String target = dependency.getTargetClass().getBaseComponentType().getPackageName();
        String origin = dependency.getOriginClass().getPackageName();
        return inside(target, servicePackage) && inside(origin, servicePackage) && !origin.equals(target);
    }

    private static boolean inside(String packageName, String servicePackage) {
        return packageName.equals(servicePackage) || packageName.startsWith(servicePackage + ".");
    }

    /** A nested type used from elsewhere needs its enclosing top-level class public too. */
    private static JavaClass topLevel(JavaClass type) {
        JavaClass current = type.getBaseComponentType();
        while (current.getEnclosingClass().isPresent()) {
            current = current.getEnclosingClass().get();
        }
        return current;
    }
}
