package dev.meld.node.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code --config FILE} of the node: a properties file whose keys are the long option names
 * without the dashes ({@code data-dir=/var/lib/meld}). Its values are the options' defaults, so an
 * option on the command line wins over the file, and the file over the built-in default.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {

  private final Properties values;

  private ConfigFile(Properties values) {
    this.values = values;
  }

  /**
   * Loads {@code file} for {@code spec}'s options.
   *
   * @throws CommandLine.ParameterException if the file cannot be read, or names a key that is no
   *     option (a typo would otherwise be ignored silently)
   */
  static ConfigFile load(Path file, CommandLine cmd) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(
          cmd, "config file: " + file + " cannot be read (" + e.getMessage() + ")");
    }
    Set<String> known = new TreeSet<>();
    for (OptionSpec o : cmd.getCommandSpec().options()) {
      known.add(key(o));
    }
    for (String k : p.stringPropertyNames()) {
      if (!known.contains(k) || k.equals("config") || k.equals("help") || k.equals("version")) {
        throw new CommandLine.ParameterException(
            cmd,
            "config file "
                + file
                + ": unknown key '"
                + k
                + "' (expected: a long option name without dashes, e.g. data-dir)");
      }
    }
    return new ConfigFile(p);
  }

  /**
   * The value of {@code --config} in {@code args}, if given ({@code --config FILE} or {@code
   * --config=FILE}); read before parsing because the file supplies the other options' defaults.
   */
  static Path find(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--")) {
        return null;
      } else if (a.equals("--config") && i + 1 < args.size()) {
        return Path.of(args.get(i + 1));
      } else if (a.startsWith("--config=")) {
        return Path.of(a.substring("--config=".length()));
      }
    }
    return null;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    return arg instanceof OptionSpec o ? values.getProperty(key(o)) : null;
  }

  private static String key(OptionSpec o) {
    return o.longestName().replaceFirst("^-+", "");
  }
}
