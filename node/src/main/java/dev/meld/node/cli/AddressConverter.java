package dev.meld.node.cli;

import dev.meld.node.server.Addresses;
import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code host:port}, or {@code off} (null) for a port the node should not open. */
final class AddressConverter implements ITypeConverter<InetSocketAddress> {

  static final String OFF = "off";

  @Override
  public InetSocketAddress convert(String value) {
    if (value.trim().equalsIgnoreCase(OFF)) {
      return null;
    }
    try {
      return Addresses.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
