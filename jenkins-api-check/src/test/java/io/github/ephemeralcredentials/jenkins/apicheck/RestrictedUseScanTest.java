package io.github.ephemeralcredentials.jenkins.apicheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan over compiled classes that makes the default build fail where the plugin's real build would (or where the
 * plugin would use a deprecated Jenkins API): each case compiles a small use of one stub member carrying its real
 * annotation and expects exactly that finding; the clean cases expect none.
 */
class RestrictedUseScanTest {

    @TempDir
    Path dir;

    private List<Finding> scan(boolean useBeta, String className, String source) throws Exception {
        Path classes = Compiler.compile(Files.createDirectories(dir.resolve("classes")), Map.of(className, source));
        return new RestrictedUseScan(getClass().getClassLoader(), useBeta).scan(classes);
    }

    private List<Finding> scan(String className, String source) throws Exception {
        return scan(false, className, source);
    }

    @Test
    void readingARestrictedFieldIsFound() throws Exception {
        List<Finding> findings = scan("p.Proxy", """
                package p;
                class Proxy {
                    String noProxy(hudson.ProxyConfiguration proxy) {
                        return proxy.noProxyHost;
                    }
                }
                """);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.target()).isEqualTo("hudson.ProxyConfiguration.noProxyHost");
            assertThat(f.problem()).contains("@Restricted(NoExternalUse.class)").contains("access-modifier-checker");
            assertThat(f.location()).isEqualTo("Proxy.java:4 (Proxy.noProxy)");
        });
    }

    @Test
    void writingARestrictedFieldIsFound() throws Exception {
        List<Finding> findings = scan("p.Proxy", """
                package p;
                class Proxy {
                    void set(hudson.ProxyConfiguration proxy) {
                        proxy.noProxyHost = "localhost";
                    }
                }
                """);

        assertThat(findings).extracting(Finding::target).containsExactly("hudson.ProxyConfiguration.noProxyHost");
    }

    @Test
    void callingADeprecatedMethodIsFound() throws Exception {
        List<Finding> findings = scan("p.Proxy", """
                package p;
                class Proxy {
                    String password(hudson.ProxyConfiguration proxy) {
                        return proxy.getPassword();
                    }
                }
                """);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.target()).isEqualTo("hudson.ProxyConfiguration.getPassword()");
            assertThat(f.problem()).startsWith("is @Deprecated:");
        });
    }

    @Test
    void aMethodReferenceToADeprecatedMethodIsFound() throws Exception {
        List<Finding> findings = scan("p.Proxy", """
                package p;
                import java.util.function.Function;
                class Proxy {
                    Function<hudson.ProxyConfiguration, String> password() {
                        return hudson.ProxyConfiguration::getPassword;
                    }
                }
                """);

        assertThat(findings).extracting(Finding::target).containsExactly("hudson.ProxyConfiguration.getPassword()");
    }

    @Test
    void aUseInsideALambdaIsFound() throws Exception {
        List<Finding> findings = scan("p.Proxy", """
                package p;
                import java.util.function.Supplier;
                class Proxy {
                    Supplier<String> noProxy(hudson.ProxyConfiguration proxy) {
                        return () -> proxy.noProxyHost;
                    }
                }
                """);

        assertThat(findings).extracting(Finding::target).containsExactly("hudson.ProxyConfiguration.noProxyHost");
    }

    @Test
    void extendingADeprecatedClassIsFoundWithItsSince() throws Exception {
        List<Finding> findings = scan("p.Thing", """
                package p;
                public class Thing extends hudson.model.AbstractDescribableImpl<Thing> {
                }
                """);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.target()).isEqualTo("hudson.model.AbstractDescribableImpl");
            assertThat(f.problem()).startsWith("is @Deprecated since 2.505");
        });
    }

    @Test
    void aBetaApiIsFoundUnlessThePluginUsesBeta() throws Exception {
        String source = """
                package p;
                import org.jenkinsci.plugins.workflow.steps.FailureHandler;
                import org.jenkinsci.plugins.workflow.steps.StepContext;
                class Masking implements FailureHandler {
                    public Throwable handle(StepContext context, Throwable t) {
                        return t;
                    }
                }
                """;

        assertThat(scan(false, "p.Masking", source)).singleElement().satisfies(f -> {
            assertThat(f.target()).isEqualTo("org.jenkinsci.plugins.workflow.steps.FailureHandler");
            assertThat(f.problem()).contains("@Restricted(Beta.class)").contains("<useBeta>true</useBeta>");
        });
        assertThat(scan(true, "p.Masking", source)).isEmpty();
    }

    @Test
    void callingABetaStaticMethodIsFound() throws Exception {
        List<Finding> findings = scan("p.Merge", """
                package p;
                import org.jenkinsci.plugins.workflow.steps.FailureHandler;
                class Merge {
                    Object merge() {
                        return FailureHandler.merge(null, null);
                    }
                }
                """);

        assertThat(findings).extracting(Finding::target)
                .contains("org.jenkinsci.plugins.workflow.steps.FailureHandler.merge(FailureHandler, FailureHandler)");
    }

    /**
     * The restrictions no stub carries today, on an API compiled here, with the real checker's rules: DoNotUse on a
     * class covers its members and nested classes; ProtectedExternally allows calls on super only.
     */
    @Test
    void doNotUseCoversNestedMembersAndProtectedExternallyAllowsSuperCalls() throws Exception {
        Path api = Compiler.compile(Files.createDirectories(dir.resolve("api")), Map.of("api.Internal", """
                package api;
                import org.kohsuke.accmod.Restricted;
                import org.kohsuke.accmod.restrictions.DoNotUse;
                @Restricted(DoNotUse.class)
                public class Internal {
                    public static class Nested {
                        public static int count() { return 0; }
                    }
                }
                """, "api.Base", """
                package api;
                import org.kohsuke.accmod.Restricted;
                import org.kohsuke.accmod.restrictions.ProtectedExternally;
                public class Base {
                    @Restricted(ProtectedExternally.class)
                    public void hook() { }
                }
                """));
        Path classes = Compiler.compile(Files.createDirectories(dir.resolve("classes")), Map.of("p.Caller", """
                package p;
                class Caller extends api.Base {
                    @Override
                    public void hook() {
                        super.hook();
                    }
                    int use(api.Base other) {
                        other.hook();
                        return api.Internal.Nested.count();
                    }
                }
                """), api);

        List<Finding> findings;
        try (URLClassLoader dependencies = new URLClassLoader(new URL[] {api.toUri().toURL()},
                getClass().getClassLoader())) {
            findings = new RestrictedUseScan(dependencies, false).scan(classes);
        }

        assertThat(findings).extracting(Finding::target, f -> f.problem().substring(0, f.problem().indexOf(':')))
                .containsExactlyInAnyOrder(
                        tuple("api.Base.hook()", "is @Restricted(ProtectedExternally.class)"),
                        tuple("api.Internal$Nested.count()", "is @Restricted(DoNotUse.class)"),
                        tuple("api.Internal$Nested", "is @Restricted(DoNotUse.class)"));
        assertThat(findings).filteredOn(f -> f.target().equals("api.Base.hook()"))
                .extracting(Finding::location).containsExactly("Caller.java:8 (Caller.use)");
    }

    @Test
    void thePublicReplacementsAreClean() throws Exception {
        List<Finding> findings = scan("p.Clean", """
                package p;
                import hudson.ProxyConfiguration;
                import hudson.model.Describable;
                public class Clean implements Describable<Clean> {
                    String proxy(ProxyConfiguration proxy) {
                        return proxy.name + proxy.port + proxy.getNoProxyHost() + proxy.getSecretPassword()
                                + proxy.getUserName();
                    }
                }
                """);

        assertThat(findings).isEmpty();
    }

    @Test
    void theModulesOwnRestrictedMembersAreItsToUse() throws Exception {
        List<Finding> findings = scan("p.Own", """
                package p;
                import org.kohsuke.accmod.Restricted;
                import org.kohsuke.accmod.restrictions.NoExternalUse;
                class Own {
                    @Restricted(NoExternalUse.class) @Deprecated static String internal() { return ""; }
                    String use() { return internal(); }
                }
                """);

        assertThat(findings).isEmpty();
    }

    @Test
    void theCheckFailsListingEveryFinding() throws Exception {
        Path classes = Compiler.compile(Files.createDirectories(dir.resolve("classes")), Map.of("p.Proxy", """
                package p;
                class Proxy {
                    String both(hudson.ProxyConfiguration proxy) {
                        return proxy.noProxyHost + proxy.getPassword();
                    }
                }
                """));
        List<Finding> findings = new RestrictedUseScan(getClass().getClassLoader(), false).scan(classes);

        assertThatThrownBy(() -> RestrictedUseCheck.check(findings, classes))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 use(s) of restricted or deprecated Jenkins API")
                .hasMessageContaining("Proxy.java:4 (Proxy.both): hudson.ProxyConfiguration.noProxyHost is @Restricted")
                .hasMessageContaining("hudson.ProxyConfiguration.getPassword() is @Deprecated");
        RestrictedUseCheck.check(List.of(), classes);
    }

    /** As jenkins-plugin-typecheck runs it (exec:java, the module's class path as the context class loader). */
    @Test
    void theEntryPointTheBuildRunsFailsOnAUseAndPassesWithout() throws Exception {
        Path bad = Compiler.compile(Files.createDirectories(dir.resolve("bad")), Map.of("p.Thing", """
                package p;
                public class Thing extends hudson.model.AbstractDescribableImpl<Thing> {
                }
                """));
        Path good = Compiler.compile(Files.createDirectories(dir.resolve("good")), Map.of("p.Thing", """
                package p;
                public class Thing implements hudson.model.Describable<Thing> {
                }
                """));

        assertThatThrownBy(() -> RestrictedUseCheck.main(new String[] {bad.toString(), "true"}))
                .hasMessageContaining("hudson.model.AbstractDescribableImpl is @Deprecated since 2.505");
        RestrictedUseCheck.main(new String[] {good.toString(), "true"});
        assertThatThrownBy(() -> RestrictedUseCheck.main(new String[] {good.toString()}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("usage:");
    }
}
