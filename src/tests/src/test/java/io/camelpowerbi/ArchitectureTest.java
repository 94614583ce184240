package io.camelpowerbi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The arrows between the three artifacts point one way: runner → library, sandbox; the sandbox's emulator → nothing of
 * ours (only its adapter, {@code io.camelpowerbi.sandbox.testing}, knows the library); the library → neither. Inside
 * the library, Camel is imported only by the component.
 */
class ArchitectureTest {

    static final String[] LIBRARY = {
        "io.camelpowerbi",
        "io.camelpowerbi.auth..",
        "io.camelpowerbi.client..",
        "io.camelpowerbi.operations..",
        "io.camelpowerbi.push..",
        "io.camelpowerbi.component.."
    };
    static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.camelpowerbi");
    }

    @Test
    void theLibraryKnowsNeitherTheSandboxNorTheRunner() {
        ArchRule rule = noClasses()
                .that()
                .resideInAnyPackage(LIBRARY)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.camelpowerbi.sandbox..", "io.camelpowerbi.app..");
        rule.check(classes);
    }

    @Test
    void theEmulatorKnowsNothingOfOursButItsAdapterKnowsTheLibrary() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("io.camelpowerbi.sandbox..")
                .and()
                .resideOutsideOfPackage("io.camelpowerbi.sandbox.testing..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(LIBRARY)
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage("io.camelpowerbi.app..", "org.apache.camel..", "io.camelpowerbi.sandbox.testing..");
        rule.check(classes);
    }

    @Test
    void theSandboxKnowsNothingOfTheRunner() {
        noClasses()
                .that()
                .resideInAPackage("io.camelpowerbi.sandbox..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.camelpowerbi.app..")
                .check(classes);
    }

    @Test
    void camelIsImportedOnlyByTheComponent() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.camelpowerbi.auth..",
                        "io.camelpowerbi.client..",
                        "io.camelpowerbi.operations..",
                        "io.camelpowerbi.push..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.camel..")
                .check(classes);
    }

    /**
     * A route handles every failure of the component with one onException(CamelPowerBiException.class). (Checked
     * exceptions stay inside the library: push's InvalidValueException becomes a rejected row.)
     */
    @Test
    void everyPublicExceptionOfTheLibraryHasTheOneRoot() {
        classes()
                .that()
                .resideInAnyPackage(LIBRARY)
                .and()
                .areAssignableTo(RuntimeException.class)
                .and()
                .arePublic()
                .should()
                .beAssignableTo(CamelPowerBiException.class)
                .check(classes);
    }

    /**
     * BouncyCastle is optional in the library's pom: one class names it, loaded only for a key in OpenSSL's traditional
     * format, so an application without it loads every other credential kind (WithoutBouncyCastleTest).
     */
    @Test
    void bouncyCastleIsNamedOnlyWhereOpenSslsTraditionalKeysAreRead() {
        noClasses()
                .that()
                .resideInAnyPackage(LIBRARY)
                .and()
                .doNotHaveFullyQualifiedName("io.camelpowerbi.auth.TraditionalPemKeys$Reader")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.bouncycastle..")
                .check(classes);
    }

    @Test
    void rulesSeeTheClassesTheyJudge() {
        // a rule over no classes passes by construction: the import must hold all three artifacts
        for (String name : new String[] {
            "io.camelpowerbi.component.PowerBiComponent",
            "io.camelpowerbi.sandbox.Sandbox",
            "io.camelpowerbi.sandbox.testing.LocalSandbox",
            "io.camelpowerbi.app.Cli"
        }) {
            classes.get(name);
        }
    }
}
