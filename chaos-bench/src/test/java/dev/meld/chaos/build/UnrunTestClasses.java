package dev.meld.chaos.build;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Finds the test classes of a Maven reactor that no runner would run: classes that declare tests (a
 * method annotated {@code @Test}, {@code @ParameterizedTest}, {@code @RepeatedTest},
 * {@code @TestFactory}, {@code @TestTemplate}, Jazzer's {@code @FuzzTest}, jqwik's
 * {@code @Property} or {@code @Example}, JUnit 4's {@code @Test}, or an annotation meta-annotated
 * with one of them; inherited ones count, and so do a class's {@code @Nested} classes) whose name
 * matches none of the include patterns of the module's Surefire run, nor of its Failsafe run where
 * the module runs Failsafe.
 *
 * <p>It reads each module's compiled test classes ({@code target/test-classes}) as class files with
 * ArchUnit, so annotations and inheritance are the compiler's, and each module's {@code pom.xml}
 * (and the parent's {@code pluginManagement}) for {@code <includes>} and {@code <excludes>} of
 * {@code maven-surefire-plugin} and {@code maven-failsafe-plugin}; without them, the plugins'
 * defaults. Profiles are not read. Not flagged: abstract classes and interfaces (their concrete
 * subclasses run their tests), classes without tests, {@code @Nested} classes (run through their
 * enclosing class), and classes tagged {@code @Tag("report")} (reports run by hand on purpose, e.g.
 * {@code BandwidthReport}). A member class with tests but without {@code @Nested} is flagged:
 * Surefire excludes {@code **}{@code /*$*} and JUnit reaches nested classes only through
 * {@code @Nested}.
 */
final class UnrunTestClasses {

  static final List<String> SUREFIRE_DEFAULT_INCLUDES =
      List.of("**/Test*.java", "**/*Test.java", "**/*Tests.java", "**/*TestCase.java");
  static final List<String> FAILSAFE_DEFAULT_INCLUDES =
      List.of("**/IT*.java", "**/*IT.java", "**/*ITCase.java");
  static final List<String> DEFAULT_EXCLUDES = List.of("**/*$*");

  static final List<String> TEST_ANNOTATIONS =
      List.of(
          "org.junit.jupiter.api.Test",
          "org.junit.jupiter.api.RepeatedTest",
          "org.junit.jupiter.api.TestFactory",
          "org.junit.jupiter.api.TestTemplate",
          "org.junit.jupiter.params.ParameterizedTest",
          "com.code_intelligence.jazzer.junit.FuzzTest",
          "net.jqwik.api.Property",
          "net.jqwik.api.Example",
          "org.junit.Test");

  private static final String NESTED = "org.junit.jupiter.api.Nested";
  private static final String TAG = "org.junit.jupiter.api.Tag";
  private static final String REPORT_TAG = "report";

  /** One runner of one module: its name and the patterns it runs by. */
  record Runner(String plugin, List<String> includes, List<String> excludes) {
    boolean runs(String classPath) {
      return includes.stream().anyMatch(p -> matches(p, classPath))
          && excludes.stream().noneMatch(p -> matches(p, classPath));
    }

    @Override
    public String toString() {
      return plugin + " includes " + includes + " excludes " + excludes;
    }
  }

  /** A module: its directory name, its test classes and the runners that run them. */
  record Module(String name, Path dir, List<Runner> runners) {
    Path testClasses() {
      return dir.resolve("target/test-classes");
    }

    Path testSources() {
      return dir.resolve("src/test/java");
    }
  }

  /** A class no runner runs, with where it is and why it counts as a test class. */
  record Unrun(Module module, String className, String source, String tests, String reason) {
    @Override
    public String toString() {
      return module.name()
          + ": "
          + className
          + " ("
          + source
          + "; "
          + tests
          + ") "
          + reason
          + "; this module runs: "
          + module.runners().stream().map(Runner::toString).collect(Collectors.joining("; "));
    }
  }

  private UnrunTestClasses() {}

  /** The root of the reactor that holds {@code start}: the nearest directory whose pom lists it. */
  static Path reactorRoot(Path start) {
    Path dir = start.toAbsolutePath().normalize();
    for (Path candidate = dir.getParent(); candidate != null; candidate = candidate.getParent()) {
      Path pom = candidate.resolve("pom.xml");
      if (Files.isRegularFile(pom)) {
        for (String module : childTexts(parse(pom), "modules", "module")) {
          if (candidate.resolve(module).normalize().equals(dir)) {
            return candidate;
          }
        }
      }
    }
    throw new IllegalStateException("no reactor pom lists " + dir + " as a module");
  }

  /** The modules of the reactor at {@code root}, in the order its pom lists them. */
  static List<Module> modules(Path root) {
    Element parent = parse(root.resolve("pom.xml"));
    List<Module> modules = new ArrayList<>();
    for (String name : childTexts(parent, "modules", "module")) {
      Path dir = root.resolve(name).normalize();
      Element pom = parse(dir.resolve("pom.xml"));
      List<Runner> runners = new ArrayList<>();
      runners.add(runner("maven-surefire-plugin", SUREFIRE_DEFAULT_INCLUDES, parent, pom));
      if (declaresPlugin(pom, "maven-failsafe-plugin")
          || declaresPlugin(parent, "maven-failsafe-plugin")) {
        runners.add(runner("maven-failsafe-plugin", FAILSAFE_DEFAULT_INCLUDES, parent, pom));
      }
      modules.add(new Module(name, dir, List.copyOf(runners)));
    }
    return modules;
  }

  /**
   * The modules that have test sources but no compiled test classes: the check cannot see their
   * classes (build them first, e.g. {@code mvn verify} from the root).
   */
  static List<Module> uncompiled(List<Module> modules) {
    return modules.stream()
        .filter(m -> hasJava(m.testSources()) && !Files.isDirectory(m.testClasses()))
        .toList();
  }

  /**
   * What a scan saw: how many top-level test classes each module has (a module with test sources
   * and none seen means the scan is blind to them), and the classes no runner runs.
   */
  record Scan(Map<String, Integer> testClasses, List<Unrun> unrun) {}

  /** Every class with tests in the modules' compiled test classes, and those no runner runs. */
  static Scan scan(List<Module> modules) {
    Map<Path, Module> byClasses = new LinkedHashMap<>();
    for (Module m : modules) {
      if (Files.isDirectory(m.testClasses())) {
        byClasses.put(m.testClasses().toAbsolutePath().normalize(), m);
      }
    }
    Map<String, Integer> seen = new LinkedHashMap<>();
    List<Unrun> unrun = new ArrayList<>();
    if (byClasses.isEmpty()) {
      return new Scan(seen, unrun);
    }
    // One import for all modules, so a base class in another module's tests is seen. Types outside
    // them (JUnit's, AssertJ's) are not read from the class path: annotations count by name, and
    // resolving them tripled the time.
    JavaClasses classes =
        ArchConfiguration.withThreadLocalScope(
            config -> {
              config.setResolveMissingDependenciesFromClassPath(false);
              return new ClassFileImporter().importPaths(byClasses.keySet());
            });
    Map<String, List<JavaClass>> members = new LinkedHashMap<>();
    for (JavaClass c : classes) {
      c.getEnclosingClass()
          .ifPresent(e -> members.computeIfAbsent(e.getName(), k -> new ArrayList<>()).add(c));
    }
    for (JavaClass c : classes) {
      Optional<Module> module = moduleOf(c, byClasses);
      if (module.isEmpty()
          || c.isAnonymousClass()
          || c.isLocalClass()
          || c.isInterface()
          || c.isAnnotation()
          || c.getModifiers().contains(JavaModifier.ABSTRACT)
          || isReport(c)) {
        continue;
      }
      Optional<String> tests = tests(c, members);
      if (tests.isEmpty()) {
        continue;
      }
      String reason = null;
      if (c.isTopLevelClass()) {
        seen.merge(module.get().name(), 1, Integer::sum);
        String path = c.getName().replace('.', '/');
        if (module.get().runners().stream().noneMatch(r -> r.runs(path))) {
          reason = "matches none of the patterns of the runners this module uses; rename it";
        }
      } else if (!isNested(c)) {
        reason =
            "is a nested class without @Nested (Surefire excludes **/*$* and JUnit reaches a"
                + " nested class only through @Nested); annotate it @Nested or make it"
                + " top-level with a runnable name";
      }
      if (reason != null) {
        unrun.add(
            new Unrun(module.get(), c.getName(), source(module.get(), c), tests.get(), reason));
      }
    }
    unrun.sort((a, b) -> a.className().compareTo(b.className()));
    return new Scan(seen, unrun);
  }

  /** The failure message for {@code unrun}: every class, its module's patterns, and what to do. */
  static String message(List<Unrun> unrun) {
    return unrun.size()
        + " test class(es) that no runner runs (they compile, and their tests never run):\n  "
        + unrun.stream().map(Unrun::toString).collect(Collectors.joining("\n  "))
        + "\nName a test class so a pattern matches (`git mv Foo.java FooTest.java`: *Test, *Tests,"
        + " *TestCase, Test*; *IT, IT*, *ITCase for Failsafe where the module runs it), or tag a"
        + " report that is run by hand @Tag(\"report\").";
  }

  /** What makes {@code c} a test class: its first test method, or a @Nested class with tests. */
  private static Optional<String> tests(JavaClass c, Map<String, List<JavaClass>> members) {
    for (JavaMethod method : c.getAllMethods()) {
      for (String annotation : TEST_ANNOTATIONS) {
        if (method.isAnnotatedWith(annotation) || method.isMetaAnnotatedWith(annotation)) {
          String simple = annotation.substring(annotation.lastIndexOf('.') + 1);
          return Optional.of(
              "@" + simple + " " + method.getOwner().getSimpleName() + "." + method.getName());
        }
      }
    }
    return members.getOrDefault(c.getName(), List.of()).stream()
        .filter(UnrunTestClasses::isNested)
        .map(m -> tests(m, members))
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static boolean isNested(JavaClass c) {
    return c.isAnnotatedWith(NESTED) && !c.getModifiers().contains(JavaModifier.STATIC);
  }

  private static boolean isReport(JavaClass c) {
    for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
      boolean report =
          k.tryGetAnnotationOfType(TAG)
              .flatMap(a -> a.get("value"))
              .map(REPORT_TAG::equals)
              .orElse(false);
      if (report) {
        return true;
      }
    }
    return false;
  }

  private static Optional<Module> moduleOf(JavaClass c, Map<Path, Module> byClasses) {
    return c.getSource()
        .filter(s -> "file".equals(s.getUri().getScheme()))
        .map(s -> Path.of(s.getUri()).toAbsolutePath().normalize())
        .flatMap(
            file ->
                byClasses.entrySet().stream()
                    .filter(e -> file.startsWith(e.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst());
  }

  private static String source(Module module, JavaClass c) {
    String file =
        c.getSource().flatMap(s -> s.getFileName()).orElse(topLevel(c).getSimpleName() + ".java");
    String packagePath = c.getPackageName().replace('.', '/');
    Path path =
        module.testSources().resolve(packagePath.isEmpty() ? file : packagePath + "/" + file);
    return module.name() + "/src/test/java/" + module.testSources().relativize(path);
  }

  private static JavaClass topLevel(JavaClass c) {
    JavaClass k = c;
    while (k.getEnclosingClass().isPresent()) {
      k = k.getEnclosingClass().get();
    }
    return k;
  }

  /**
   * Whether the Ant-style {@code pattern} (Surefire's form: {@code **}{@code /*Test.java}) matches
   * {@code classPath}, a class's path without an extension ({@code dev/meld/FooTest}, {@code
   * dev/meld/FooTest$Inner}).
   */
  static boolean matches(String pattern, String classPath) {
    String p = pattern.trim();
    if (p.startsWith("%regex[")) {
      String regex = p.substring("%regex[".length(), p.length() - 1);
      return Pattern.matches(regex, classPath + ".class")
          || Pattern.matches(regex, classPath + ".java");
    }
    p = p.replace('\\', '/');
    if (p.endsWith(".java") || p.endsWith(".class")) {
      p = p.substring(0, p.lastIndexOf('.'));
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < p.length(); i++) {
      char ch = p.charAt(i);
      if (p.startsWith("**/", i)) {
        regex.append("(?:.*/)?");
        i += 2;
      } else if (p.startsWith("**", i)) {
        regex.append(".*");
        i += 1;
      } else if (ch == '*') {
        regex.append("[^/]*");
      } else if (ch == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.matches(regex.toString(), classPath);
  }

  private static Runner runner(
      String plugin, List<String> defaultIncludes, Element parent, Element pom) {
    List<String> includes = configured(pom, parent, plugin, "includes", "include");
    List<String> excludes = configured(pom, parent, plugin, "excludes", "exclude");
    return new Runner(
        plugin.substring("maven-".length(), plugin.length() - "-plugin".length()),
        includes.isEmpty() ? defaultIncludes : includes,
        excludes.isEmpty() ? DEFAULT_EXCLUDES : excludes);
  }

  /** The module's own configuration of the plugin, else the parent's, else none. */
  private static List<String> configured(
      Element pom, Element parent, String plugin, String list, String item) {
    for (Element project : List.of(pom, parent)) {
      for (Element p : plugins(project)) {
        if (plugin.equals(childText(p, "artifactId"))) {
          List<String> values = childTexts(child(p, "configuration"), list, item);
          if (!values.isEmpty()) {
            return values;
          }
        }
      }
    }
    return List.of();
  }

  private static boolean declaresPlugin(Element project, String plugin) {
    Element build = child(project, "build");
    return childElements(child(build, "plugins"), "plugin").stream()
        .anyMatch(p -> plugin.equals(childText(p, "artifactId")));
  }

  /** The plugins of {@code build/plugins} and {@code build/pluginManagement/plugins}. */
  private static List<Element> plugins(Element project) {
    Element build = child(project, "build");
    List<Element> plugins = new ArrayList<>(childElements(child(build, "plugins"), "plugin"));
    plugins.addAll(childElements(child(child(build, "pluginManagement"), "plugins"), "plugin"));
    return plugins;
  }

  private static Element parse(Path pom) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + pom, e);
    }
  }

  private static Element child(Element parent, String name) {
    List<Element> children = childElements(parent, name);
    return children.isEmpty() ? null : children.get(0);
  }

  private static List<Element> childElements(Element parent, String name) {
    List<Element> children = new ArrayList<>();
    if (parent == null) {
      return children;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && name.equals(e.getTagName())) {
        children.add(e);
      }
    }
    return children;
  }

  private static String childText(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? null : e.getTextContent().trim();
  }

  private static List<String> childTexts(Element parent, String list, String item) {
    return childElements(child(parent, list), item).stream()
        .map(e -> e.getTextContent().trim())
        .toList();
  }

  private static boolean hasJava(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(f -> f.toString().endsWith(".java"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
