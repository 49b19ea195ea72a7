package dev.meld.chaos.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.meld.chaos.build.UnrunTestClasses.Module;
import dev.meld.chaos.build.UnrunTestClasses.Scan;
import dev.meld.chaos.build.UnrunTestClasses.Unrun;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build fails when a test class in any module has a name no runner runs (seven chaos-bench
 * property classes, 22 tests, went unrun that way). This module depends on every module with tests,
 * so the reactor has compiled their test classes before this runs.
 */
class UnrunTestClassesTest {

  /** The check itself: every module of this reactor. */
  @Test
  void everyTestClassInTheReactorHasANameItsRunnerRuns() {
    Path root = UnrunTestClasses.reactorRoot(Path.of(""));
    List<Module> modules = UnrunTestClasses.modules(root);

    assertThat(UnrunTestClasses.uncompiled(modules))
        .as(
            "modules with test sources but no target/test-classes, so their names went unchecked:"
                + " build them before chaos-bench (mvn verify from the root, or -pl chaos-bench"
                + " -am); a module chaos-bench does not depend on is built after it: make"
                + " chaos-bench depend on it, or this check cannot see it")
        .isEmpty();
    Scan scan = UnrunTestClasses.scan(modules);
    if (!scan.unrun().isEmpty()) {
      fail(UnrunTestClasses.message(scan.unrun()));
    }
    // Not blind: every module with test sources shows test classes (the check would pass on
    // nothing if it stopped recognising the annotations).
    assertThat(scan.testClasses().keySet())
        .as("modules where the check saw test classes")
        .containsAll(
            modules.stream()
                .filter(m -> Files.isDirectory(m.testClasses()))
                .map(Module::name)
                .toList());
  }

  @Test
  void patternsMatchAsSurefireDoes() {
    assertThat(UnrunTestClasses.matches("**/*Test.java", "dev/meld/SetPropertiesTest")).isTrue();
    assertThat(UnrunTestClasses.matches("**/*Test.java", "FooTest")).isTrue();
    assertThat(UnrunTestClasses.matches("**/*Test.java", "dev/meld/SetProperties")).isFalse();
    assertThat(UnrunTestClasses.matches("**/*Test.java", "dev/meld/FooTestHelper")).isFalse();
    assertThat(UnrunTestClasses.matches("**/Test*.java", "dev/meld/TestHistories")).isTrue();
    assertThat(UnrunTestClasses.matches("**/Test*.java", "dev/meld/ATest/Other")).isFalse();
    assertThat(UnrunTestClasses.matches("**/*$*", "dev/meld/FooTest$Inner")).isTrue();
    assertThat(UnrunTestClasses.matches("**/*$*", "dev/meld/FooTest")).isFalse();
    assertThat(UnrunTestClasses.matches("dev/meld/**/*Check.class", "dev/meld/a/b/SetCheck"))
        .isTrue();
    assertThat(UnrunTestClasses.matches("%regex[.*Laws.class]", "dev/meld/SetLaws")).isTrue();
  }

