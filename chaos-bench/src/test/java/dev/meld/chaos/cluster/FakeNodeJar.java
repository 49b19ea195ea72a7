package dev.meld.chaos.cluster;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a jar whose manifest runs {@link FakeNode} on the test classpath, so a {@link
 * LocalCluster} starts fake nodes with the same {@code java -jar} command as real ones.
 */
final class FakeNodeJar {

  private FakeNodeJar() {}

  static Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path jar = dir.resolve("fake-node.jar");
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.MAIN_CLASS, FakeNode.class.getName());
    String classPath =
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(entry -> Path.of(entry).toAbsolutePath().toUri().toString())
            .collect(Collectors.joining(" "));
    main.put(Attributes.Name.CLASS_PATH, classPath);
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream ignored = new JarOutputStream(out, manifest)) {
      // the manifest is all it holds
    }
    return jar;
  }
}