  /**
   * The checker can fail: a small reactor whose classes are compiled here, with what must be
   * flagged (the property class of the issue, an inherited law, tests only in @Nested classes, a
   * static nested class, a meta-annotated test, an *IT where Failsafe does not run, a parameterized
   * test, a name that a custom include leaves out) and what must not.
   */
  @Test
  void flagsEveryTestClassNoRunnerRunsAndNothingElse(@TempDir Path root) throws IOException {
    write(root, "pom.xml", pom("<modules><module>a</module><module>b</module></modules>"));
    write(root, "a/pom.xml", pom(""));
    write(
        root,
        "b/pom.xml",
        pom(
            "<build><plugins>"
                + "<plugin><artifactId>maven-surefire-plugin</artifactId><configuration>"
                + "<includes><include>**/*Check.java</include></includes>"
                + "</configuration></plugin>"
                + "<plugin><artifactId>maven-failsafe-plugin</artifactId></plugin>"
                + "</plugins></build>"));
    Map<String, String> a =
        Map.ofEntries(
            Map.entry("SetProperties", "class SetProperties { @Test void law() {} }"),
            Map.entry(
                "GoodTest",
                "class GoodTest { @Test void t() {} @Nested class Inner { @Test void u() {} } }"),
            Map.entry("AbstractLaws", "abstract class AbstractLaws { @Test void law() {} }"),
            Map.entry("CounterLaws", "class CounterLaws extends AbstractLaws {}"),
            Map.entry("CounterLawsTest", "class CounterLawsTest extends AbstractLaws {}"),
            Map.entry("Helper", "class Helper { void help() {} static class Deep {} }"),
            Map.entry("Outer", "class Outer { @Nested class Inner { @Test void u() {} } }"),
            Map.entry(
                "HolderTest", "class HolderTest { static class Cases { @Test void c() {} } }"),
            Map.entry("FooIT", "class FooIT { @Test void it() {} }"),
            Map.entry(
                "BandwidthReport", "@Tag(\"report\") class BandwidthReport { @Test void r() {} }"),
            Map.entry(
                "Params",
                "class Params { @ParameterizedTest @ValueSource(ints = {1, 2}) void p(int i) {} }"),
            Map.entry(
                "Law",
                "@Retention(RetentionPolicy.RUNTIME) @Target(ElementType.METHOD) @Test @interface"
                    + " Law {}"),
            Map.entry("Laws", "class Laws { @Law void l() {} }"),
            Map.entry("Contract", "interface Contract { @Test default void c() {} }"));
    Map<String, String> b =
        Map.of(
            "SetCheck", "class SetCheck { @Test void t() {} }",
            "SetTest", "class SetTest { @Test void t() {} }",
            "BarIT", "class BarIT { @Test void it() {} }");
    compile(root.resolve("a"), a);
    compile(root.resolve("b"), b);

    List<Module> modules = UnrunTestClasses.modules(root);
    assertThat(UnrunTestClasses.uncompiled(modules)).isEmpty();
    Scan scan = UnrunTestClasses.scan(modules);
    List<Unrun> unrun = scan.unrun();

    assertThat(scan.testClasses()).containsEntry("a", 8).containsEntry("b", 3);
    assertThat(unrun)
        .extracting(u -> u.module().name() + ":" + u.className())
        .containsExactly(
            "a:fx.CounterLaws",
            "a:fx.FooIT",
            "a:fx.HolderTest$Cases",
            "a:fx.Laws",
            "a:fx.Outer",
            "a:fx.Params",
            "a:fx.SetProperties",
            "b:fx.SetTest");
    String message = UnrunTestClasses.message(unrun);
    assertThat(message)
        .contains("a: fx.SetProperties (a/src/test/java/fx/SetProperties.java; @Test")
        .contains("fx.CounterLaws (a/src/test/java/fx/CounterLaws.java; @Test AbstractLaws.law)")
        .contains("fx.Outer (a/src/test/java/fx/Outer.java; @Test Inner.u)")
        .contains("fx.HolderTest$Cases (a/src/test/java/fx/HolderTest.java; @Test Cases.c)")
        .contains("nested class without @Nested")
        .contains(
            "surefire includes [**/Test*.java, **/*Test.java, **/*Tests.java, **/*TestCase.java]"
                + " excludes [**/*$*]")
        .contains("surefire includes [**/*Check.java]")
        .contains("failsafe includes [**/IT*.java, **/*IT.java, **/*ITCase.java]");
    assertThat(message.lines().filter(l -> l.contains("a: fx.FooIT")))
        .singleElement()
        .asString()
        .doesNotContain("failsafe");
  }

  @Test
  void aModuleWithTestSourcesButNoCompiledClassesIsReported(@TempDir Path root) throws IOException {
    write(root, "pom.xml", pom("<modules><module>a</module><module>docs</module></modules>"));
    write(root, "a/pom.xml", pom(""));
    write(root, "a/src/test/java/fx/SetProperties.java", "class SetProperties {}");
    write(root, "docs/pom.xml", pom(""));

    List<Module> modules = UnrunTestClasses.modules(root);

    assertThat(UnrunTestClasses.uncompiled(modules)).extracting(Module::name).containsExactly("a");
    assertThat(UnrunTestClasses.reactorRoot(root.resolve("a"))).isEqualTo(root);
  }

  private static String pom(String body) {
    return "<project><modelVersion>4.0.0</modelVersion>" + body + "</project>";
  }

  private static void write(Path root, String file, String text) throws IOException {
    Path path = root.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
  }

  /** Writes each class as {@code src/test/java/fx/NAME.java} and compiles them to target. */
  private static void compile(Path module, Map<String, String> classes) throws IOException {
    String imports =
        "package fx;\n"
            + "import java.lang.annotation.*;\n"
            + "import org.junit.jupiter.api.*;\n"
            + "import org.junit.jupiter.params.ParameterizedTest;\n"
            + "import org.junit.jupiter.params.provider.ValueSource;\n";
    List<String> files = new ArrayList<>();
    for (Map.Entry<String, String> c : classes.entrySet()) {
      Path file = module.resolve("src/test/java/fx/" + c.getKey() + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, imports + c.getValue() + "\n");
      files.add(file.toString());
    }
    Path out = Files.createDirectories(module.resolve("target/test-classes"));
    String classpath =
        Stream.of(
                Test.class,
                org.junit.jupiter.params.ParameterizedTest.class,
                org.apiguardian.api.API.class)
            .map(UnrunTestClassesTest::jarOf)
            .distinct()
            .collect(Collectors.joining(File.pathSeparator));
    List<String> args =
        new ArrayList<>(List.of("-proc:none", "-nowarn", "-cp", classpath, "-d", out.toString()));
    args.addAll(files);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = javac.run(null, errors, errors, args.toArray(String[]::new));
    assertThat(rc).as(errors.toString()).isZero();
  }

  private static String jarOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
